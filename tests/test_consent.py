"""STOP, START and HELP: carrier rules, as decided on plain data and as texted over signed webhooks."""

from __future__ import annotations

import pytest

from hotline.authoring.checks import run_check
from hotline.channels.sms import sms_plain
from hotline.flow import phrases
from hotline.flow.events import text
from hotline.texting.consent import HELP, MORE, START, STOP, Decision, decide

from .conftest import CALLER, FIXTURE

REPORT = run_check(FIXTURE / "flows", FIXTURE / "locales")

DECISIONS = [
    # (word, opted out before, OptOutType, decision)
    (STOP, False, "", Decision(opted_out=True)),  # a word Twilio confirms itself (the default)
    (STOP, True, "", Decision(opted_out=True)),
    (None, True, "", Decision(opted_out=True)),
    (HELP, True, "", Decision(opted_out=True)),
    (MORE, True, "", Decision(opted_out=True)),
    (START, True, "", Decision(opted_out=False, reply=phrases.SMS_OPTED_IN)),
    (START, True, "START", Decision(opted_out=False)),
    (HELP, False, "", Decision(opted_out=False, reply=phrases.SMS_HELP)),
    (HELP, False, "HELP", Decision(opted_out=False)),
    (START, False, "START", Decision(opted_out=False)),
    (START, False, "", Decision(opted_out=False, converse=True)),
    (None, False, "", Decision(opted_out=False, converse=True)),
    (MORE, False, "", Decision(opted_out=False, converse=True)),
    (None, False, "STOP", Decision(opted_out=True)),  # Twilio's own keyword list is followed
    (None, True, "start", Decision(opted_out=False)),
]


@pytest.mark.parametrize("word, before, twilio, expected", DECISIONS)
def test_consent_decisions(word, before, twilio, expected):
    assert decide(word, before, twilio) == expected


@pytest.mark.parametrize("before, twilio, expected", [
    (False, "", Decision(opted_out=True, reply=phrases.SMS_OPTED_OUT)),  # nobody else confirms PARAR
    (True, "", Decision(opted_out=True)),  # confirmed once, when it opted out
    (False, "STOP", Decision(opted_out=True)),  # Twilio's Advanced Opt-Out knew the word and answered
])
def test_an_opt_out_word_twilio_does_not_answer_is_confirmed_once(before, twilio, expected):
    assert decide(STOP, before, twilio, twilio_word=False) == expected


TWILIO_WORDS = ["STOP", "stopall", "Unsubscribe", "cancel", " END ", "quit", "Revoke.", "OPTOUT"]
OTHER_WORDS = {"parar": "es", "Alto": "es", "CANCELAR": "es", "detener": "es", "baja": "es", "停止": "zh",
               "退订": "zh", "dừng": "vi", "HINTO": "fil", "arrêt": "fr", "توقف": "ar", "kanpe": "ht"}


def opted_out(redis_client) -> list[bytes]:
    return redis_client.keys("hotline:optout:*")


@pytest.mark.parametrize("word", TWILIO_WORDS)
def test_twilios_own_opt_out_words_silence_the_number_and_twilio_confirms(twilio, redis_client, word):
    twilio.text("hi")
    assert twilio.sms(word) is None, "Twilio's standard handling confirms these: no second confirmation"
    assert len(opted_out(redis_client)) == 1


@pytest.mark.parametrize("word, lang", OTHER_WORDS.items())
def test_every_other_opt_out_word_is_confirmed_in_the_texters_language(twilio, redis_client, word, lang):
    twilio.text("hi")
    words, spoken = REPORT.catalogues.render(text(phrases.SMS_OPTED_OUT), lang, REPORT.flows.variables)
    assert spoken == lang and words != phrases.SMS_OPTED_OUT.format(programme="Harm Reduction Hotline")
    assert twilio.text(word) == sms_plain(words, REPORT.flows, lang)
    assert len(opted_out(redis_client)) == 1
    assert twilio.sms("NARCAN") is None and twilio.sms(word) is None, "then nothing, not even a second confirmation"


def test_an_opt_out_word_twilios_advanced_opt_out_answered_gets_no_second_confirmation(twilio, redis_client):
    twilio.text("hi")
    assert twilio.sms("PARAR", OptOutType="STOP") is None
    assert len(opted_out(redis_client)) == 1


def test_after_stop_nothing_more_is_sent_until_start_in_english(twilio, redis_client):
    twilio.text("hi")
    twilio.text("2")  # inside the test strips menu
    assert twilio.sms("STOP") is None
    for body in ["NARCAN", "1", "MENU", "HELP", "MORE", "not breathing", ""]:
        assert twilio.sms(body) is None, body
    [key] = opted_out(redis_client)
    assert CALLER[2:].encode() not in key
    assert 365 * 86400 < redis_client.ttl(key) <= 2 * 365 * 86400, "kept long, but it expires"
    again = twilio.text("start")
    assert "You will get texts from Harm Reduction Hotline again" in again and "STOP" in again
    assert opted_out(redis_client) == []
    assert "naloxone" in twilio.text("NARCAN")


def test_after_parar_nothing_more_is_sent_until_comenzar_in_spanish(twilio, redis_client):
    twilio.text("ES")
    assert twilio.text("Parar") == ("Ya no recibira mensajes de Harm Reduction Hotline. Responda COMENZAR para "
                                    "volver a recibirlos.")
    assert twilio.sms("naloxona") is None
    again = twilio.text("COMENZAR")
    assert again.startswith("Volvera a recibir mensajes de Harm Reduction Hotline") and "AYUDA" in again
    assert "naloxona" in twilio.text("naloxona")


@pytest.mark.parametrize("word", ["YES", "UNSTOP", "sí", "reanudar"])
def test_every_opt_in_word_opts_back_in(twilio, redis_client, word):
    twilio.sms("STOP")
    assert twilio.text(word)
    assert opted_out(redis_client) == []


def test_stop_inside_a_sentence_is_not_an_opt_out(twilio, redis_client):
    assert "naloxone" in twilio.text("how do I stop an overdose")
    assert "Reply with a number" in twilio.text("please stop it")
    assert opted_out(redis_client) == []


def test_yes_or_start_from_someone_not_opted_out_is_an_ordinary_message(twilio):
    assert "Reply with a number" in twilio.text("YES")


@pytest.mark.parametrize("word", ["HELP", "info", "Help!"])
def test_help_names_the_programme_its_contact_and_how_to_opt_out(twilio, word):
    twilio.text("2")
    reply = twilio.text(word)
    assert reply == ("If someone is not breathing, call 911. Harm Reduction Hotline: harm reduction help by text "
                     "and phone. Support: 1-202-555-0110. Reply STOP to opt out.")


@pytest.mark.parametrize("word, lang", [
    ("HELP", "en"), ("AYUDA", "es"), ("帮助", "zh"), ("GIÚP", "vi"), ("TULONG", "fil"), ("AIDE", "fr"),
    ("مساعدة", "ar"), ("ÈD", "ht"),
])
def test_help_in_every_language_starts_with_the_emergency_line_in_that_language(twilio, word, lang):
    """A texter who sends only HELP reads, before who we are, who to call when someone is not breathing."""
    reply = twilio.text(word)
    words, spoken = REPORT.catalogues.render(text(phrases.SMS_HELP), lang, REPORT.flows.variables)
    assert spoken == lang and reply == sms_plain(words, REPORT.flows, lang)
    assert "911" in reply and reply.index("911") < reply.index("Harm Reduction Hotline"), reply


def test_ayuda_answers_in_spanish_even_as_a_first_text(twilio):
    reply = twilio.text("AYUDA")
    assert "ayuda para reducir daños" in reply and "PARAR o STOP" in reply
    twilio.text("EN")
    assert "ayuda" not in twilio.text("HELP"), "a texter who chose English gets English"
    assert "Reply STOP" in twilio.text("AYUDA")


def test_when_twilio_already_answered_no_second_confirmation_is_sent(twilio, redis_client):
    assert twilio.sms("STOP", OptOutType="STOP") is None
    assert len(opted_out(redis_client)) == 1
    assert twilio.sms("START", OptOutType="START") is None, "Twilio sent the opt-in confirmation"
    assert opted_out(redis_client) == []
    assert twilio.sms("HELP", OptOutType="HELP") is None, "Twilio sent the help reply"
    assert twilio.sms("BASTA", OptOutType="STOP") is None, "a keyword Twilio knows and we do not still opts out"
    assert len(opted_out(redis_client)) == 1


def test_a_stop_from_one_number_does_not_silence_another(twilio):
    twilio.sms("STOP", caller="+12025550101")
    assert "naloxone" in twilio.text("NARCAN", caller="+12025550102")


def test_every_language_has_its_consent_and_emergency_words(app):
    flows = app.extensions["hotline"].flows
    for code, language in flows.languages.languages.items():
        assert all(getattr(language.words, kind) for kind in ("stop", "start", "help", "more")), code
        assert any(lang == code for _, lang in flows.emergency_keywords.entries.values()) or code == "en", code


def test_forget_after_stop_erases_but_sends_nothing(twilio, redis_client):
    twilio.text("ES")
    assert twilio.sms("STOP") is None
    assert twilio.sms("FORGET") is None, "after STOP nothing is sent, not even the FORGET confirmation"
    assert opted_out(redis_client), "the opt-out itself is never forgotten"
    assert not redis_client.keys("hotline:lang:*") and not redis_client.keys("hotline:sms:*")
