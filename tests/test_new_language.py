"""A new language: picked from Babel's list, a voice proposed from Twilio's, off until complete."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.messages.pofile import read_po

from hotline.authoring.catalogue_edit import serialise
from hotline.authoring.checks import run_check
from hotline.authoring.new_language import NotALanguage, add_language, language_choices, propose
from hotline.authoring.simulator import Simulator
from hotline.flow.engine import begin, step
from hotline.flow.events import Key, Message, Say, Start

from .conftest import edit

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC)
SHIPPED = ("en", "es", "zh", "vi", "fil", "fr", "ar", "ht")


def test_languages_are_picked_from_babels_list():
    choices = language_choices(SHIPPED)
    assert {"pt", "so", "ko", "ru"} <= {c.code for c in choices}
    assert not {"es", "fr", "ht"} & {c.code for c in choices}, "the hotline has them already"
    assert [(c.code, c.english, c.native) for c in language_choices(SHIPPED, "portug")] == [
        ("pt", "Portuguese", "português")]
    assert [c.code for c in language_choices(SHIPPED, "한국어")] == ["ko"]


@pytest.mark.parametrize(("code", "say", "voice", "gather"), [
    ("pt", "pt-BR", "Google.pt-BR-Wavenet-A", "pt-BR"),  # Brazil: most Portuguese speakers
    ("ko", "ko-KR", "Google.ko-KR-Wavenet-A", "ko-KR"),
    ("yue", "yue-HK", "Google.yue-HK-Standard-A", "yue-Hant-HK"),  # no WaveNet voice for Cantonese
    ("so", None, None, None),  # Somali: Twilio cannot speak or hear it
])
def test_a_voice_and_speech_language_are_proposed_from_twilios_list(code, say, voice, gather):
    proposal = propose(code, SHIPPED)
    assert (proposal.say_language, proposal.voice, proposal.gather_language) == (say, voice, gather)
    if voice is None:
        assert proposal.summary().startswith("Twilio has no voice for Somali: it will be served by text")


def test_a_code_babel_does_not_know_a_variant_or_one_the_hotline_has_is_refused():
    for code, reason in (("xx", "not a language code"), ("pt_BR", "not a country's variant"), ("es", "already")):
        with pytest.raises(NotALanguage, match=reason):
            propose(code, SHIPPED)


def test_a_new_language_stays_off_until_its_catalogue_is_complete(project):
    languages, pot = project / "flows/languages.yaml", project / "locales/messages.pot"
    yaml_text, po_text = add_language(languages.read_text(encoding="utf-8"), pot.read_text(encoding="utf-8"),
                                      propose("pt", SHIPPED), NOW)
    languages.write_text(yaml_text, encoding="utf-8")
    po = project / "locales/pt/LC_MESSAGES/messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(po_text, encoding="utf-8")
    report = run_check(project / "flows", project / "locales")
    assert not report.errors, report.errors
    assert report.flows.held == {"pt"}
    assert any("pt: off for callers and texters until its catalogue is complete" in p.message
               for p in report.warnings)
    texter = Simulator(report.flows, report.catalogues, "sms")
    texter.open()
    assert "Reply with a number:" in texter.send("PORTUGUES"), "the switch word does nothing yet: still English"
    assert "ES = español" in hints(report.flows) and "PT = Português" not in hints(report.flows), "no hint for it"

    catalog = read_po(po.open("rb"), locale="pt")
    for message in catalog:
        if message.id:
            message.string = message.id  # stands in for a complete translation
    po.write_text(serialise(catalog), encoding="utf-8")
    report = run_check(project / "flows", project / "locales")
    assert not report.errors and report.flows.held == frozenset()
    texter = Simulator(report.flows, report.catalogues, "sms")
    texter.open()
    texter.send("PORTUGUES")
    assert texter.session["lang"] == "pt", "complete: the switch word works, with no other edit"
    assert "PT = Português" in hints(report.flows)


def test_a_language_menu_line_for_it_is_not_said_until_it_is_complete(project):
    languages, pot = project / "flows/languages.yaml", project / "locales/messages.pot"
    yaml_text, po_text = add_language(languages.read_text(encoding="utf-8"), pot.read_text(encoding="utf-8"),
                                      propose("pt", SHIPPED), NOW)
    languages.write_text(yaml_text, encoding="utf-8")
    (project / "locales/pt/LC_MESSAGES").mkdir(parents=True)
    (project / "locales/pt/LC_MESSAGES/messages.po").write_text(po_text, encoding="utf-8")
    edit(project, "flows/hotline.yaml", '      - {key: 4, lang: ht, say: "Pou Kreyòl, peze 4."}\n',
         '      - {key: 4, lang: ht, say: "Pou Kreyòl, peze 4."}\n'
         '      - {key: 5, lang: pt, say: "Para português, pressione 5."}\n')
    report = run_check(project / "flows", project / "locales")
    assert not report.errors, report.errors
    assert any("the language menu 'more_languages' has a line for a language still being added" in p.message
               for p in report.warnings)
    session, _ = step(report.flows, begin(report.flows, "voice"), Start())
    session, actions = step(report.flows, session, Key("5"))
    said = [action.text.msgid for action in actions if isinstance(action, Say)]
    assert "Pour le français, appuyez sur 2." in said and "Para português, pressione 5." not in said
    session, actions = step(report.flows, session, Key("5"))
    assert session.lang != "pt", "its key does nothing yet"


def hints(flows) -> set[str]:
    """The SMS hints texted under the main menu after a text the hotline did not understand."""
    session, _ = step(flows, begin(flows, "sms"), Message("hello"))
    _, actions = step(flows, session, Message("blah blah"))
    return {action.text.msgid for action in actions if isinstance(action, Say)}


def test_a_new_language_block_keeps_the_files_comments(project):
    before = (project / "flows/languages.yaml").read_text(encoding="utf-8")
    after, _ = add_language(before, (project / "locales/messages.pot").read_text(encoding="utf-8"),
                            propose("so", SHIPPED), NOW)
    assert after.startswith(before.rstrip("\n")) and "  so:\n    name: Soomaali\n    voice: null\n" in after
    with pytest.raises(NotALanguage, match="already"):
        add_language(after, "", propose("so", SHIPPED), NOW)
