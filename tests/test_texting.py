"""Texting over signed webhooks: keywords anywhere, slips, arguments, emergencies, odd messages, pages."""

from __future__ import annotations

import json
import shutil

import pytest

from hotline import text_reply
from hotline.flow.loader import load_flowset
from hotline.flow.session import Person
from hotline.i18n import Catalogues, add_catalogue_keywords
from hotline.texting.segments import GSM7, segments

from .conftest import CALLER, FIXTURE, NOW


def session(redis_client, app, number: str = CALLER) -> dict:
    return json.loads(redis_client.hget(app.extensions["hotline"].store.texter_key(number), "s"))


def test_keywords_are_found_among_other_words_and_with_slips_in_english(twilio):
    assert twilio.text("i need narcam please").startswith("Call 911 now.")
    assert twilio.text("what about fentanly").startswith("Mix at least 10 milligrams")
    assert "Good Samaritan law" in twilio.text("tell me about the samaritan law")


def test_a_spanish_keyword_as_a_first_text_answers_in_spanish_and_sticks(twilio, app, redis_client):
    reply = twilio.text("Necesito naloxona, por favor")
    assert reply.startswith("Llame al 911 ahora.") and "Responda MENU" in reply
    assert session(redis_client, app)["lang"] == "es"
    assert twilio.text("menu").startswith("Si alguien no respira")
    assert "EN = English" not in twilio.text("hola"), "the menu, without the other languages' hints"
    reply = twilio.text("qué es esto")
    assert reply.startswith("Lo siento, no entendi su mensaje.") and "EN = English" in reply


def test_a_keyword_shared_by_both_languages_keeps_the_texters_language(twilio):
    assert twilio.text("NARCAN").startswith("Call 911 now.")
    twilio.text("ES")
    assert twilio.text("narcan").startswith("Llame al 911 ahora.")


@pytest.mark.parametrize("first, body, start", [
    ("hi", "STRIPS 1", "Mix at least 10 milligrams"),
    ("hi", "strips 2 please", "Xylazine test strips work like"),
    ("ES", "tiras 1", "Mezcle por lo menos 10 miligramos"),
])
def test_a_keyword_with_a_menu_number_goes_straight_to_that_option(twilio, first, body, start):
    twilio.text(first)
    assert twilio.text(body).startswith(start)


def test_an_argument_a_node_cannot_use_is_ignored(twilio):
    assert twilio.text("STRIPS 9").startswith("Reply with a number:\n1 Fentanyl test strips")


@pytest.mark.parametrize("first, body, start", [
    ("hi", "my friend is not breathing", "Call 911 now."),
    ("hi", "OVERDOSE!!", "Call 911 now."),
    ("ES", "mi amigo no respira que hago", "Llame al 911 ahora."),
    ("hola", "SOBREDOSIS", "Llame al 911 ahora."),
])
def test_emergency_words_go_straight_to_the_overdose_steps_from_any_menu(twilio, first, body, start):
    twilio.text(first)
    twilio.text("4")  # deep in another menu
    assert twilio.text(body).startswith(start)


def test_a_spanish_emergency_word_as_a_first_text_answers_in_spanish(twilio):
    assert twilio.text("Ayuda, mi hermano no despierta").startswith("Llame al 911 ahora.")


@pytest.mark.parametrize("body, start", [
    ("我朋友没有呼吸", "马上拨打 911。"),  # "my friend is not breathing": no spaces between the words
    ("他用了药以后叫不醒，怎么办？", "马上拨打 911。"),
    ("صديقي لا يتنفّس", "اتصل بالرقم 911 الآن."),  # with a diacritic
    ("ولا يتنفس ماذا افعل", "اتصل بالرقم 911 الآن."),  # "and" joined to the word, no diacritics
    ("اخي اخذ بالجرعة الزائدة", "اتصل بالرقم 911 الآن."),  # "with the" joined, no hamza
])
def test_emergency_words_are_found_in_chinese_without_spaces_and_in_arabic_with_joined_particles(
        twilio, body, start):
    reply = twilio.text(body).replace("\u200f", "").replace("\u200e", "")  # right-to-left marks
    assert reply.startswith(start)


def test_unknown_text_gets_a_short_help_line_and_the_menu_in_each_language(twilio):
    twilio.text("hi")
    reply = twilio.text("purple elephant")
    assert reply.startswith("Sorry, I did not understand that.\n") and "1 An overdose or naloxone" in reply
    twilio.text("ES")
    reply = twilio.text("elefante morado")
    assert reply.startswith("Lo siento, no entendi su mensaje.\n") and "1 Una sobredosis o naloxona" in reply


def test_a_language_switch_sticks(twilio):
    twilio.text("ESPAÑOL")
    assert "naloxona" in twilio.text("1")
    assert twilio.text("NALOXONA").startswith("Llame")
    assert twilio.text("EN").startswith("If someone is not breathing")
    assert twilio.text("naloxona").startswith("Call 911 now.")


@pytest.mark.parametrize("first, apology", [
    ("hi", "Sorry, I can only read text, not pictures."),
    ("ES", "Lo siento, solo puedo leer texto, no fotos."),
])
def test_a_picture_without_words_gets_a_kind_answer_and_the_menu(twilio, first, apology):
    twilio.text(first)
    reply = twilio.text("", NumMedia="1", MediaUrl0="https://api.twilio.com/2010-04-01/media/ME1")
    assert reply.startswith(apology + "\n") and "\n1 " in reply


def test_a_picture_with_a_keyword_is_read_as_the_keyword(twilio):
    assert twilio.text("narcan", NumMedia="2").startswith("Call 911 now.")


ODD = ["", "   ", "🙏🙏🙏", "😀 hola 😀", "x" * 1600, ("help me " * 200)[:1600], "\u0000\ufffd"]


@pytest.mark.parametrize("body", ODD)
def test_odd_messages_get_a_sensible_reply_never_an_error(twilio, body):
    reply = twilio.text(body)
    assert "Reply with a number:" in reply or "Responda con un numero:" in reply
    assert segments(reply)[1] <= 3


def test_every_reply_fits_the_budget_and_stays_gsm7_in_both_languages(twilio):
    bodies = ["hi", "1", "1", "MENU", "2", "1", "MENU", "NARCAN", "STRIPS 1", "0", "HELP"]
    for first in ["EN", "ES"]:
        twilio.text(first)
        for body in bodies:
            reply = twilio.text(body)
            assert segments(reply) <= (GSM7, 3), (first, body, reply)


class Texter:
    """One texter talking to a flow set through the real texting rules, pager and renderer, with no
    server: a one-segment budget is a programme that could not be served (its main menu cannot fit
    the first text), but the pager must still cut every long reply right."""

    def __init__(self, flows, catalogues):
        self.flows, self.catalogues = flows, catalogues
        self.session, self.person = None, Person()

    def text(self, body: str) -> str:
        self.session, self.person, reply = text_reply.answer(
            self.flows, self.catalogues, self.session, self.person, body, now=NOW)
        return reply


@pytest.fixture
def small_budget(tmp_path):
    """The fixture flows with one segment per reply and a sentence in typographic punctuation."""
    flows = tmp_path / "flows"
    shutil.copytree(FIXTURE / "flows", flows)
    flow = flows / "hotline.yaml"
    text = flow.read_text().replace("max_sms_segments: 3", "max_sms_segments: 1")
    text = text.replace('- "Try not to use alone."', '- "“Try not to use alone” – it’s safer…"')
    flow.write_text(text)
    loaded = load_flowset(flows)
    catalogues = Catalogues(FIXTURE / "locales", loaded.languages.languages)
    return Texter(add_catalogue_keywords(loaded, catalogues)[0], catalogues)


@pytest.mark.parametrize("first, more, hint, guidance", [
    ("EN", "MORE", "Reply MORE for the rest.", "Call 911 now."),
    ("ES", "más", "Responda MAS para ver el resto.", "Llame al 911 ahora."),
])
def test_long_guidance_comes_in_pages_with_reply_more(small_budget, first, more, hint, guidance):
    small_budget.text(first)
    pages = [small_budget.text("NARCAN")]
    while pages[-1].endswith(hint):
        pages.append(small_budget.text(more))
        assert len(pages) < 10
    assert len(pages) >= 3 and pages[0].startswith(guidance)
    assert all(segments(page)[1] == 1 for page in pages)
    assert "MENU" in pages[-1] and hint not in pages[-1]
    assert "Reply with a number" in small_budget.text("MORE") or "Responda con" in small_budget.text("menu")


def test_another_text_drops_the_rest_of_the_pages(small_budget):
    first = small_budget.text("NARCAN")
    assert first.endswith("Reply MORE for the rest.")
    assert small_budget.text("STRIPS").startswith("Reply with a number")
    assert small_budget.text("MORE").startswith("That was all.\nIf someone is not breathing")


def test_typographic_punctuation_is_texted_as_gsm7(small_budget):
    reply = small_budget.text("ALONE")
    assert reply.startswith('"Try not to use alone" - it\'s safer...')
    assert segments(reply)[0] == GSM7
