"""Callers can ask to be forgotten, as texters send FORGET: a key of the language menus, or
"forget me" said in their language (the catalogues' FORGET words). Signed webhooks, real Redis."""

from __future__ import annotations

import pytest

from hotline.flow.events import text
from hotline.flow.phrases import FORGOTTEN_CALL
from hotline.texting.forget import FORGET_WORDS

from .conftest import CALLER, words

DONE = "Done: this line has deleted what it kept about your phone number."
#: Keys to the main menu of each language a caller can choose in the fixture.
LANG_KEYS = {"en": ["1"], "es": ["2"], "zh": ["3"], "vi": ["4"], "fil": ["5", "1"], "fr": ["5", "2"], "ar": ["5", "3"]}


def kept(redis_client) -> set[str]:
    return {key.decode().split(":")[1] for key in redis_client.keys("hotline:*") if b":rate:" not in key}


def hang_up(twilio, call) -> None:
    twilio.post("/twilio/status", {"CallSid": call.sid, "CallStatus": "completed"})


def test_the_language_menus_forget_key_erases_the_number_but_keeps_its_opt_out(twilio, redis_client):
    twilio.text("ES")  # a texter conversation and a remembered language
    assert twilio.sms("STOP") is None
    assert {"sms", "lang", "optout"} <= kept(redis_client)
    call = twilio.call()
    start = call.start()
    assert "Para otro idioma" in words(start), "the remembered language skips the language menu"
    call.press("#")
    other = call.press("5")
    assert "To have this line forget your phone number, press 9." in words(other)
    done = call.press("9")
    assert words(done).startswith("Listo: esta línea borró lo que guardaba sobre su número de teléfono."), \
        "told in their language"
    assert "Pour le français, appuyez sur 2." in words(done), "and the menu again"
    assert redis_client.keys("hotline:lang:*") == [] and redis_client.keys("hotline:sms:*") == []
    assert redis_client.keys("hotline:optout:*"), "the opt-out is never forgotten: STOP must hold"
    hang_up(twilio, call)
    assert "For English, press 1." in words(twilio.call().start()), "the next call starts at the language menu"


@pytest.mark.parametrize("lang", sorted(LANG_KEYS))
def test_saying_forget_me_in_the_callers_language_erases_the_number(app, twilio, redis_client, lang):
    catalogues = app.extensions["hotline"].catalogues
    word = catalogues.translate(FORGET_WORDS, lang)[0].split(",")[-1].strip()
    call = twilio.call()
    call.start()
    for key in LANG_KEYS[lang]:
        call.press(key)
    assert redis_client.keys("hotline:lang:*"), "choosing the language remembered it"
    heard = call.say(f"{word.capitalize()}.")
    said = catalogues.render(text(FORGOTTEN_CALL), lang, app.extensions["hotline"].flows.variables)[0]
    assert words(heard).startswith(said), (lang, word, words(heard)[:120])
    assert redis_client.keys("hotline:lang:*") == []


def test_forget_said_among_other_words_or_unsure_is_not_a_request(twilio, redis_client):
    call = twilio.call()
    call.start()
    call.press("2")
    assert not words(call.say("olvidar la dirección")).startswith("Listo")
    assert not words(call.say("olvídeme", confidence=0.2)).startswith("Listo")
    assert redis_client.keys("hotline:lang:*"), "nothing was erased"


def test_a_withheld_caller_who_asks_to_be_forgotten_is_told_so(twilio, redis_client):
    call = twilio.call(caller="anonymous")
    call.start()
    call.press("5")
    assert words(call.press("9")).startswith(DONE)
    assert redis_client.keys("hotline:lang:*") == []
    assert CALLER not in str(redis_client.keys("*"))
