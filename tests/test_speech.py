"""Speaking instead of pressing, and more time for those who need it: signed voice webhooks, real Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline.flow.loader import load_flowset

from .conftest import FIXTURE, spoken, words

TWILIO_LANGUAGES = Path("/work/shared/twilio-tts.json")


def gather(root):
    found = root.find("Gather")
    assert found is not None
    return found


def spanish_call(twilio):
    call = twilio.call()
    call.start()
    call.press("2")
    return call


def test_menus_listen_for_speech_in_the_callers_language_with_hints(twilio):
    call = twilio.call()
    first = gather(call.start())
    assert (first.get("input"), first.get("language"), first.get("speechTimeout")) == ("dtmf speech", "en-US", "2")
    assert "español" in first.get("hints").split(", ")
    menu = gather(call.press("2"))
    assert (menu.get("input"), menu.get("language")) == ("dtmf speech", "es-US")
    hints = menu.get("hints").split(", ")
    assert {"tiras", "naloxona", "operator", "no respira", "english"} <= set(hints)


@pytest.mark.parametrize("lang_key, said, expected", [
    ("1", "Naloxone.", "Give naloxone: spray one dose into one nostril."),
    ("2", "naloxona", "Dele naloxona: rocíe una dosis en un lado de la nariz."),
    ("1", "test strips please", "For fentanyl test strips, press 1."),
    ("2", "tiras de prueba", "Para tiras de prueba de fentanilo, oprima 1."),
])
def test_saying_a_keyword_works_like_pressing_its_key(twilio, lang_key, said, expected):
    call = twilio.call()
    call.start()
    call.press(lang_key)
    assert expected in words(call.say(said))


def test_saying_operator_reaches_a_person(twilio):
    call = twilio.call()
    call.start()
    call.press("1")
    assert call.say("operator").findtext("Dial/Number") == "+12025550143"


def test_saying_a_language_switches_to_it(twilio):
    call = twilio.call()
    call.start()
    menu = call.say("Español")
    assert {lang for lang, _ in spoken(menu)} == {"es-US"} and "respira" in words(menu)
    back = call.say("English please")
    assert {lang for lang, _ in spoken(back)} == {"en-US"} and gather(back).get("language") == "en-US"


def test_saying_a_number_is_pressing_it(twilio):
    call = twilio.call()
    call.start()
    call.press("1")
    assert "For fentanyl test strips, press 1." in words(call.say("2."))


@pytest.mark.parametrize("lang_key, sorry", [
    ("1", "Sorry, I did not catch that. Please press a key."),
    ("2", "Lo siento, no le entendí. Por favor, oprima una tecla."),
])
def test_unsure_or_unknown_speech_asks_for_a_key(twilio, lang_key, sorry):
    call = twilio.call()
    call.start()
    call.press(lang_key)
    unsure = call.say("naloxone", confidence=0.2)
    assert words(unsure).startswith(sorry)
    assert "911" in words(unsure), "asking again keeps the emergency line"
    assert words(call.say("purple elephants")).startswith(sorry)


@pytest.mark.parametrize("lang_key, said, steps", [
    ("1", "he is not breathing", "Call 911 now."),
    ("1", "overdose", "Call 911 now."),
    ("2", "no respira", "Llame al 911 ahora."),
    ("2", "es una sobredosis", "Llame al 911 ahora."),
])
def test_emergency_words_go_straight_to_the_overdose_steps_even_when_unsure(twilio, lang_key, said, steps):
    call = twilio.call()
    call.start()
    call.press(lang_key)
    call.press("3")  # in another menu
    assert words(call.say(said, confidence=0.3)).startswith(steps)


def test_a_spanish_emergency_word_at_the_language_menu_answers_in_spanish(twilio):
    call = twilio.call()
    call.start()
    root = call.say("sobredosis")
    assert spoken(root)[0][0] == "es-US" and spoken(root)[0][1].startswith("Llame al 911 ahora.")


@pytest.mark.parametrize("lang_key, announce, granted", [
    ("1", "If you need more time to answer, press 8.", "You now have more time to answer."),
    ("2", "Si necesita más tiempo para contestar, oprima 8.", "Ahora tiene más tiempo para contestar."),
])
def test_key_8_doubles_every_wait_for_the_rest_of_the_call(twilio, lang_key, announce, granted):
    call = twilio.call()
    call.start()
    menu = call.press(lang_key)
    assert announce not in words(menu) and gather(menu).get("timeout") == "6", "the first main menu is short"
    assert announce in words(call.press("1")), "announced after the first choice"
    slower = call.press("8")
    assert words(slower).startswith(granted)
    assert (gather(slower).get("timeout"), gather(slower).get("speechTimeout")) == ("12", "4")
    assert all(say.find("prosody") is not None for say in slower.iter("Say")), "menus are spoken slowly too"
    deeper = call.press("1")
    assert gather(deeper).get("timeout") == "12" and announce not in words(deeper), "announced once"
    assert gather(call.silence()).get("timeout") == "12"


def test_silence_offers_more_time_until_it_is_taken(twilio):
    call = twilio.call()
    call.start()
    call.press("1")
    assert "If you need more time, press 8." in words(call.silence())
    call.press("8")
    assert "press 8" not in words(call.silence())


def test_every_recogniser_language_is_one_twilio_accepts():
    if not TWILIO_LANGUAGES.is_file():
        pytest.skip("the list of Twilio's <Gather> languages is not on this machine")
    accepted = set(json.loads(TWILIO_LANGUAGES.read_text())["gather_languages"])
    languages = load_flowset(FIXTURE / "flows").languages.languages
    recognised = {code: lang.gather_language for code, lang in languages.items() if lang.gather_language}
    assert set(recognised) == set(languages) - {"ht"}, "every language with a voice, none for Haitian Creole"
    assert set(recognised.values()) <= accepted


@pytest.mark.parametrize("lang_key, written, keys", [
    ("4", {"không thở", "ngừng thở", "quá liều"}, {"khong tho", "ngung tho", "qua lieu"}),
    ("2", {"dejó de respirar", "más seguro", "no respira"}, {"dejo de respirar", "mas seguro"}),
    ("1", {"won't wake up", "not breathing"}, {"won t wake up"}),
])
def test_speech_hints_are_the_words_as_people_write_them(twilio, lang_key, written, keys):
    call = twilio.call()
    call.start()
    hints = gather(call.press(lang_key)).get("hints").split(", ")
    assert written <= set(hints), hints
    assert not keys & set(hints), "never the accent-free keys the words are matched by"


def test_every_hint_of_every_menu_is_a_word_as_written_in_the_flows_or_catalogues(twilio):
    from hotline.flow.keywords import normalize

    flows = twilio.client.application.extensions["hotline"].flows
    as_written = {word.lower() for word in flows.written.values()}
    stripped = {normalize(word).lower() for word in flows.written.values()} - as_written
    for lang_key in "1234":
        call = twilio.call()
        call.start()
        for hint in gather(call.press(lang_key)).get("hints").split(", "):
            assert hint in as_written or any(hint == w.lower() for lang in flows.languages.languages.values()
                                             for w in lang.keywords), hint
            assert hint not in stripped, f"{hint}: an accent-free key"


def test_a_language_menu_listens_in_its_first_language_and_takes_keys_for_the_others(twilio):
    root = twilio.call().start()
    listening = gather(root)
    assert listening.get("language") == "en-US", "a Gather hears one language: the one the menu opens in"
    assert "not breathing" in listening.get("hints").split(", ")
    said = words(root)
    for line in ("For English, press 1.", "Para español, oprima 2.", "Tiếng Việt, xin bấm số 4."):
        assert line in said, "every other language is chosen by its key, which its own line names"
    call = twilio.call()
    call.start()
    assert gather(call.press("2")).get("language") == "es-US", "after the key, the caller is heard in their language"
