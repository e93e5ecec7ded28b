"""The console's pure parts: three-way merge, sentence edits, the diagram (shipped flow and a
300-node one), the simulator; and that webhooks never load console code."""

from __future__ import annotations

import datetime as dt
import difflib
import subprocess
import sys

import pytest

from bench.flowset import generate
from hotline.authoring.checks import run_check
from hotline.console import simulate
from hotline.console.diagram import layout
from hotline.console.merge import diff, merge, merge_lines
from hotline.console.sentences import EditError, sentences, set_english, set_translation
from hotline.flow.loader import load_flowset
from hotline.state.revisions import read_files

from .conftest import FIXTURE, ROOT

BASE = "a\nb\nc\nd\ne\n"


def test_changes_to_different_lines_merge_and_the_same_line_is_kept_twice():
    merged, conflicts = merge_lines(BASE, "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", 7)
    assert (merged, conflicts) == ("A\nb\nc\nd\nE\n", 0)
    merged, conflicts = merge_lines(BASE, "a\nB1\nc\nd\ne\n", "a\nB2\nc\nd\ne\n", 7)
    assert conflicts == 1
    assert merged == "a\n<<<<<<< your draft\nB1\n=======\nB2\n>>>>>>> revision 7\nc\nd\ne\n"
    assert merge_lines(BASE, "a\nX\nc\nd\ne\n", "a\nX\nc\nd\ne\n", 7) == ("a\nX\nc\nd\ne\n", 0)


def test_a_file_only_one_side_changed_takes_that_side():
    result = merge({"f": BASE, "g": "1\n"}, {"f": BASE + "mine\n", "g": "1\n"}, {"f": BASE, "g": "2\n"}, 3)
    assert result.files == {"f": BASE + "mine\n", "g": "2\n"} and not result.conflicts


def test_a_diff_shows_changed_lines_with_their_numbers():
    rows = diff(BASE, "a\nb\nC\nd\ne\n")
    assert ("del", 3, None, "c") in rows and ("add", None, 3, "C") in rows and ("same", 1, 1, "a") in rows


@pytest.fixture(scope="module")
def files():
    return read_files(FIXTURE / "flows", FIXTURE / "locales")


def test_a_node_shows_each_sentence_in_every_language_with_its_status(files):
    found = sentences(files, "overdose", ["es", "fr"])
    first = found[1]
    assert first.english == "Give naloxone: spray one dose into one nostril."
    assert first.where % {"number": first.number} == "Said 2"
    assert first.translations["es"] == ("Dele naloxona: rocíe una dosis en un lado de la nariz.", "translated")


def test_changing_english_keeps_the_file_and_marks_translations_for_review(files):
    path = ("nodes", "overdose", "say", 1)
    changed = set_english(files, "overdose", path, "Give naloxone: one spray, one nostril.")
    old, new = files["flows/hotline.yaml"].splitlines(), changed["flows/hotline.yaml"].splitlines()
    assert len(old) == len(new) and sum(a != b for a, b in zip(old, new, strict=True)) == 1
    es = sentences(changed, "overdose", ["es"])[1].translations["es"]
    assert es == ("Dele naloxona: rocíe una dosis en un lado de la nariz.", "needs review")
    po = "locales/es/LC_MESSAGES/messages.po"
    changes = [row for row in difflib.unified_diff(files[po].splitlines(), changed[po].splitlines(), n=0)
               if row[:1] in "+-" and row[:3] not in ("+++", "---")]
    assert changes == ['-msgid "Give naloxone: spray one dose into one nostril."', "+#, fuzzy",
                       '+msgid "Give naloxone: one spray, one nostril."'], "one entry changes, in its place"
    again = set_translation(changed, "es", "Give naloxone: one spray, one nostril.", "Dele naloxona.")
    assert sentences(again, "overdose", ["es"])[1].translations["es"] == ("Dele naloxona.", "translated")
    with pytest.raises(EditError):
        set_english(files, "overdose", path, "   ")


def test_the_diagram_has_every_node_once_with_its_keys(files):
    flows = load_flowset(FIXTURE / "flows")
    diagram = layout(flows, {"overdose": [object()]})
    boxes = [box for column in diagram.columns for box in column] + list(diagram.unreached)
    assert sorted(box.id for box in boxes) == sorted(flows.flow.nodes)
    assert diagram.columns[0][0].id == flows.flow.start
    main = next(box for box in boxes if box.id == "main")
    assert [(e.label, e.target) for e in main.edges][0] == ("1", "overdose_menu")
    assert next(box for box in boxes if box.id == "overdose").problems == 1
    assert dict(diagram.fixed)["*"] == "hear the menu again"


def test_a_300_node_flow_stays_in_readable_columns(tmp_path):
    generate(tmp_path, nodes=300, languages=2)
    flows = load_flowset(tmp_path)
    diagram = layout(flows)
    assert sum(len(c) for c in diagram.columns) + len(diagram.unreached) == len(flows.flow.nodes) >= 300
    assert len(diagram.columns) <= 8, "a wide tree is a few columns deep"
    assert all(len(box.words) <= 61 for column in diagram.columns for box in column)


def test_the_simulator_answers_keys_and_texts_at_a_chosen_moment():
    report = run_check(FIXTURE / "flows", FIXTURE / "locales")
    when = simulate.moment("Saturday", "23:00", "America/Los_Angeles", dt.date(2026, 11, 25))
    assert (when.weekday(), when.hour) == (5, 23)
    state = simulate.start(report.flows, report.catalogues, "voice", "es", when)
    said = [line for entry in state["entries"] for line in entry.get("lines", [])]
    assert any(line["kind"] == "say" and line["lang"] == "es-US" for line in said)
    simulate.send(report.flows, report.catalogues, state, "key", "1")
    simulate.send(report.flows, report.catalogues, state, "key", "1")
    last = state["entries"][-1]["lines"]
    assert any("naloxona" in line.get("words", "") and line.get("slow") for line in last)
    simulate.send(report.flows, report.catalogues, state, "key", "2")  # text me this
    assert any(line["kind"] == "text" for line in state["entries"][-1]["lines"]), "shown, not sent"
    with pytest.raises(ValueError):
        simulate.send(report.flows, report.catalogues, state, "text", "hi")
    sms = simulate.start(report.flows, report.catalogues, "sms", "en", when)
    simulate.send(report.flows, report.catalogues, sms, "text", "NARCAN")
    reply = sms["entries"][-1]
    assert reply["segments"] >= 1 and reply["encoding"] == "GSM-7" and "naloxone" in reply["words"].lower()


def test_webhooks_never_import_the_console():
    code = ("import sys; from tests.conftest import SETTINGS; from hotline import create_app; "
            "app = create_app(SETTINGS); assert 'hotline.console' not in sys.modules, 'console loaded'; "
            "assert 'flask_login' not in sys.modules and 'flask_wtf' not in sys.modules")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "hotline.console" not in (ROOT / "hotline" / "web" / "twilio.py").read_text()


def test_a_missing_browser_skips_the_browser_tests_but_fails_them_under_ci(monkeypatch):
    from .browser import kit

    monkeypatch.setattr(kit, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        kit.require_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="under CI a missing browser is a failure"):
        kit.require_chromium()
