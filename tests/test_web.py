"""The webhooks end to end: signed requests, real Redis, TwiML parsed back."""

from __future__ import annotations

import pytest

from hotline import create_app
from hotline.config import ConfigError

from .conftest import CALLER, SETTINGS, Twilio, check_voice, redis_contents, spoken, words


def test_a_spanish_call_from_language_menu_to_guidance_and_back(twilio):
    call = twilio.call()
    first = call.start()
    assert spoken(first)[:4] == [
        ("en-US", "If someone is not breathing, hang up and call 911."),
        ("es-US", "Si alguien no respira, cuelgue y llame al 911."),
        ("en-US", "For English, press 1."), ("es-US", "Para español, oprima 2."),
    ], "the emergency sentence comes first, in English and Spanish, before the language menu"
    voices = [say.get("voice") for say in first.iter("Say")]
    assert voices[:4] == ["Polly.Joanna-Neural", "Polly.Lupe-Neural"] * 2

    menu = call.press("2")
    said = spoken(menu)
    assert {lang for lang, _ in said} == {"es-US"}
    assert "911" in said[0][1] and "respira" in said[0][1], "the emergency line comes first"
    assert "asterisco" not in words(menu), "the first main menu is short"

    overdose = call.press("1")
    assert "asterisco" in words(overdose), "the fixed keys are announced after the first choice"
    guidance = call.press("1")
    assert {lang for lang, _ in spoken(guidance)} == {"es-US"}
    prosody = guidance.find(".//Say/prosody")
    assert prosody is not None and prosody.get("rate") == "90%", "guidance is spoken slowly"
    assert "naloxona" in words(guidance)
    assert words(call.press("1")) == words(guidance), "1 plays the guidance again"
    assert words(overdose).startswith(words(call.press("#"))), "# goes back to the menu it came from"
    assert "asterisco" not in words(call.press("*")), "fixed keys are announced once per call"


def test_silence_at_the_language_menu_reprompts_once_then_continues_in_english(twilio):
    call = twilio.call()
    call.start()
    again = call.silence()
    assert ("es-US", "Para español, oprima 2.") in spoken(again)
    menu = call.silence()
    assert spoken(menu)[0][0] == "en-US"
    assert "not breathing" in words(menu)
    assert menu.find("Gather") is not None, "no hang-up on silence"


def test_wrong_keys_apologise_shorten_then_reach_a_person(twilio):
    call = twilio.call()
    call.start()
    full = call.press("1")
    wrong = call.press("7")
    assert words(wrong).startswith("Sorry, that is not an option.")
    assert "not breathing" in words(wrong), "asking again keeps the emergency line"
    assert "press star" in words(wrong) and "press star" not in words(full), "keys told after the first mistake"
    quiet = call.silence()
    assert words(quiet).startswith("Sorry, I did not hear a choice.")
    assert "not breathing" in words(quiet) and "press star" not in words(quiet), "the keys are told once"
    transfer = call.press("7")
    dial = transfer.find("Dial")
    assert dial is not None and dial.get("action").startswith("/twilio/voice/dial?")
    assert dial.findtext("Number") == "+12025550143"


@pytest.mark.parametrize("status, phrase", [
    ("busy", "The line is busy."), ("no-answer", "No one answered."), ("failed", "The call could not go through."),
])
def test_a_transfer_nobody_takes_says_why_and_offers_a_way_on(twilio, status, phrase):
    call = twilio.call()
    call.start()
    call.press("1")
    call.press("0")
    after = call.dial_result(status)
    assert words(after).startswith(phrase)
    assert "1-800-662-4357" in words(after) and after.find("Gather") is not None


def test_a_transfer_nobody_takes_is_explained_in_spanish(twilio):
    call = twilio.call()
    call.start()
    call.press("2")
    call.press("5")
    call.press("4")
    after = call.dial_result("no-answer")
    assert {lang for lang, _ in spoken(after)} == {"es-US"}


def test_after_a_finished_transfer_the_caller_hears_goodbye(twilio):
    call = twilio.call()
    call.start()
    call.press("1")
    call.press("0")
    end = call.dial_result("completed")
    assert [verb.tag for verb in end] == ["Say", "Hangup"]


def test_repeated_failures_after_a_failed_transfer_end_with_guidance_and_goodbye(twilio):
    call = twilio.call()
    call.start()
    call.press("1")
    call.press("0")
    call.dial_result("busy")
    call.silence()
    call.silence()
    last = call.silence()
    assert "naloxone" in words(last) and "Thank you for calling" in words(last)
    assert last[-1].tag == "Hangup"


def test_texting_a_keyword_gets_guidance_and_language_switch_sticks(twilio):
    reply = twilio.text("Narcán!")
    assert "naloxone" in reply and "911" in reply and "Reply MENU" in reply
    menu = twilio.text("ES")
    assert "Responda" in menu and "1 " in menu
    assert "naloxona" in twilio.text("1")  # first option of the Spanish menu
    assert "naloxona" in twilio.text("naloxona")
    assert "EN = English" not in twilio.text("menu"), "language hints only start a conversation"
    assert "EN = English" in twilio.text("purple elephant"), "or follow a text that was not understood"


def test_a_first_text_gets_the_menu_and_one_not_understood_the_language_hints(twilio):
    reply = twilio.text("hello there")
    lines = reply.splitlines()
    assert lines[0] == "If someone is not breathing or will not wake up, call 911 now."
    assert "1 An overdose or naloxone" in lines
    assert "ES = español" not in lines, "an English greeting keeps the reply in cheap GSM-7"
    lines = twilio.text("purple elephant", caller="+12025550111").splitlines()
    assert "1 An overdose or naloxone" in lines and lines[-1] == "Reply MORE for the rest."
    lines += twilio.text("MORE", caller="+12025550111").splitlines()
    assert "ES = español" in lines and "中文 = 回复 ZH" in lines, "the hints in other scripts come on the next page"


def test_unknown_text_gets_an_apology_and_the_menu(twilio):
    twilio.text("hi")
    reply = twilio.text("purple elephant")
    assert reply.startswith("Sorry, I did not understand that.")
    assert "5 Finding services or talking to a person" in reply


def test_texting_zero_or_person_gives_the_number_to_call(twilio):
    assert "(202) 555-0143" in twilio.text("0") or "1-202-555-0143" in twilio.text("0")


@pytest.mark.parametrize("path", ["/twilio/voice", "/twilio/voice/step", "/twilio/voice/dial",
                                  "/twilio/sms", "/twilio/status"])
def test_a_missing_or_wrong_signature_is_refused_and_changes_nothing(twilio, redis_client, path):
    params = {"CallSid": "CA" + "9" * 32, "From": CALLER, "Body": "hi", "Digits": "1"}
    assert twilio.post(path, params, signed=False).status_code == 403
    forged = Twilio(twilio.client, token="not-the-token")
    assert forged.post(path, params).status_code == 403
    tampered = twilio.validator.compute_signature("https://hotline.example.org" + path, params)
    changed = twilio.client.post(path, data={**params, "Digits": "2"}, headers={"X-Twilio-Signature": tampered})
    assert changed.status_code == 403
    assert redis_client.keys("*") == []


def test_missing_ids_get_a_clear_400(twilio, redis_client):
    assert twilio.post("/twilio/voice", {"From": CALLER}).status_code == 400
    assert twilio.post("/twilio/sms", {"Body": "hi"}).status_code == 400
    assert redis_client.keys("*") == []


def test_sessions_expire_and_never_name_the_caller(twilio, redis_client):
    call = twilio.call()
    call.start()
    call.press("2")
    twilio.text("NARCAN")
    keys = redis_client.keys("*")
    # Counters (flood limits, usage figures: tests/test_usage_counts.py) are not about one caller.
    stored = [key for key in keys if not key.startswith((b"hotline:rate:", b"hotline:stats:"))]
    assert len(stored) == 3, "the call, the texter and their remembered language"
    for key, value in redis_contents(redis_client).items():
        if key.startswith(b"hotline:stats:"):
            continue
        assert 0 < redis_client.ttl(key) <= (90 * 86400 if key.startswith(b"hotline:lang:") else 86400)
        dump = key + value
        assert CALLER.encode() not in dump and CALLER[2:].encode() not in dump
        if not key.startswith(b"hotline:call:"):  # a call's answer holds the recogniser's hints
            assert b"NARCAN" not in dump.upper()


def test_a_finished_call_is_forgotten_at_once(twilio, redis_client):
    call = twilio.call()
    call.start()
    assert redis_client.exists(f"hotline:call:{call.sid}")
    response = twilio.post("/twilio/status", {"CallSid": call.sid, "CallStatus": "completed"})
    assert response.status_code == 200
    assert not redis_client.exists(f"hotline:call:{call.sid}")


def test_redis_down_still_gives_the_emergency_advice_and_a_transfer(redis_client):
    app = create_app({**SETTINGS, "REDIS_URL": "redis://127.0.0.1:1/0"})
    twilio = Twilio(app.test_client())
    root = twilio.twiml("/twilio/voice", {"CallSid": "CA" + "1" * 32, "From": CALLER})
    check_voice(root)
    assert [lang for lang, _ in spoken(root)] == ["en-US", "es-US"]
    assert "911" in words(root)
    assert root.find("Dial/Number").text == "+12025550143"
    reply = twilio.text("NARCAN")
    assert "911" in reply and "202" in reply
    assert twilio.sms("STOP") is None and twilio.sms("parar") is None, "nothing is sent after STOP, even now"
    health = app.test_client().get("/healthz").get_json()
    assert health["status"] == "degraded" and health["redis"] is False


def test_healthz_reports_redis_and_the_flow(app):
    body = app.test_client().get("/healthz").get_json()
    assert body == {"status": "ok", "redis": True, "redis_writes": True, "flows": "served as on disk", "nodes": 27,
                    "languages": ["ar", "en", "es", "fil", "fr", "ht", "vi", "zh"]}


def test_production_without_a_token_refuses_to_start():
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN is required"):
        create_app({**SETTINGS, "TWILIO_AUTH_TOKEN": ""})
    with pytest.raises(ConfigError, match="HOTLINE_SECRET"):
        create_app({**SETTINGS, "HOTLINE_SECRET": "short"})


def test_development_mode_skips_signatures_and_says_so(redis_client, caplog):
    app = create_app({"HOTLINE_ENV": "development", "REDIS_URL": SETTINGS["REDIS_URL"]})
    assert "signatures are NOT checked" in caplog.text
    response = app.test_client().post("/twilio/voice", data={"CallSid": "CA" + "2" * 32, "From": CALLER})
    assert response.status_code == 200

