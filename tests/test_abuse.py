"""Flood and toll-fraud limits: per hashed number and overall, counted in Redis, always expiring."""

from __future__ import annotations

import pytest

from hotline import create_app

from .conftest import CALLER, SETTINGS, Twilio, check_voice, redis_contents, spoken, words


def twilio_with(**limits) -> Twilio:
    return Twilio(create_app({**SETTINGS, **{k: str(v) for k, v in limits.items()}}).test_client())


def reply(twilio: Twilio, body: str, caller: str = CALLER) -> str | None:
    """The text of the reply, or None for silence (an empty <Response/>)."""
    root = twilio.twiml("/twilio/sms", {"From": caller, "Body": body})
    assert root.tag == "Response"
    messages = root.findall("Message")
    assert len(messages) <= 1
    return messages[0].text if messages else None


def test_a_texter_past_the_limit_gets_one_polite_reply_then_silence(redis_client):
    twilio = twilio_with(HOTLINE_TEXTS_PER_NUMBER=3)
    for body in ["hi", "1", "menu"]:
        assert "Sorry, this line" not in reply(twilio, body)
    polite = reply(twilio, "2")
    assert polite.startswith("You have sent many messages.") and "call 911" in polite
    assert reply(twilio, "2") is None
    assert reply(twilio, "FORGET") is None, "FORGET does not get round the limit"
    assert "1 An overdose or naloxone" in reply(twilio, "hi", caller="+12025550111"), "others are not affected"


def test_the_polite_reply_is_in_the_texters_language(redis_client):
    twilio = twilio_with(HOTLINE_TEXTS_PER_NUMBER=2)
    reply(twilio, "ES")
    reply(twilio, "1")
    assert reply(twilio, "1").startswith("Usted mando muchos mensajes.")


def test_past_the_overall_limit_each_number_gets_one_polite_reply(redis_client):
    twilio = twilio_with(HOTLINE_TEXTS_TOTAL=3)
    for n in range(3):
        assert "Reply with a number" in reply(twilio, "hi", caller=f"+1202555010{n}")
    flood = "+12025550109"
    first = reply(twilio, "hi", caller=flood)
    assert first.startswith("This line is getting too many messages right now.") and "call 911" in first
    assert "Esta linea esta recibiendo demasiados mensajes" in first, "language not known yet"
    assert "sent many messages" not in first, "a first-time texter has not sent many messages"
    assert reply(twilio, "hi", caller=flood) is None
    assert reply(twilio, "hi", caller="+12025550108").startswith("This line is getting too many messages")


def test_a_caller_past_the_limit_still_hears_the_emergency_advice_but_is_not_transferred(redis_client):
    twilio = twilio_with(HOTLINE_CALLS_PER_NUMBER=2)
    for _ in range(2):
        assert twilio.call().start().find("Gather") is not None
    for _ in range(3):  # every call past the limit, not only the first: advice is never withheld
        root = twilio.call().start()
        check_voice(root)
        assert [lang for lang, _ in spoken(root)] == ["en-US", "es-US"]
        assert "hang up and call 911" in words(root) and "llame al 911" in words(root)
        assert [verb.tag for verb in root] == ["Say", "Say", "Hangup"], "no transfer, no menu"
    assert twilio.call(caller="+12025550111").start().find("Gather") is not None


def test_steps_within_a_call_are_not_counted(redis_client):
    twilio = twilio_with(HOTLINE_CALLS_PER_NUMBER=1)
    call = twilio.call()
    call.start()
    for _ in range(5):
        assert call.press("*").find("Gather") is not None


def test_past_the_overall_call_limit_callers_hear_the_advice_and_a_goodbye(redis_client):
    twilio = twilio_with(HOTLINE_CALLS_TOTAL=2)
    twilio.call(caller="+12025550101").start()
    twilio.call(caller="+12025550102").start()
    root = twilio.call(caller="+12025550103").start()
    assert "911" in words(root) and root.find("Dial") is None and root[-1].tag == "Hangup"


@pytest.mark.parametrize("window", [60, 900])
def test_every_counter_expires_with_its_window_and_names_no_one(redis_client, window):
    twilio = twilio_with(HOTLINE_LIMIT_WINDOW=window)
    reply(twilio, "hi")
    twilio.call().start()
    counters = [key for key in redis_client.keys("*") if key.startswith(b"hotline:rate:")]
    assert len(counters) == 4
    for key, value in redis_contents(redis_client).items():
        assert redis_client.ttl(key) > 0
        if key in counters:
            assert 0 < redis_client.ttl(key) <= window and value == b"1"
        assert CALLER[2:].encode() not in key + value


@pytest.mark.parametrize("withheld", ["anonymous", "Restricted", "unavailable", "+266696687"])
def test_withheld_numbers_do_not_share_one_flood_bucket(redis_client, withheld):
    twilio = twilio_with(HOTLINE_CALLS_PER_NUMBER=2)
    for _ in range(5):  # many people (or one) calling with their number withheld
        root = twilio.call(caller=withheld).start()
        assert root.find("Gather") is not None, "the language menu, not the limit notice"
    counters = {key for key in redis_client.keys("hotline:rate:*")}
    assert counters == {b"hotline:rate:call"}, "counted only overall"


def test_withheld_callers_still_count_in_the_overall_limit(redis_client):
    twilio = twilio_with(HOTLINE_CALLS_TOTAL=2)
    for _ in range(2):
        assert twilio.call(caller="anonymous").start().find("Gather") is not None
    root = twilio.call(caller="anonymous").start()
    assert "hang up and call 911" in words(root) and root.find("Gather") is None and root.find("Dial") is None


@pytest.mark.parametrize("stop", [{"Body": "STOP"}, {"Body": "parar"}, {"Body": "please", "OptOutType": "STOP"}])
def test_stop_is_kept_even_past_the_limit(redis_client, stop):
    twilio = twilio_with(HOTLINE_TEXTS_PER_NUMBER=2)
    for body in ["hi", "1", "2", "3"]:  # the last two are past the limit
        reply(twilio, body)
    root = twilio.twiml("/twilio/sms", {"From": CALLER, **stop})
    assert len(root) == 0, "nothing is sent after STOP"
    store = twilio.client.application.extensions["hotline"].store
    assert store.is_opted_out(CALLER), "the opt-out is kept"


def test_start_past_the_limit_is_kept_too(redis_client):
    twilio = twilio_with(HOTLINE_TEXTS_PER_NUMBER=2)
    reply(twilio, "STOP")
    reply(twilio, "hi")
    reply(twilio, "START")  # past the limit: no confirmation (it would be one more text), but kept
    assert not twilio.client.application.extensions["hotline"].store.is_opted_out(CALLER)


@pytest.mark.parametrize("emergency, steps", [("my friend is not breathing", "Call 911 now."),
                                              ("mi amigo no respira", "Llame al 911 ahora.")])
def test_emergency_words_get_the_overdose_steps_past_a_numbers_limit_once_every_few_minutes(
        redis_client, emergency, steps):
    twilio = twilio_with(HOTLINE_TEXTS_PER_NUMBER=2)
    reply(twilio, "hi")
    reply(twilio, "1")
    assert reply(twilio, emergency).startswith(steps)
    assert reply(twilio, emergency) is None, "not a stream of texts: once per number every few minutes"
    assert reply(twilio, "hi") is None
    ttl = redis_client.ttl(next(iter(redis_client.keys("hotline:sos:*"))))
    assert 0 < ttl <= 300


def test_emergency_words_get_the_overdose_steps_during_a_global_flood(redis_client):
    twilio = twilio_with(HOTLINE_TEXTS_TOTAL=2)
    reply(twilio, "hi", caller="+12025550101")
    reply(twilio, "hi", caller="+12025550102")
    assert reply(twilio, "someone overdosed, not breathing", caller="+12025550103").startswith("Call 911 now.")
    assert "sent many messages" not in reply(twilio, "hi", caller="+12025550104")
