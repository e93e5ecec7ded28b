"""A new call from a number nothing is kept about takes one Redis round trip
(`hotline.state.first_contact`), and leaves Redis exactly as the usual read and write would:
the same session, the same reply kept for a repeat, the same usage figures. Any other case
(a session, a remembered language, a flood counter past its limit, an answer that sends or
forgets) is answered after the read, as before; so is every text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from hotline import create_app, new_conversations

from .conftest import NOW, SETTINGS, Call, RoundTrips, Twilio, words


def dump(client) -> dict:
    """Every key but the month's random secret, as a comparable value (a sketch by its count)."""
    found = {}
    for key in sorted(client.keys("*")):
        kind = client.type(key)
        if b":stats:key:" in key:
            continue
        if kind == b"hash":
            found[key] = client.hgetall(key)
        elif key.startswith(b"hotline:stats:people") or key.startswith(b"hotline:teststats:people"):
            found[key] = client.pfcount(key)
        else:
            found[key] = client.get(key)
        found[key, "expires"] = client.ttl(key) > 0
    return found


@pytest.fixture
def loaded(app, twilio):
    """The app with its scripts loaded and its connection open (once per process, not per webhook)."""
    twilio.call(caller="+12025550100").start()
    twilio.text("hi", caller="+12025550101")
    return app


def test_a_new_call_takes_one_round_trip(loaded, twilio, monkeypatch):
    trips = RoundTrips(monkeypatch).sent
    call = twilio.call(caller="+12025550123")
    root = call.start()
    assert len(trips) == 1 and b"EVALSHA" in trips[0]
    assert root.find("Gather") is not None
    trips.clear()
    call.press("1")  # the call's next step: read, then write
    assert len(trips) == 2


def test_one_round_trip_keeps_what_two_keep(redis_client, monkeypatch):
    def conversation() -> list:
        twilio = Twilio(create_app(SETTINGS, clock=lambda: NOW).test_client())
        call = Call(twilio, "CA" + "7" * 32, "+12025550131")  # the same ids in both runs
        answers = [ET.tostring(call.start()), ET.tostring(call.press("1"))]
        repeat = twilio.twiml("/twilio/voice", {"CallSid": call.sid, "From": call.caller, "To": "+12025550100"})
        return [*answers, ET.tostring(repeat)]

    client = redis_client
    one = conversation(), dump(client)
    secret = {key: client.get(key) for key in client.keys("hotline:stats:key:*")}
    client.flushdb()
    client.mset(secret)  # the same month's secret, so the same people are counted
    with monkeypatch.context() as patched:  # the usual read and write
        patched.setattr(new_conversations, "first_call", lambda *args: None)
        two = conversation(), dump(client)
    assert one == two
    assert one[0][2] == one[0][0], "a repeat of the first webhook gets its first answer"
    assert any(b":day:" in key for key in one[1] if isinstance(key, bytes)), "the figures are in the comparison"


def test_a_number_something_is_kept_about_is_answered_after_the_read(loaded, twilio, monkeypatch):
    call = twilio.call(caller="+12025550141")
    call.start()
    call.press("2")  # Spanish, remembered for the number
    trips = RoundTrips(monkeypatch).sent
    again = twilio.call(caller="+12025550141").start()
    assert again.find(".//Say").get("language").startswith("es"), "the remembered language, not the menu"
    assert len(trips) == 2


def test_a_new_call_past_the_flood_limit_gets_the_limits_answer(redis_client):
    twilio = Twilio(create_app({**SETTINGS, "HOTLINE_CALLS_PER_NUMBER": "1"}, clock=lambda: NOW).test_client())
    assert twilio.call(caller="+12025550151").start().find("Gather") is not None
    limited = twilio.call(caller="+12025550151").start()  # a new call, no session: the counter decides
    assert "too many calls" in words(limited) and limited.find("Gather") is None
