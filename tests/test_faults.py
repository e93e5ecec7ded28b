"""Redis stopped, restarted or stalled in the middle of a call: the hotline answers through it.

These tests run their own throw-away redis-server on a free port (never the shared one),
stop it and start it again while a call is going on.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time

import pytest
import redis

from hotline import create_app

from .conftest import SETTINGS, Twilio, check_voice, spoken, words


class RedisServer:
    """A private redis-server that a test can stop and start again on the same port."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def server():
    own = RedisServer()
    own.start()
    yield own
    if own.process.poll() is None:
        own.stop()


@pytest.fixture
def app(server):
    return create_app({**SETTINGS, "REDIS_URL": server.url, "HOTLINE_REDIS_TIMEOUT_MS": "200"})


def health(app) -> dict:
    return app.test_client().get("/healthz").get_json()


def assert_trouble_call(root, langs: list[str]) -> None:
    check_voice(root)
    assert [lang for lang, _ in spoken(root)] == langs
    assert "911" in words(root)
    assert root.find("Dial/Number").text == "+12025550143", "put through to the fallback line"
    assert root.find("Gather") is None


def test_redis_stopped_mid_call_then_back_without_a_restart(app, server):
    twilio = Twilio(app.test_client())
    call = twilio.call()
    call.start()
    call.press("2")  # Spanish

    server.stop()
    assert_trouble_call(call.press("1"), ["es-US"])  # the URL says Spanish; Redis is not needed to know
    assert_trouble_call(twilio.call().start(), ["en-US", "es-US"])  # a new caller: both languages
    reply = twilio.text("NARCAN")
    assert "call 911" in reply and "1-202-555-0143" in reply and "llame al 911" in reply
    assert health(app) == {**health(app), "status": "degraded", "redis": False}

    server.start()  # empty: nothing was saved
    assert health(app)["status"] == "ok"
    fresh = twilio.call()
    assert ("es-US", "Para español, oprima 2.") in spoken(fresh.start()), "back to normal at once"
    assert "Si alguien no respira" in words(fresh.press("2"))
    assert "Responda con un numero:" in twilio.text("hello"), "the Spanish just chosen is remembered"
    assert "Reply with a number:" in twilio.text("hello", caller="+12025550111")


def test_every_webhook_answers_while_redis_is_down(app, server):
    server.stop()
    twilio = Twilio(app.test_client())
    call = twilio.call()
    assert_trouble_call(call.start(), ["en-US", "es-US"])
    for path in ["/twilio/voice/step?n=4&lang=es", "/twilio/voice/dial?n=4&lang=es"]:
        assert_trouble_call(call._send(path, Digits="1", DialCallStatus="busy"), ["es-US"])
    assert_trouble_call(call._send("/twilio/voice/step?n=4&lang=xx"), ["en-US", "es-US"])
    assert twilio.post("/twilio/status", {"CallSid": call.sid, "CallStatus": "completed"}).status_code == 200
    assert "911" in twilio.text("OLVIDAR")


def test_a_stalled_redis_gets_the_safe_answer_quickly_and_the_call_goes_on_after(app, server):
    twilio = Twilio(app.test_client())
    call = twilio.call()
    call.start()
    menu = call.press("1")

    pauser = redis.Redis.from_url(server.url)
    pauser.execute_command("CLIENT", "PAUSE", 1500, "ALL")  # every client's commands now hang
    started = time.monotonic()
    assert_trouble_call(call.press("1"), ["en-US"])
    waited = time.monotonic() - started
    # A bound on behaviour, not a speed target: without the short timeout and with redis-py's
    # default retries a caller would hear nothing for many seconds here.
    assert waited < 1.0, waited
    pauser.execute_command("CLIENT", "UNPAUSE")

    guidance = call.press("1")
    assert "naloxone" in words(guidance) and words(guidance) != words(menu), "the call carries on where it was"


def test_parallel_callers_while_redis_restarts_all_get_valid_twiml(app, server):
    failures: list[str] = []

    def caller():
        call = Twilio(app.test_client()).call()
        for _ in range(15):
            try:
                call.start()
                call.press("1")
            except AssertionError as error:
                failures.append(str(error))

    threads = [threading.Thread(target=caller) for _ in range(4)]
    for thread in threads:
        thread.start()
    server.stop()
    server.start()
    for thread in threads:
        thread.join()
    assert failures == []
