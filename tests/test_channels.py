"""Renderers: actions in, TwiML out, with no I/O."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hotline.channels.numbers import dialable, pieces, short_numbers
from hotline.channels.sms import reply_text
from hotline.channels.voice import render_voice
from hotline.flow.events import Dial, Gather, Hangup, Options, Record, Say, text
from hotline.flow.loader import load_flowset
from hotline.flow.prompts import voice_texts
from hotline.i18n import Catalogues

from .conftest import FIXTURE

FLOWS = load_flowset(FIXTURE / "flows")
CATALOGUES = Catalogues(FIXTURE / "locales", FLOWS.languages.languages)


def voice(*actions) -> ET.Element:
    return ET.fromstring(render_voice(actions, CATALOGUES, FLOWS))


def test_everything_before_a_gather_is_said_inside_it_and_silence_redirects():
    root = voice(Say(text("Call {emergency} now."), "en"), Options((("1", text("safer use")),), "en"), Gather(6))
    gather, redirect = list(root)
    assert gather.tag == "Gather" and redirect.tag == "Redirect"
    assert gather.attrib == {"input": "dtmf", "numDigits": "1", "timeout": "6", "finishOnKey": "",
                             "action": "/twilio/voice/step", "method": "POST"}
    assert ["".join(s.itertext()) for s in gather] == ["Call 911 now. For safer use, press 1."]
    assert redirect.text == "/twilio/voice/step"


def test_guidance_is_slowed_and_each_language_gets_its_voice():
    root = voice(Say(text("Call {emergency} now."), "es", slow=True), Say(text("For English, press 1.", "en"), "en"),
                 Hangup())
    first, second, hangup = list(root)
    assert (first.get("language"), first.get("voice")) == ("es-US", "Polly.Lupe-Neural")
    slowed = first.find("prosody")
    assert slowed.get("rate") == "90%" and "".join(slowed.itertext()) == "Llame al 911 ahora."
    assert (second.get("language"), second.get("voice"), second.text) == ("en-US", "Polly.Joanna-Neural",
                                                                           "For English, press 1.")
    assert hangup.tag == "Hangup"


def test_a_transfer_dials_with_a_timeout_and_an_action():
    root = voice(Say(text("No one answered."), "en"), Dial(("+12025550143",), 20, "en"))
    dial = root.find("Dial")
    assert dial.attrib == {"action": "/twilio/voice/dial", "method": "POST", "timeout": "20"}
    assert dial.findtext("Number") == "+12025550143"


def test_a_zip_code_gather_waits_for_five_keys():
    gather = voice(Say(text("Call {emergency} now."), "en"), Gather(6, digits=5)).find("Gather")
    assert gather.get("numDigits") == "5" and gather.get("finishOnKey") == ""


def test_ringing_together_with_screening_gives_each_number_the_screening_page():
    root = voice(Dial(("+14155550157", "+14155550142"), 25, "es", screen=True))
    numbers = root.findall("Dial/Number")
    assert [n.text for n in numbers] == ["+14155550157", "+14155550142"]
    assert {(n.get("url"), n.get("method")) for n in numbers} == {("/twilio/voice/screen?lang=es", "POST")}
    unscreened = voice(Dial(("+14155550157",), 25, "es")).find("Dial/Number")
    assert unscreened.attrib == {}


def test_a_voicemail_records_then_goes_on_even_when_nothing_was_recorded():
    root = voice(Say(text("Call {emergency} now."), "en"), Record(90))
    say, record, redirect = list(root)
    assert record.attrib == {"action": "/twilio/voice/recorded", "method": "POST", "maxLength": "90",
                             "finishOnKey": "#", "playBeep": "true", "timeout": "5"}
    assert (redirect.tag, redirect.text) == ("Redirect", "/twilio/voice/recorded")


def test_xml_special_characters_are_escaped():
    root = voice(Say(text("<b>& 'quotes' \"too\"</b>"), "en"), Hangup())
    assert root.find("Say").text == "<b>& 'quotes' \"too\"</b>"


def test_an_sms_menu_is_numbered_lines():
    body = reply_text([Options((("1", text("safer use")), ("2", text("wound care"))), "es")], CATALOGUES, FLOWS)
    # Spanish texts drop the accents GSM-7 lacks (sms_gsm7: letters), so they stay GSM-7.
    assert body == "Responda con un numero:\n1 Consumo mas seguro\n2 Cuidado de heridas"


def test_a_gather_listens_in_the_callers_language_with_hints():
    gather = voice(Say(text("Call {emergency} now."), "es"),
                   Gather(12, lang="es", hints=("naloxona", "no respira"))).find("Gather")
    assert gather.attrib == {"input": "dtmf speech", "language": "es-US", "hints": "naloxona, no respira",
                             "speechTimeout": "4", "numDigits": "1", "timeout": "12", "finishOnKey": "",
                             "action": "/twilio/voice/step", "method": "POST"}


def test_menus_said_for_a_caller_who_asked_for_more_time_are_slowed():
    root = voice(Options((("1", text("safer use")),), "en", slow=True), Gather(12, lang="en"))
    assert root.find("Gather/Say/prosody").get("rate") == "90%"


# -- numbers are spoken digit by digit ------------------------------------------------------

NUMBER = re.compile(r"\d{3,}")


def test_every_number_to_dial_is_spelled_out_in_every_language_and_its_voices_own_way():
    """Every sentence a caller can hear, in every language: each run of three digits or more is
    inside a <say-as> that reads it digit by digit for that voice (digits: Polly, characters: Google)."""
    checked = set()
    for lang in FLOWS.languages.languages:
        sentences = [*voice_texts(FLOWS, lang), text("Call {person} or {helpline}, or text 988 or 211.")]
        for sentence in sentences:
            for say in voice(Say(sentence, lang), Hangup()).iter("Say"):
                voice_name = say.get("voice")
                expected = "digits" if voice_name.startswith("Polly.") else "characters"
                for spelled in say.iter("say-as"):
                    assert spelled.get("interpret-as") == expected, (lang, voice_name)
                    assert spelled.text.isdigit()
                    checked.add((lang, spelled.text))
                assert NUMBER.findall(_outside(say)) == [], (lang, "".join(say.itertext()))
    for lang in FLOWS.languages.languages:
        assert (lang, "911") in checked and (lang, "4357") in checked, lang


def _outside(element) -> str:
    """The words of an element that are not inside a <say-as>."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "say-as":
            parts.append(_outside(child))
        parts.append(child.tail or "")
    return "".join(parts)


def test_counts_and_measures_are_not_numbers_to_dial():
    pattern = dialable(short_numbers(FLOWS))
    for words in ("Wait 2 to 3 minutes.", "Use 10 milligrams.", "about 2.5 miles", "ZIP 94110", "at 5:00 PM"):
        assert [piece for piece, digits in pieces(words, pattern) if digits] == [], words
    assert [p for p, d in pieces("Call (202) 555-0143 or +12025550143.", pattern) if d] == [
        "202", "555", "0143", "12025550143"]


def test_a_voice_without_ssml_hears_the_digits_spaced():
    root = ET.fromstring(render_voice((Say(text("Call {emergency} now."), "en"), Hangup()), CATALOGUES, _basic()))
    assert root.find("Say").text == "Call 9 1 1 now." and root.find(".//say-as") is None


def _basic():
    import dataclasses

    languages = FLOWS.languages.languages
    en = languages["en"].model_copy(update={"voice": "woman"})
    plain = FLOWS.languages.model_copy(update={"languages": {**languages, "en": en}})
    return dataclasses.replace(FLOWS, languages=plain)
