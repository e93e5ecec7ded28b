"""A caller's or texter's language, remembered under a keyed hash with a TTL; two Redis round trips."""

from __future__ import annotations

import pytest

from hotline import create_app

from .conftest import CALLER, SETTINGS, RoundTrips, Twilio, spoken, words


def hang_up(twilio, call) -> None:
    twilio.post("/twilio/status", {"CallSid": call.sid, "CallStatus": "completed"})


def test_a_caller_who_chose_spanish_starts_the_next_call_in_spanish(twilio, redis_client):
    call = twilio.call()
    call.start()
    call.press("2")
    hang_up(twilio, call)
    again = twilio.call()
    first = again.start()
    said = spoken(first)
    assert {lang for lang, _ in said} == {"es-US"}, "no language menu: straight to the menu in Spanish"
    assert said[0][1].startswith("Si alguien no respira"), "the emergency line still comes first"
    assert said[-1][1].endswith("Para otro idioma, oprima numeral."), "with a way to change it, said last"
    languages = again.press("#")
    assert ("en-US", "For English, press 1.") in spoken(languages)
    english = again.press("1")
    assert spoken(english)[0][0] == "en-US"
    hang_up(twilio, again)
    said = spoken(twilio.call().start())
    assert {lang for lang, _ in said} == {"en-US"} and said[-1][1].endswith("For another language, press pound.")


def test_the_language_is_shared_by_calls_and_texts(twilio):
    call = twilio.call()
    call.start()
    call.press("2")
    assert twilio.text("hola").startswith("Si alguien no respira")
    twilio.text("EN", caller="+12025550166")
    other = twilio.call(caller="+12025550166")
    assert "For another language, press pound." in words(other.start())


def test_a_caller_who_says_nothing_at_the_language_menu_is_not_remembered(twilio, redis_client):
    call = twilio.call()
    call.start()
    call.silence()
    call.silence()
    assert redis_client.keys("hotline:lang:*") == []
    assert "Para español" in words(twilio.call().start())


def test_the_remembered_language_is_a_hashed_key_with_a_ttl(twilio, redis_client):
    twilio.text("ES")
    [key] = redis_client.keys("hotline:lang:*")
    assert CALLER[2:].encode() not in key and redis_client.get(key) == b"es"
    assert 89 * 86400 < redis_client.ttl(key) <= 90 * 86400


def test_a_withheld_number_is_never_remembered(twilio, redis_client):
    for caller in ["anonymous", "+266696687"]:
        call = twilio.call(caller=caller)
        call.start()
        call.press("2")
        assert "Para español" in words(twilio.call(caller=caller).start())
    assert redis_client.keys("hotline:lang:*") == []


def test_remembering_can_be_switched_off(redis_client):
    twilio = Twilio(create_app({**SETTINGS, "HOTLINE_LANGUAGE_TTL": "0"}).test_client())
    call = twilio.call()
    call.start()
    call.press("2")
    assert twilio.text("naloxona").startswith("Llame")
    assert redis_client.keys("hotline:lang:*") == []
    assert "Para español" in words(twilio.call().start())


@pytest.mark.parametrize("step", ["start", "key", "speech", "text", "stop", "help"])
def test_each_webhook_costs_at_most_two_redis_round_trips(twilio, monkeypatch, step):
    call = twilio.call()
    call.start()  # warms the connection and loads the Lua script
    twilio.text("hi", caller="+12025550177")
    trips = RoundTrips(monkeypatch)
    if step == "start":
        twilio.call().start()
    elif step == "key":
        call.press("2")
    elif step == "speech":
        call.say("naloxone")
    else:
        twilio.sms({"text": "NARCAN", "stop": "STOP", "help": "HELP"}[step], caller="+12025550177")
    # A new call from a number nothing is kept about takes one (hotline/state/first_contact.py).
    assert len(trips.sent) == (1 if step == "start" else 2)
