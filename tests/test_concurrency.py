"""Twilio retries and parallel webhooks for one person, against a real threaded HTTP server."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from .conftest import CALLER, PUBLIC_URL, TOKEN, words

validator = RequestValidator(TOKEN)


@pytest.fixture
def server(app):
    """The app on a real threaded werkzeug server on a free port."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join()


def send(base: str, path: str, params: dict) -> requests.Response:
    signature = validator.compute_signature(PUBLIC_URL + path, params)
    return requests.post(base + path, data=params, headers={"X-Twilio-Signature": signature}, timeout=10)


def all_at_once(calls: list) -> list[requests.Response]:
    """Run the calls in parallel threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        responses = list(pool.map(run, calls))
    for response in responses:
        assert response.status_code == 200, response.text
        ET.fromstring(response.content)
    return responses


def text(base: str, body: str, sid: str, caller: str = CALLER):
    return lambda: send(base, "/twilio/sms", {"From": caller, "Body": body, "MessageSid": sid})


def stored(redis_client, key: bytes) -> tuple[int, dict]:
    return int(redis_client.hget(key, "v")), json.loads(redis_client.hget(key, "s"))


def texter_key(redis_client) -> bytes:
    (key,) = redis_client.keys("hotline:sms:*")
    return key


def test_one_message_sent_eight_times_at_once_is_answered_once(server, redis_client):
    responses = all_at_once([text(server, "hello", "SM" + "a" * 32)] * 8)
    assert len({r.content for r in responses}) == 1, "every copy gets the same answer"
    assert stored(redis_client, texter_key(redis_client))[0] == 1, "the conversation moved once"
    repeat = text(server, "hello", "SM" + "a" * 32)()
    assert repeat.content == responses[0].content


def test_a_retried_message_does_not_advance_the_conversation(server, redis_client):
    text(server, "hi", "SM" + "1" * 32)()
    first = text(server, "purple elephant", "SM" + "2" * 32)()
    assert "Sorry, I did not understand" in first.text
    again = text(server, "purple elephant", "SM" + "2" * 32)()
    assert again.content == first.content
    assert stored(redis_client, texter_key(redis_client))[0] == 2
    after = text(server, "2", "SM" + "3" * 32)()
    assert "test strips" in after.text.lower() and stored(redis_client, texter_key(redis_client))[0] == 3


def test_a_burst_of_different_messages_loses_no_update(server, redis_client):
    bodies = ["hi", "1", "narcan", "menu", "2", "xyz"] * 3
    responses = all_at_once([text(server, body, f"SM{i:032x}") for i, body in enumerate(bodies)])
    assert all(r.text.count("<Message>") == 1 for r in responses)
    version, _ = stored(redis_client, texter_key(redis_client))
    assert version == len(bodies), "each message was applied exactly once"


def test_parallel_silences_on_one_call_are_both_counted(server, redis_client):
    for i in range(4):
        sid = f"CA{i:032x}"
        call = {"CallSid": sid, "From": CALLER}
        send(server, "/twilio/voice", call)
        send(server, "/twilio/voice/step", {**call, "Digits": "1"})  # the main menu, version 2
        responses = all_at_once([lambda call=call: send(server, "/twilio/voice/step", call)] * 2)
        assert all("did not hear" in r.text for r in responses)
        version, session = stored(redis_client, f"hotline:call:{sid}".encode())
        assert (version, session["failures"]) == (4, 2), "neither silence was lost"


def test_a_repeated_voice_turn_gets_the_same_answer_and_moves_once(server, redis_client):
    sid = "CA" + "e" * 32
    call = {"CallSid": sid, "From": CALLER}
    first = send(server, "/twilio/voice", call)
    assert all_at_once([lambda: send(server, "/twilio/voice", call)] * 4)[0].content == first.content
    action = ET.fromstring(first.content).find("Gather").get("action")
    assert action.startswith("/twilio/voice/step?n=1")
    answers = all_at_once([lambda: send(server, action, {**call, "Digits": "2"})] * 6)
    assert len({r.content for r in answers}) == 1
    version, session = stored(redis_client, f"hotline:call:{sid}".encode())
    assert (version, session["lang"]) == (2, "es")
    menu = ET.fromstring(answers[0].content)
    next_action = menu.find("Gather").get("action")
    assert "n=2" in next_action and "lang=es" in next_action
    assert "911" in words(menu) and "respira" in words(menu), "the Spanish main menu, said once"
