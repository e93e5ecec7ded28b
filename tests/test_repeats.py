"""Late repeats: a copy of an earlier turn, arriving after later turns, is answered as it was
the first time and neither moves the conversation again nor starts it over.

Signed webhooks against a real Redis, through the test client and through two real gunicorn
workers (where copies of one turn can land on different processes).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

from hotline.state.scripts import REMEMBERED
from hotline.state.stored import reply_field

from .conftest import CALLER, check_voice, words
from .servers import gunicorn, post


def version(redis_client, key: str) -> tuple[int, dict]:
    return int(redis_client.hget(key, "v")), json.loads(redis_client.hget(key, "s"))


class Recorder:
    """One call through signed webhooks, keeping each request and its answer so that any of
    them can be sent again later."""

    def __init__(self, send, sid: str):
        self.send, self.sid, self.url = send, sid, "/twilio/voice"
        self.sent: list[tuple[str, dict, bytes]] = []

    def turn(self, **extra) -> ET.Element:
        params = {"CallSid": self.sid, "From": CALLER, "To": "+12025550100", **extra}
        root = self.send(self.url, params)
        check_voice(root)
        self.sent.append((self.url, params, ET.tostring(root)))
        self.url = root.find("Gather").get("action")
        return root

    def again(self, index: int) -> bytes:
        url, params, _ = self.sent[index]
        return ET.tostring(self.send(url, params))


def walk(call: Recorder) -> None:
    """Start, Spanish, the overdose menu, its first option, back, back: six turns."""
    call.turn()
    call.turn(Digits="2")
    call.turn(Digits="1")
    call.turn(Digits="1")
    call.turn(Digits="#")
    call.turn(Digits="#")


def test_a_late_copy_of_an_earlier_turn_gets_its_first_answer_and_moves_nothing(twilio, redis_client):
    call = Recorder(twilio.twiml, "CA" + "5" * 32)
    walk(call)
    key = f"hotline:call:{call.sid}"
    before = version(redis_client, key)
    # The last few turns are remembered with their answers: each copy gets its own answer back.
    for index in range(len(call.sent) - REMEMBERED, len(call.sent)):
        assert call.again(index) == call.sent[index][2], f"turn {index} answered as the first time"
    assert version(redis_client, key) == before, "no copy moved the call"
    assert redis_client.hlen(key) <= 4 + REMEMBERED, "a small bounded list, not every turn (v, s, q, p, replies)"


def test_a_copy_older_than_every_turn_remembered_neither_moves_nor_restarts_the_call(twilio, redis_client):
    call = Recorder(twilio.twiml, "CA" + "6" * 32)
    walk(call)
    key = f"hotline:call:{call.sid}"
    before = version(redis_client, key)
    latest = call.sent[-1][2]
    assert call.again(0) == latest, "a late start is told where the call is now, not taken back to the start"
    assert call.again(1) == latest, "a late '2' is not the Spanish menu chosen again"
    assert version(redis_client, key) == before
    after = call.turn(Digits="1")  # and the call goes on from where it was
    assert "respira" in words(after) or "naloxona" in words(after).lower(), words(after)
    assert version(redis_client, key)[0] == before[0] + 1


def test_a_late_copy_of_an_earlier_text_is_answered_again_and_moves_nothing(twilio, redis_client):
    sids = [f"SM{n:032d}" for n in range(1, 5)]
    replies = [twilio.text(body, MessageSid=sid) for body, sid in zip(["hi", "2", "menu", "1"], sids, strict=True)]
    (key,) = redis_client.keys("hotline:sms:*")
    before = version(redis_client, key)
    assert twilio.text("hi", MessageSid=sids[0]) == replies[0], "the first text, repeated after three more"
    assert twilio.text("2", MessageSid=sids[1]) == replies[1]
    assert version(redis_client, key) == before


def test_late_copies_on_two_gunicorn_workers_get_the_first_answers(redis_client):
    with gunicorn({}, workers=2) as port:
        call = Recorder(lambda path, params: post(port, path, params), "CA" + "8" * 32)
        walk(call)
        key = f"hotline:call:{call.sid}"
        before = version(redis_client, key)
        copies = [index for index in range(len(call.sent) - REMEMBERED, len(call.sent)) for _ in range(3)]
        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(call.again, copies))
        assert answers == [call.sent[index][2] for index in copies]
        assert call.again(0) == call.sent[-1][2]
        assert version(redis_client, key) == before, "no copy moved the call, on either worker"


def test_a_session_kept_before_the_reply_slots_turned_is_still_answered_right(twilio, redis_client):
    # Sessions written before `p` existed keep the newest reply in `r`, the next in `r1`, ...:
    # still in Redis while a new version starts serving, their repeats get their first answers.
    call = Recorder(twilio.twiml, "CA" + "6" * 32)
    walk(call)
    key = f"hotline:call:{call.sid}"
    slots = [redis_client.hget(key, reply_field(redis_client.hget(key, "p"), place)) for place in range(REMEMBERED)]
    redis_client.hdel(key, "p")
    redis_client.hset(key, mapping=dict(zip(["r", *(f"r{i}" for i in range(1, REMEMBERED))], slots, strict=True)))
    for index in range(len(call.sent) - REMEMBERED, len(call.sent)):
        assert call.again(index) == call.sent[index][2], index
    call.turn(Digits="1")  # a new turn writes in the slots' new way
    assert redis_client.hget(key, "p") == str(REMEMBERED - 1).encode()
    for index in range(len(call.sent) - REMEMBERED, len(call.sent)):
        assert call.again(index) == call.sent[index][2], index
