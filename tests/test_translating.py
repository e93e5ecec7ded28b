"""A language's entries as translators see them, editing and reviewing them, and live checks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from babel.messages.pofile import read_po

from hotline.authoring.catalogue_edit import EditRefused, keyword_text, mark_reviewed, parse, set_translation
from hotline.authoring.checks import run_check
from hotline.authoring.checks.translations import coverage_table
from hotline.authoring.live_checks import ERROR, WARNING, check_translation
from hotline.authoring.translating import (
    BROKEN,
    DRAFT,
    FUZZY,
    MISSING,
    REVIEWED,
    SMS,
    VOICE,
    language_page,
    load_sources,
)
from hotline.i18n import keyword_list

from .conftest import FIXTURE

ES = FIXTURE / "locales" / "es" / "LC_MESSAGES" / "messages.po"
AR = FIXTURE / "locales" / "ar" / "LC_MESSAGES" / "messages.po"
CALL = "Call {emergency} now."
TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def sources():
    return load_sources(FIXTURE / "flows")


def page_of(sources, po_text: str, lang: str):
    flows, doc = sources
    return language_page(flows, doc, parse(po_text, lang), lang)


def entry(page, msgid: str, context=None):
    return next(e for e in page.entries if e.key == (msgid, context))


def test_each_entry_has_its_status_place_and_texted_size(sources):
    text = ES.read_text(encoding="utf-8")
    text = text.replace('msgstr "Llame al {emergency} ahora."', 'msgstr "Llame al {emergencia} ahora."', 1)
    option = 'msgid "Sorry, that is not an option."\nmsgstr'
    text = text.replace(option, "#, fuzzy\n" + option, 1)
    page = page_of(sources, text, "es")
    assert entry(page, CALL).status == BROKEN
    assert entry(page, "Sorry, that is not an option.").status == FUZZY
    assert entry(page, CALL).nodes == ("overdose",) and entry(page, CALL).channels == (VOICE, SMS)
    assert entry(page, "For {label}, press {key}.").channels == (VOICE,), "said only: a key to press"
    assert entry(page, "Reply with a number:").channels == (SMS,)
    assert entry(page, "Reply with a number:").sms.segments == 1
    assert entry(page, "For {label}, press {key}.").sms is None, "a call sentence has no SMS size"
    keywords = entry(page, "naloxone", "keywords")
    assert keywords.english_words == ("GET NALOXONE", "NALOXONE INFO") and keywords.channels == (SMS,)
    assert {e.status for e in page.entries} <= {REVIEWED, BROKEN, FUZZY}, "Spanish ships reviewed"
    assert page.count(BROKEN) == 1 and page.drafts == 0 and not page.complete
    assert page.filtered(status=BROKEN) == [entry(page, CALL)]
    assert all("overdose" in e.nodes for e in page.filtered(node="overdose")) and page.filtered(node="overdose")


def test_a_missing_catalogue_is_all_missing_and_drafts_are_counted(sources):
    flows, doc = sources
    page = language_page(flows, doc, None, "fr")
    assert {e.status for e in page.entries} == {MISSING} and page.percent == 0
    french = page_of(sources, (FIXTURE / "locales/fr/LC_MESSAGES/messages.po").read_text(encoding="utf-8"), "fr")
    assert french.drafts == len(french.entries) and french.complete and french.percent == 100


def test_arabic_is_measured_as_texted_with_its_marks(sources):
    page = page_of(sources, AR.read_text(encoding="utf-8"), "ar")
    sized = entry(page, "Reply with a number:").sms
    assert sized.encoding == "UCS-2"
    assert sized.units == len(entry(page, "Reply with a number:").translation) + 1, "one RIGHT-TO-LEFT MARK added"


def test_a_saved_translation_is_a_draft_and_a_review_records_who_and_when(sources):
    original = ES.read_text(encoding="utf-8")
    edited = set_translation(original, "es", CALL, None, "Llame ya al {emergency}.")
    assert entry(page_of(sources, edited, "es"), CALL).status == DRAFT
    changed = [line for line in _diff(original, edited)]
    assert changed == ["+# draft: needs review by a native speaker", '-msgstr "Llame al {emergency} ahora."',
                       '+msgstr "Llame ya al {emergency}."'], "one edit changes one entry"
    reviewed = mark_reviewed(edited, "es", CALL, None, "Ana  Pérez", TODAY)
    done = entry(page_of(sources, reviewed, "es"), CALL)
    assert done.status == REVIEWED and (done.reviewed_by, done.reviewed_on) == ("Ana Pérez", TODAY)
    assert "# reviewed by Ana Pérez on 2026-12-02\n" in reviewed
    assert "draft: needs review" not in _entry_text(reviewed, CALL)
    again = set_translation(reviewed, "es", CALL, None, "Llame al {emergency} ahora mismo.")
    assert entry(page_of(sources, again, "es"), CALL).status == DRAFT, "new words need a new review"
    assert "reviewed by" not in _entry_text(again, CALL)
    assert set_translation(original, "es", CALL, None, "Llame al {emergency} ahora.") == original


def test_only_a_usable_translation_can_be_reviewed():
    text = ES.read_text(encoding="utf-8").replace('"Llame al {emergency} ahora."', '"Llame al {numero} ahora."', 1)
    with pytest.raises(EditRefused, match="placeholders"):
        mark_reviewed(text, "es", CALL, None, "Ana", TODAY)
    with pytest.raises(EditRefused, match="reviewer's name"):
        mark_reviewed(text, "es", CALL, None, " ", TODAY)
    with pytest.raises(EditRefused, match="not in the catalogue"):
        set_translation(text, "es", "No such sentence.", None, "x")


def test_reviews_show_in_the_checks_coverage_table(project):
    po = project / "locales/fr/LC_MESSAGES/messages.po"
    text = mark_reviewed(po.read_text(encoding="utf-8"), "fr", CALL, None, "Marie Dubois", TODAY)
    po.write_text(text, encoding="utf-8")
    report = run_check(project / "flows", project / "locales")
    french = next(c for c in report.coverage if c.lang == "fr")
    assert french.reviewed == 1 and french.needs_review == french.needed - 1
    table = coverage_table(list(report.coverage))
    assert table.splitlines()[0].split()[-2:] == ["reviewed", "done"]
    row = next(line for line in table.splitlines() if line.startswith("fr "))
    assert row.split()[-2:] == ["1", "100%"]


def test_keywords_are_a_list_of_words():
    assert keyword_list("NALOXONA, NARCAN، نالوكسون、X") == ["NALOXONA", "NARCAN", "نالوكسون", "X"]
    assert keyword_text([" naloxona ", "", "NARCAN", "Naloxona", "dar  narcan"]) == "naloxona, NARCAN, dar narcan"


def test_live_checks_say_what_the_check_would(sources):
    flows, _ = sources
    assert check_translation(flows, "es", CALL, None, "Llame al {emergency} ahora.") == []
    broken = check_translation(flows, "es", CALL, None, "Llame al {emergencia} ahora.")
    assert [f.level for f in broken] == [ERROR]
    assert "the English uses {emergency}, this uses {emergencia}" in broken[0].message
    assert [f.level for f in check_translation(flows, "es", CALL, None, "Llame al {emergency ahora.")] == [ERROR, ERROR]
    long = check_translation(flows, "es", CALL, None, "Llame al {emergency} ahora, por favor “ya”. " * 14)
    assert [f.level for f in long] == [WARNING] and "the budget is 3" in long[0].message
    assert "SMS segments" in long[0].message
    assert check_translation(flows, "es", CALL, None, " ")[0].message.startswith("not translated yet")


def test_live_checks_of_right_to_left_text_and_keywords(sources):
    flows, _ = sources
    good = "اتصل بالرقم {emergency} الآن."
    assert check_translation(flows, "ar", CALL, None, good) == []
    isolated = check_translation(flows, "ar", CALL, None, "اتصل بالرقم \u2066{emergency}\u2069 الآن.")
    assert [f.level for f in isolated] == [ERROR] and "boxes" in isolated[0].message
    marked = check_translation(flows, "ar", CALL, None, "\u200fاتصل بالرقم {emergency} الآن.")
    assert [f.level for f in marked] == [WARNING] and "adds them" in marked[0].message
    english = check_translation(flows, "ar", CALL, None, CALL)
    assert [f.level for f in english] == [WARNING] and "no Arabic writing in this translation" in english[0].message
    chinese = check_translation(flows, "zh", CALL, None, CALL)
    assert [f.level for f in chinese] == [WARNING] and "no Chinese (simplified) writing" in chinese[0].message
    assert check_translation(flows, "zh", CALL, None, "请马上拨打 {emergency}（SAMHSA）。") == []
    assert check_translation(flows, "zh", "{helpline}", None, "{helpline}") == [], "nothing in it to translate"
    assert check_translation(flows, "es", "naloxone", "keywords", "NALOXONA, NARCAN") == []
    stop = check_translation(flows, "es", "naloxone", "keywords", "NALOXONA, PARAR")
    assert [f.level for f in stop] == [ERROR] and "PARAR" in stop[0].message


def _entry_text(po_text: str, msgid: str) -> str:
    catalog = read_po(io.BytesIO(po_text.encode()), locale="es")
    message = catalog.get(msgid)
    return "\n".join(message.user_comments)


def _diff(old: str, new: str) -> list[str]:
    import difflib

    return [line for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
