"""The Redis session store: hashed keys, TTLs, compare-and-set updates."""

from __future__ import annotations

import json

import pytest

from hotline.flow.session import Person, Session
from hotline.store import Conflict, SessionStore


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
    result = store.update("hotline:call:CA1", "voice", lambda s, p: (Session("voice", "es", node="main"), p, "done"))
    assert result == "done"
    assert 3590 < redis_client.ttl("hotline:call:CA1") <= 3600
    assert json.loads(redis_client.hget("hotline:call:CA1", "s"))["lang"] == "es"
    store.update("hotline:call:CA1", "voice", lambda s, p: (s.update(node="strips"), p, None))
    assert redis_client.hget("hotline:call:CA1", "v") == b"2"


def test_a_concurrent_write_makes_the_update_retry_on_fresh_state(store, redis_client):
    store.update("k", "sms", lambda s, p: (Session("sms", "en", failures=0), p, None))
    seen = []

    def change(session, person):
        seen.append(session.failures)
        if len(seen) == 1:  # another request writes between our read and our write
            store.update("k", "sms", lambda s, p: (s.update(failures=s.failures + 1), p, None))
        return session.update(failures=session.failures + 1), person, None

    store.update("k", "sms", change)
    assert seen == [0, 1]
    assert json.loads(redis_client.hget("k", "s"))["failures"] == 2


def test_an_update_that_never_gets_through_raises(store):
    def always_interrupted(session, person):
        store.update("k", "sms", lambda s, p: ((s or Session("sms", "en")).update(failures=1), p, None))
        return Session("sms", "en"), person, None

    with pytest.raises(Conflict):
        store.update("k", "sms", always_interrupted)


def test_what_is_kept_about_a_number_is_read_and_written_with_the_session(store, redis_client):
    opt_out, lang = store.person_keys("+12025550187")
    assert "2025550187" not in opt_out + lang and opt_out.startswith("hotline:optout:")
    seen = []

    def change(person_update):
        def apply(session, person):
            seen.append(person)
            return Session("sms", "es"), person.update(**person_update), None
        return apply

    store.update("k", "sms", change({"opted_out": True, "lang": "es"}), "+12025550187")
    assert redis_client.get(lang) == b"es" and 50 < redis_client.ttl(lang) <= 60
    assert 590 < redis_client.ttl(opt_out) <= 600
    store.update("k", "sms", change({"opted_out": False}), "+12025550187")
    assert seen[-1] == Person(opted_out=True, lang="es")
    assert not redis_client.exists(opt_out) and redis_client.exists(lang)
    store.update("k", "sms", change({}), "+12025550187")
    assert seen[-1] == Person(opted_out=False, lang="es")


def test_nothing_is_kept_about_a_withheld_number(store, redis_client):
    assert store.person_keys("anonymous") is None and store.person_keys("") is None
    store.update("k", "voice", lambda s, p: (Session("voice", "es"), p.update(lang="es"), None), "anonymous")
    assert redis_client.keys("*") == [b"k"]


def test_a_language_is_neither_read_nor_kept_when_remembering_is_off(store, redis_client):
    off = SessionStore(redis_client, "secret-one-that-is-long", 3600, 86400, 600, 0)
    redis_client.set(store.person_keys("+12025550187")[1], "es")
    seen = []

    def apply(session, person):
        seen.append(person)
        return Session("sms", "en"), person.update(lang="en"), None

    off.update("k", "sms", apply, "+12025550187")
    assert seen == [Person()] and redis_client.get(store.person_keys("+12025550187")[1]) == b"es"
