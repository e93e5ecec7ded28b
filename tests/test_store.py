"""The Redis session store: hashed keys, TTLs, compare-and-set updates."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET

import pytest
import redis

from hotline.flow.session import Person, Session
from hotline.state.sessions import Conflict, SessionStore

from .conftest import TEST_REDIS_URL, RoundTrips


@pytest.fixture
def store(redis_client):
    return SessionStore(redis_client, "secret-one-that-is-long", voice_ttl=3600, sms_ttl=86400, opt_out_ttl=600,
                        language_ttl=60)


def test_texter_keys_are_keyed_hashes_not_numbers(store):
    key = store.texter_key("+12025550187")
    assert "2025550187" not in key and key.startswith("hotline:sms:") and len(key) == len("hotline:sms:") + 64
    other = SessionStore(store.client, "another-secret-entirely", 1, 1, 1, 1)
    assert other.texter_key("+12025550187") != key, "without the secret the hash cannot be recomputed"


def test_an_update_writes_json_with_the_channel_ttl(store, redis_client):
    result = store.update("hotline:call:CA1", "voice", lambda read: (Session("voice", "es", node="main"), "done"))
    assert result == "done"
    assert 3590 < redis_client.ttl("hotline:call:CA1") <= 3600
    assert json.loads(redis_client.hget("hotline:call:CA1", "s"))["lang"] == "es"
    store.update("hotline:call:CA1", "voice", lambda read: (read.session.update(node="strips"), ""))
    assert redis_client.hget("hotline:call:CA1", "v") == b"2"


def test_a_concurrent_write_makes_the_update_retry_on_fresh_state(store, redis_client):
    store.update("k", "sms", lambda read: (Session("sms", "en", failures=0), ""))
    seen = []

    def change(read):
        seen.append(read.session.failures)
        if len(seen) == 1:  # another request writes between our read and our write
            store.update("k", "sms", lambda r: (r.session.update(failures=r.session.failures + 1), ""))
        return read.session.update(failures=read.session.failures + 1), ""

    store.update("k", "sms", change)
    assert seen == [0, 1]
    assert json.loads(redis_client.hget("k", "s"))["failures"] == 2


def test_an_update_that_never_gets_through_raises(store):
    def always_interrupted(read):
        store.update("k", "sms", lambda r: ((r.session or Session("sms", "en")).update(failures=1), ""))
        return Session("sms", "en"), ""

    with pytest.raises(Conflict):
        store.update("k", "sms", always_interrupted)


def test_a_repeated_request_gets_the_first_reply_and_changes_nothing(store, redis_client):
    steps = []

    def change(read):
        steps.append(read.version)
        return (read.session or Session("sms", "en")).update(failures=len(steps)), f"reply {len(steps)}"

    assert store.update("k", "sms", change, "sms:SM1") == "reply 1"
    assert store.update("k", "sms", change, "sms:SM1") == "reply 1"
    assert steps == [0] and redis_client.hget("k", "v") == b"1"
    assert b"SM1" not in b"".join(redis_client.hgetall("k").values()), "Twilio's id is kept only as a hash"
    assert store.update("k", "sms", change, "sms:SM2") == "reply 2"
    assert store.update("k", "sms", change, None) == "reply 3", "a request without an id is never a repeat"


def test_counters_are_counted_once_per_request_and_always_expire(store, redis_client):
    counters = [("c:mine", 60), ("c:all", 120)]
    seen = []

    def change(read):
        seen.append(read.counts)
        if len(seen) == 1:  # a conflict: the update retries, the counters must not count twice
            store.update("k", "sms", lambda r: (Session("sms", "en"), ""))
        return Session("sms", "en"), ""

    store.update("k", "sms", change, counters=counters)
    assert seen == [(1, 1), (1, 1)]
    assert store.read("other", counters).counts == (2, 2)
    assert 0 < redis_client.ttl("c:mine") <= 60 and 60 < redis_client.ttl("c:all") <= 120
    redis_client.persist("c:mine")  # however it lost its TTL, the next count gives it one back
    store.read("k", counters)
    assert redis_client.ttl("c:mine") > 0


def test_a_change_that_returns_no_session_writes_nothing(store, redis_client):
    assert store.update("k", "sms", lambda read: (None, "limited"), "sms:SM1") == "limited"
    assert redis_client.exists("k") == 0


def test_what_is_kept_about_a_number_is_hashed_expires_and_changes_with_the_session(store, redis_client):
    opt_out, lang = store.person_keys("+12025550187")
    assert "2025550187" not in opt_out + lang and opt_out == store.optout_key("+12025550187")
    seen = []

    def change(person_update):
        def apply(read):
            seen.append(read.person)
            return Session("sms", "es"), "", read.person.update(**person_update)
        return apply

    store.update("k", "sms", change({"opted_out": True, "lang": "es"}), number="+12025550187")
    assert redis_client.get(lang) == b"es" and 50 < redis_client.ttl(lang) <= 60
    assert 590 < redis_client.ttl(opt_out) <= 600 and store.is_opted_out("+12025550187")
    store.update("k", "sms", change({"opted_out": False}), number="+12025550187")
    assert seen[-1] == Person(opted_out=True, lang="es")
    assert not redis_client.exists(opt_out) and redis_client.exists(lang)
    store.update("k", "sms", change({}), number="+12025550187")
    assert seen[-1] == Person(opted_out=False, lang="es")


def test_nothing_is_kept_about_a_withheld_number(store, redis_client):
    assert store.person_keys("anonymous") is None and store.person_keys("") is None
    store.update("k", "voice", lambda read: (Session("voice", "es"), "", read.person.update(lang="es")),
                 number="anonymous")
    assert redis_client.keys("*") == [b"k"]


def test_a_language_is_neither_read_nor_kept_when_remembering_is_off(store, redis_client):
    off = SessionStore(redis_client, "secret-one-that-is-long", 3600, 86400, 600, 0)
    redis_client.set(store.person_keys("+12025550187")[1], "es")
    seen = []

    def apply(read):
        seen.append(read.person)
        return Session("sms", "en"), "", read.person.update(lang="en")

    off.update("k", "sms", apply, number="+12025550187")
    assert seen == [Person()] and redis_client.get(store.person_keys("+12025550187")[1]) == b"es"


def test_every_webhook_takes_at_most_two_redis_round_trips(app, twilio, monkeypatch):
    store = app.extensions["hotline"].store
    for script in (store._read, store._cas):  # loaded once per Redis, not per webhook
        store.client.script_load(script.script)
    twilio.call().start()  # and the connection is opened once per process, not per webhook
    sent = RoundTrips(monkeypatch).sent
    call = twilio.call()
    steps = [call.start, lambda: call.press("1"), lambda: call.press("1"), call.silence,
             lambda: twilio.text("hi", caller="+12025550123"), lambda: twilio.text("1", caller="+12025550123"),
             lambda: twilio.text("FORGET", caller="+12025550123"),
             lambda: twilio.text("HELP", caller="+12025550123"), lambda: twilio.sms("STOP", caller="+12025550123"),
             lambda: twilio.sms("hi", caller="+12025550123"), lambda: twilio.text("START", caller="+12025550123"),
             lambda: call.say("naloxone"), lambda: call.say("not breathing")]
    for index, webhook in enumerate(steps):
        webhook()
        assert 1 <= len(sent) <= 2, (index, sent)
        sent.clear()


def test_a_server_that_forgot_the_scripts_is_taught_them_again(store, redis_client):
    redis_client.script_flush()  # a new or restarted Redis knows no scripts
    store.update("k", "sms", lambda read: (Session("sms", "es"), "one"), counters=[("c", 60)])
    store.update("k", "sms", lambda read: (read.session.update(failures=1), "two"))
    assert json.loads(redis_client.hget("k", "s"))["failures"] == 1


def test_held_connections_go_with_their_threads_and_never_use_up_the_pool(redis_client):
    client = redis.Redis.from_url(TEST_REDIS_URL + "?max_connections=2")  # the development server's case:
    store = SessionStore(client, "secret-one-that-is-long", 3600, 86400, 600, 60)  # a thread per request
    replies = []

    def one_request(n: int) -> None:
        replies.append(store.update(f"k{n}", "sms", lambda read: (Session("sms", "en"), f"reply {n}")))

    for n in range(6):
        thread = threading.Thread(target=one_request, args=(n,))
        thread.start()
        thread.join()
    assert replies == [f"reply {n}" for n in range(6)]
    assert redis_client.hget("k5", "v") == b"1", "the last thread's write was made"


def test_a_read_brings_a_stored_reply_only_to_a_repeat(store):
    session = Session("voice", "en", node="main")
    for turn in range(3):
        store.update("hotline:call:CA7", "voice", lambda read, turn=turn: (session, f"reply {turn} " + "x" * 1500),
                     f"turn:{turn}")
    plain = store.read("hotline:call:CA7")
    assert plain.session == session and plain.version == 3 and len(plain.requests) == 3
    assert set(plain.replies) == {""}, "a new request is sent none of the kilobytes of the replies"
    assert plain.reply.startswith("reply 2 "), "the last reply, read when it is asked for"
    repeat = store.read("hotline:call:CA7", request_id="turn:1")
    assert repeat.answered("turn:1").startswith("reply 1 ") and repeat.reply.startswith("reply 2 ")
    assert store.update("hotline:call:CA7", "voice", lambda read: (None, "moved"), "turn:0").startswith("reply 0 ")


def test_a_calls_later_step_reads_with_one_plain_command_and_a_repeat_with_the_script(app, twilio, monkeypatch):
    store = app.extensions["hotline"].store
    for script in (store._read, store._cas):  # loaded once per Redis, not per webhook
        store.client.script_load(script.script)
    call = twilio.call()
    call.start()
    trips = RoundTrips(monkeypatch).sent
    params = {"CallSid": call.sid, "From": call.caller, "To": "+12025550100", "Digits": "1"}
    url = call.step_url
    first = twilio.twiml(url, params)
    assert b"HMGET" in trips[0] and b"EVALSHA" not in trips[0] and len(trips) == 2
    trips.clear()
    assert ET.tostring(twilio.twiml(url, params)) == ET.tostring(first), "a repeat gets its first answer"
    assert b"HMGET" in trips[0] and b"EVALSHA" in trips[1] and len(trips) == 2  # nothing written
