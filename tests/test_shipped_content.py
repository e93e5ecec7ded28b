"""The shipped content (flows/ and locales/, not the fixture), held on purpose: it passes the
check with no errors, the bare `python -m hotline check` accepts it, its template is up to date
and Spanish complete, editors' schemas accept it, and its main menu is one text in every language.

Every other test of the engine, renderers and checks reads the fixture (tests/fixture), so a
programme that rewrites flows/ and locales/ keeps a green suite but for the files named
test_shipped_*.py: this one, test_shipped_strategies.py (the six strategies), test_shipped_edit.py
(a coordinator's edit of the shipped content keeps these green) and test_shipped_transcripts.py
(the coordinators' golden transcripts). Such a programme re-records or re-points them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import jsonschema
from babel.messages.pofile import read_po

from hotline.authoring.checks import run_check
from hotline.console.catalogue import TRANSLATIONS
from hotline.flow.yamlfile import read_yaml

from .conftest import ROOT
from .test_cli import run
from .test_texting_replies import assert_the_main_menu_is_one_message_in_every_language

FLOWS, LOCALES = ROOT / "flows", ROOT / "locales"


def test_the_shipped_flows_and_catalogues_have_no_errors():
    """The shipped content is the programme's: held to 0 errors, and to no advice but SMS lengths
    and sentences its translators have still to do (a coordinator's edit is green before they do)."""
    report = run_check(FLOWS, LOCALES)
    assert report.errors == []
    pending = re.compile(r"^\w+: (not translated yet|not in the catalogue yet|\.\.\. and \d+ more texts not transl)")
    advice = ("SMS segments", "seconds to say", "reads at grade")  # lengths and reading level are advice
    assert all(any(kind in p.message for kind in advice) or pending.match(p.message) for p in report.warnings), \
        report.warnings


def test_check_passes_the_shipped_project_without_any_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "HOTLINE_", "REDIS_"))}
    done = subprocess.run([sys.executable, "-m", "hotline", "check"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "es (Español)" in done.stdout and re.search(r"\n0 errors, \d+ warnings?\.$", done.stdout.rstrip())


def test_spanish_is_complete_and_the_template_is_up_to_date(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_",
         "-o", str(pot), "--omit-header", "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    fresh = {m.id for m in read_po(pot.open("rb")) if m.id}
    committed = {m.id for m in read_po((LOCALES / "messages.pot").open("rb")) if m.id}
    assert fresh == committed, "run the extract command in README (Translating) and commit locales/messages.pot"
    spanish = read_po((LOCALES / "es" / "LC_MESSAGES" / "messages.po").open("rb"))
    missing = [m.id for m in spanish if m.id and (not m.string or m.fuzzy)]
    assert missing == []
    assert {m.id for m in spanish if m.id} >= fresh


def test_the_shipped_flow_files_name_their_schemas_and_pass_them(tmp_path):
    assert run("schema", "--out", str(tmp_path)).exit_code == 0
    for flow, schema in (("hotline.yaml", "flow.schema.json"), ("languages.yaml", "languages.schema.json")):
        text = (FLOWS / flow).read_text(encoding="utf-8")
        assert text.splitlines()[0] == f"# yaml-language-server: $schema=../docs/{schema}"
        jsonschema.validate(read_yaml(text, flow).data, json.loads((tmp_path / schema).read_text()))


def test_the_shipped_texted_main_menu_is_one_message_in_every_language():
    assert_the_main_menu_is_one_message_in_every_language(ROOT)


def test_every_shipped_language_has_a_console_catalogue():
    shipped = sorted(p.name for p in (ROOT / "locales").iterdir() if p.is_dir())
    assert sorted(p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/console.po")) == shipped
