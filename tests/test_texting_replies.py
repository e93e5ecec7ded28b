"""Texted replies that fit and lead on: every reply has a next step, MORE with nothing left says
so, a first texter learns at once that other languages exist, and the main menu is one message.

Through signed webhooks on the fixture content (conftest's `twilio`), except the last test,
which measures every language's main menu in the fixture (test_shipped_content.py: in the shipped).
"""

from __future__ import annotations

import pytest

from hotline.authoring.checks import run_check
from hotline.channels.sms import more_line, paginate, reply_lines
from hotline.flow.engine import menu_prompt
from hotline.texting.segments import segments

from .conftest import FIRST_HINT, FIXTURE

MENU_EN = "If someone is not breathing or will not wake up, call 911 now.\nReply with a number:\n1 An overdose"
MENU_ES = "Si alguien no respira o no despierta, llame al 911 ahora.\nResponda con un numero:\n1 "


def test_more_with_nothing_left_says_that_was_all_then_the_menu(twilio):
    twilio.text("HI")
    assert twilio.text("MORE").startswith("That was all.\n" + MENU_EN)
    twilio.text("ES")
    assert twilio.text("MAS").startswith("Eso es todo.\n" + MENU_ES)
    assert twilio.text("1").startswith("Responda con un numero:"), "the texter is at the menu: 1 is its option"


@pytest.mark.parametrize("body", ["0", "TREATMENT", "PEER"])
def test_a_reply_with_no_next_step_ends_with_reply_menu(twilio, body):
    twilio.text("HI")
    assert twilio.text(body).splitlines()[-1] == "Reply MENU for the menu."
    twilio.text("ES")
    assert twilio.text(body).splitlines()[-1] == "Responda MENU para ver el menu."


def test_a_first_texter_learns_on_the_first_message_that_other_languages_exist(twilio):
    first = twilio.text("hello")
    assert first.splitlines()[-1] == FIRST_HINT and len(FIRST_HINT.encode()) < 60
    assert segments(first) == ("GSM-7", 2), "the hint costs no UCS-2 and no extra segment"
    assert FIRST_HINT not in twilio.text("MENU"), "only the first reply carries it"
    assert twilio.text("ZH").startswith("如果有人")


def test_a_texter_whose_language_is_remembered_or_just_chosen_gets_no_hint(twilio):
    assert FIRST_HINT not in twilio.text("ES", caller="+12025550121")
    assert "Para su idioma" not in twilio.text("hola", caller="+12025550121")


def test_the_hint_never_pushes_the_overdose_steps_to_a_later_page(twilio):
    first = twilio.text("NOT BREATHING", caller="+12025550122")
    assert first.startswith("Call 911 now.") and FIRST_HINT in first
    lines = first.splitlines()
    assert lines.index(FIRST_HINT) == len(lines) - 1 and "Reply MENU for the menu." in lines


def test_the_texted_main_menu_with_all_its_options_is_one_message_in_every_language():
    assert_the_main_menu_is_one_message_in_every_language(FIXTURE)


def assert_the_main_menu_is_one_message_in_every_language(root) -> None:
    """(The shipped content's own is in test_shipped_content.py.)"""
    report = run_check(root / "flows", root / "locales")
    flows, catalogues = report.flows, report.catalogues
    for lang in flows.languages.languages:
        if lang in flows.held:
            continue
        menu = reply_lines(menu_prompt(flows, flows.flow.menu, lang, "sms"), catalogues, flows)
        pages = paginate(list(menu), flows.settings.max_sms_segments, more_line(catalogues, flows, lang))
        assert len(pages) == 1, f"{lang}: {pages}"
