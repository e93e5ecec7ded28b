"""Redis stopped, restarted or stalled in the middle of a call: the hotline answers through it.

These tests run their own throw-away redis-server on a free port (never the shared one),
stop it and start it again while a call is going on.
"""

from __future__ import annotations

import shutil
import threading
import time

import pytest
import redis

from hotline import create_app
from hotline.state.breaker import Breaker, RedisUnavailable

from .conftest import FIXTURE, SETTINGS, Twilio, check_voice, spoken, words
from .servers import RedisServer


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

    guidance = served_again(lambda: call.press("1"))
    assert "naloxone" in words(guidance) and words(guidance) != words(menu), "the call carries on where it was"


def served_again(webhook, within: float = 1.5):
    """The first answer of `webhook` that is not the safe message, asked for again and again
    for at most `within` seconds: the breaker probes Redis every half second. (A bound on
    behaviour, with room for a busy machine, not a speed target.)"""
    deadline = time.monotonic() + within
    while True:
        root = webhook()
        if root.find("Gather") is not None or time.monotonic() > deadline:
            assert root.find("Gather") is not None, "normal service did not come back"
            return root
        time.sleep(0.02)


def test_a_stalled_redis_opens_the_breaker_then_callers_get_the_safe_answer_without_waiting(app, server):
    twilio = Twilio(app.test_client())
    call = twilio.call()
    call.start()
    call.press("1")  # English: the main menu

    server.pause()  # SIGSTOP: connections are accepted, nothing is answered
    try:
        started = time.monotonic()
        assert_trouble_call(call.press("1"), ["en-US"])  # waits one HOTLINE_REDIS_TIMEOUT_MS (200), then opens it
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(20):  # new callers while it stalls
            assert_trouble_call(twilio.call().start(), ["en-US", "es-US"])
        assert "call 911" in twilio.text("hi")
        during = time.monotonic() - started
        assert health(app)["status"] == "degraded"
    finally:
        server.resume()
    # Without the breaker every one of these 21 webhooks waits the whole timeout (over 4 s in all);
    # with it, only a probe every half second does, and with its own shorter timeout.
    assert first >= 0.2 and during < 1.5, (first, during)
    resumed = time.monotonic()
    root = served_again(lambda: twilio.call().start())
    assert "For an overdose or naloxone, press 1." in words(root), "the menu, in the English just chosen"
    assert time.monotonic() - resumed < 1.5
    assert "naloxone" in words(call.press("1")), "the call carries on where it was"


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


def test_the_breaker_probes_one_request_at_a_time_and_the_others_do_not_wait():
    now, probes = [0.0], []
    probing, release = threading.Event(), threading.Event()

    def probe():  # a probe that hangs until released, like a PING to a stalled Redis
        probes.append(now[0])
        probing.set()
        release.wait(5)

    breaker = Breaker(probe, retry_after=0.5, clock=lambda: now[0])
    breaker.trip(redis.TimeoutError("Timeout reading from 127.0.0.1"))
    with pytest.raises(RedisUnavailable):
        breaker.call(lambda: "redis")  # before the interval: no probe, no wait
    assert probes == []
    now[0] = 0.6
    served = []
    prober = threading.Thread(target=lambda: served.append(breaker.call(lambda: "redis")))
    prober.start()
    assert probing.wait(5)
    for _ in range(5):  # while one request probes, the others answer from the safe path at once
        with pytest.raises(RedisUnavailable):
            breaker.call(lambda: "redis")
    release.set()
    prober.join(5)
    assert served == ["redis"] and probes == [0.6] and not breaker.open


def test_health_is_degraded_when_redis_answers_ping_but_refuses_writes(app, server):
    assert health(app)["status"] == "ok"
    admin = redis.Redis.from_url(server.url)
    admin.config_set("maxmemory-policy", "noeviction")
    admin.config_set("maxmemory", "1")  # full: PING answers, every write is refused (OOM)
    fresh = create_app({**SETTINGS, "REDIS_URL": server.url})  # a process that has not checked yet
    found = health(fresh)
    assert found["redis"] is True and found["redis_writes"] is False and found["status"] == "degraded"
    assert_trouble_call(Twilio(fresh.test_client()).call().start(), ["en-US", "es-US"])
    admin.config_set("maxmemory", "0")


def test_health_is_degraded_while_the_flows_on_disk_fail_the_check(server, tmp_path, caplog):
    flows = tmp_path / "flows"
    shutil.copytree(FIXTURE / "flows", flows)
    app = create_app({**SETTINGS, "REDIS_URL": server.url, "HOTLINE_FLOWS_DIR": str(flows),
                      "HOTLINE_RELOAD_SECONDS": "0"})
    assert health(app)["status"] == "ok"
    (flows / "hotline.yaml").write_text("start: [broken", encoding="utf-8")
    found = health(app)
    assert found["status"] == "degraded" and "last good version" in found["flows"] and found["redis"] is True
