"""A .po upload: refused with the reason and nothing changed, or landed with a diff of what it changes."""

from __future__ import annotations

import pytest

from hotline.authoring.catalogue_edit import parse
from hotline.authoring.checks.translations import needed_messages
from hotline.authoring.po_upload import MAX_UPLOAD, read_upload
from hotline.authoring.translating import load_sources

from .conftest import FIXTURE

ES = (FIXTURE / "locales/es/LC_MESSAGES/messages.po").read_text(encoding="utf-8")
CALL = "Call {emergency} now."
OLD = 'msgstr "Llame al {emergency} ahora."'


@pytest.fixture(scope="module")
def sources():
    flows, doc = load_sources(FIXTURE / "flows")
    return flows, needed_messages(doc)


def upload(sources, text: str, lang: str = "es"):
    flows, needed = sources
    return read_upload(text.encode("utf-8"), lang, ES, flows, needed, name="es.po")


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_an_upload_lands_with_a_diff_of_what_it_changes(sources):
    text = ES.replace(OLD, 'msgstr "Llame ya al {emergency}."', 1)
    reviewed = '# reviewed by Ana Pérez on 2026-12-01\nmsgid "Call {emergency} now."'
    text = text.replace('msgid "Call {emergency} now."', reviewed)
    text += '\nmsgid "A sentence nobody says."\nmsgstr "Una frase."\n'
    result = upload(sources, text)
    assert result.accepted and result.unused == 1
    [change] = result.changes
    assert (change.msgid, change.before, change.after, change.kind) == (
        CALL, "Llame al {emergency} ahora.", "Llame ya al {emergency}.", "changed")
    assert change.comments == ("reviewed by Ana Pérez on 2026-12-01",)
    landed = parse(result.po_text, "es")
    assert landed.get(CALL).string == "Llame ya al {emergency}." and landed.get("A sentence nobody says.") is None
    assert upload(sources, ES).changes == () and upload(sources, ES).po_text == ES, "the same file changes nothing"


def test_an_empty_translation_in_the_upload_deletes_nothing(sources):
    result = upload(sources, ES.replace(OLD, 'msgstr ""', 1))
    assert result.accepted and result.changes == () and result.empty == 1 and result.po_text == ES


def test_a_syntax_error_is_refused_at_its_line_in_plain_words(sources):
    text = ES.replace(OLD, 'msgstr Llame al {emergency} ahora."', 1)
    result = upload(sources, text)
    assert not result.accepted and result.po_text is None and result.changes == ()
    assert result.problems == (
        f"es.po:{line_of(text, 'msgstr Llame')}: the text after msgstr does not start with a double quote (\"): "
        'write it as msgstr "Llame al {emergency} ahora."',)


@pytest.mark.parametrize(("header", "reason"), [
    ('"Language: fr\\n"', "this file is in French (its Language header says fr), not Spanish: upload it on the fr"),
    ("", 'the file does not say which language it is in: its header needs the line "Language: es\\n"'),
])
def test_a_wrong_or_missing_language_header_is_refused(sources, header, reason):
    text = ES.replace('"Language: es\\n"\n', header + ("\n" if header else ""), 1)
    result = upload(sources, text)
    assert not result.accepted and result.po_text is None
    assert len(result.problems) == 1 and reason in result.problems[0], result.problems


def test_changed_placeholders_are_refused_with_the_reason(sources):
    text = ES.replace(OLD, 'msgstr "Llame al {emergencia} ahora."', 1)
    result = upload(sources, text)
    where = line_of(text, 'msgid "Call {emergency} now."')
    assert result.problems == (
        f"es.po:{where}: the translation of 'Call {{emergency}} now.' uses "
        "{emergencia} but the English uses {emergency}; keep every {name} exactly as in the English",)
    assert result.po_text is None and result.changes == ()


def test_a_long_texted_translation_lands_with_a_warning(sources):
    text = ES.replace(OLD, 'msgstr "' + "Llame al {emergency} ahora, por favor, ahora mismo. " * 14 + '"', 1)
    result = upload(sources, text)
    assert result.accepted and len(result.changes) == 1
    assert len(result.warnings) == 1 and "the budget is 3" in result.warnings[0]


def test_an_oversized_or_unreadable_file_is_refused(sources):
    flows, needed = sources
    big = read_upload(b"#" * (MAX_UPLOAD + 1), "es", ES, flows, needed, name="es.po")
    assert not big.accepted and "at most 2 MB" in big.problems[0]
    binary = read_upload(b"\xff\xfe\x00garbage", "es", ES, flows, needed, name="es.po")
    assert not binary.accepted and binary.problems[0].startswith("es.po:1: ")
