"""Catalogues: translation, fallbacks, placeholders, and extraction from flow files."""

from __future__ import annotations

import io

from hotline.flow.events import text
from hotline.flow.loader import load_flowset
from hotline.i18n import Catalogues, extract_flow

from .conftest import FIXTURE

FLOWS = load_flowset(FIXTURE / "flows")


def catalogues_with(tmp_path, entries: str) -> Catalogues:
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    (folder / "messages.po").write_text(header + entries)
    return Catalogues(tmp_path, ["en", "es"])


def test_a_translated_text_is_spoken_in_the_callers_language():
    catalogues = Catalogues(FIXTURE / "locales", FLOWS.languages.languages)
    words, lang = catalogues.render(text("Call {emergency} now."), "es", FLOWS.variables)
    assert (words, lang) == ("Llame al 911 ahora.", "es")


def test_an_untranslated_text_is_spoken_in_its_own_language(tmp_path):
    catalogues = catalogues_with(tmp_path, "")
    assert catalogues.render(text("Call {emergency} now."), "es", {"emergency": "112"}) == ("Call 112 now.", "en")
    assert catalogues.render(text("Para español, oprima 2.", "es"), "en", {}) == ("Para español, oprima 2.", "es")


def test_fuzzy_entries_and_broken_placeholders_are_not_used(tmp_path):
    catalogues = catalogues_with(tmp_path, (
        '#, fuzzy\nmsgid "No one answered."\nmsgstr "Nadie contestó."\n\n'
        'msgid "Call {emergency} now."\nmsgstr "Llame al {emergencia} ahora."\n'
    ))
    assert catalogues.translate("No one answered.", "es") == ("No one answered.", "en")
    assert catalogues.render(text("Call {emergency} now."), "es", {"emergency": "911"}) == ("Call 911 now.", "en")


def test_a_nested_label_is_translated_inside_its_template():
    catalogues = Catalogues(FIXTURE / "locales", FLOWS.languages.languages)
    option = text("For {label}, press {key}.", label=text("safer use"), key="3")
    assert catalogues.render(option, "es", {}) == ("Para consumo más seguro, oprima 3.", "es")


def test_the_extractor_finds_every_prompt_with_its_line_and_node():
    source = (FIXTURE / "flows" / "hotline.yaml").read_bytes()
    found = list(extract_flow(io.BytesIO(source), [], [], {}))
    lines = source.decode().splitlines()
    for line, funcname, message, comments in found:
        if funcname == "pgettext":  # a node's keyword list, found on its `keywords:` line
            context, message = message
            assert context == "keywords" and "keywords:" in lines[line - 1]
            assert "These always work too: " in comments[0]
            if message == "(emergency)":  # the emergency words, not a node's
                assert comments[0].startswith("emergency words: ")
                continue
            assert message in comments[0]
        else:
            assert message.split(":")[0][:20] in lines[line - 1] or message[:20] in lines[line - 1]
        assert comments[0].startswith("node ")
    messages = [m for _, _, m, _ in found]
    assert ("keywords", "overdose") in messages and ("keywords", "(emergency)") in messages
    assert "Give naloxone: spray one dose into one nostril." in messages
    assert "Para español, oprima 2." not in messages, "language choices are already in their language"
