"""Reloading: an edit goes live on the next request, a broken edit never replaces the last good one."""

from __future__ import annotations

import logging

import pytest

from hotline import create_app
from hotline.bundle import Published
from hotline.config import ConfigError
from hotline.flow.loader import FlowError

from .conftest import SETTINGS, Twilio, edit, spoken, words

FLOW, PO = "flows/hotline.yaml", "locales/es/LC_MESSAGES/messages.po"


@pytest.fixture
def live(project, redis_client):
    settings = {**SETTINGS, "HOTLINE_FLOWS_DIR": str(project / "flows"),
                "HOTLINE_LOCALES_DIR": str(project / "locales"), "HOTLINE_RELOAD_SECONDS": "0"}
    return Twilio(create_app(settings).test_client())


def first_words(twilio) -> str:
    """The first line of the language menu (after the emergency sentence in English and Spanish)."""
    return spoken(twilio.call().start())[2][1]


def test_an_edited_prompt_is_spoken_on_the_next_call_and_a_broken_edit_is_refused(live, project, caplog):
    assert first_words(live) == "For English, press 1."
    edit(project, FLOW, '"For English, press 1."', '"For English, please press 1."')
    assert first_words(live) == "For English, please press 1."

    edit(project, FLOW, "    next: main", "    next: mian")
    broken_line = next(i for i, text in enumerate((project / FLOW).read_text().splitlines(), 1) if "mian" in text)
    with caplog.at_level(logging.WARNING, logger="hotline.reload"):
        assert first_words(live) == "For English, please press 1.", "the last good version is still served"
        assert first_words(live) == "For English, please press 1."
    logged = [r.getMessage() for r in caplog.records if r.name == "hotline.reload"]
    assert logged[0] == "flows and catalogues NOT reloaded, still serving the last good version (1 error):"
    assert logged[1] == f"{project}/{FLOW}:{broken_line}: error: there is no node 'mian' (did you mean 'main'?)"
    assert len(logged) == 2, "the same broken version is checked once, not on every request"

    edit(project, FLOW, "    next: mian", "    next: main")
    edit(project, FLOW, '"For English, please press 1."', '"For English, press one."')
    assert first_words(live) == "For English, press one."


def test_an_edited_translation_is_used_and_a_broken_one_is_not(live, project):
    def spanish_goodbye() -> str:
        call = live.call()
        call.start()
        call.press("2")
        call.press("0")
        return words(call.dial_result("completed"))

    assert spanish_goodbye().startswith("Gracias por llamar.")
    edit(project, PO, '"Gracias por llamar. Puede', '"Muchas gracias por llamar. Puede')
    assert spanish_goodbye().startswith("Muchas gracias por llamar.")
    edit(project, PO, 'msgstr "Llame al {emergency} ahora."', 'msgstr "Llame al {emergencia} ahora."')
    edit(project, PO, '"Muchas gracias por llamar. Puede', '"Adiós. Gracias por llamar. Puede')
    assert spanish_goodbye().startswith("Muchas gracias por llamar."), "flows and catalogues are swapped together"


def test_a_call_whose_menu_was_removed_restarts_at_the_main_menu_in_its_language(live, project):
    call = live.call()
    call.start()
    call.press("2")
    call.press("1")  # now waiting in overdose_menu
    flow = (project / FLOW).read_text(encoding="utf-8").replace("overdose_menu", "overdose_choices")
    (project / FLOW).write_text(flow, encoding="utf-8")
    after = call.press("3")
    lang, said = spoken(after)[0]
    assert lang == "es-US" and said.startswith("Si alguien no respira o no despierta, cuelgue y llame al 911")
    assert "Para una sobredosis o naloxona, oprima 1." in said


def test_start_up_refuses_flows_that_fail_the_check(project):
    edit(project, FLOW, "    no_answer: national_lines", "    no_answer: person")
    with pytest.raises(FlowError) as caught:
        Published(project / "flows", project / "locales", every=5)
    assert "loop with no exit" in str(caught.value)


def test_files_are_looked_at_no_more_often_than_asked(project):
    now = [100.0]
    published = Published(project / "flows", project / "locales", every=5, clock=lambda: now[0])
    first = published.current()
    edit(project, FLOW, '"For English, press 1."', '"For English, press one."')
    now[0] += 4
    assert published.current() is first
    now[0] += 1
    assert published.current() is not first
    assert published.current().flows.flow.nodes["language"].options[0].say == "For English, press one."


def test_a_reload_that_crashes_keeps_the_last_good_version(project, monkeypatch, caplog):
    published = Published(project / "flows", project / "locales", every=0)
    first = published.current()
    edit(project, FLOW, '"For English, press 1."', '"For English, press one."')

    def broken(*args):
        raise PermissionError("cannot read")

    monkeypatch.setattr("hotline.bundle.run_check", broken)
    with caplog.at_level(logging.ERROR, logger="hotline.reload"):
        assert published.current() is first
    assert "NOT reloaded" in caplog.records[0].getMessage()


def test_the_reload_interval_cannot_be_negative():
    with pytest.raises(ConfigError, match="HOTLINE_RELOAD_SECONDS must be zero or more"):
        create_app({**SETTINGS, "HOTLINE_RELOAD_SECONDS": "-1"})


def test_a_catalogue_with_a_syntax_error_is_never_published_and_the_last_good_one_serves(live, project, caplog):
    def overdose_text() -> str:
        live.text("ES", caller="+12025550161")
        return live.text("SOBREDOSIS", caller="+12025550161")

    assert "Llame al 911 ahora." in overdose_text()
    edit(project, PO, 'msgstr "Llame al {emergency} ahora."', 'msgstr Llame al {emergency} ya."')
    with caplog.at_level(logging.WARNING, logger="hotline.reload"):
        reply = overdose_text()
    assert "Llame al 911 ahora." in reply and "lame al 911 ya" not in reply, "the last good catalogue serves"
    broken = next(i for i, text in enumerate((project / PO).read_text().splitlines(), 1) if "msgstr Llame" in text)
    assert f"{project}/{PO}:{broken}: error: the text after msgstr does not start with a double quote" in caplog.text
    edit(project, PO, 'msgstr Llame al {emergency} ya."', 'msgstr "Llame al {emergency} ya."')
    assert "Llame al 911 ya." in overdose_text()
