"""A programme that edits the shipped flows and catalogues keeps a green suite (a test of the
shipped content, on purpose).

The project is copied, a coordinator's usual Friday edit is made to the copy's `flows/` and
Spanish catalogue (one changed sentence, one new menu option and its node, one new service
with a transfer to it, `translate extract` and `update`, the new Spanish written in), and part
of the suite is run in the copy, as a separate pytest.

Which part: the tests that hold the shipped content (test_shipped_content: 0 errors, the
template up to date and Spanish complete, the schemas; test_shipped_strategies: the six
strategies, and docs/content.md listing every sourced node, the row the guide asks for), and,
for good measure, those of the engine, the renderers, the checks, the web layer, the catalogues
and the coordinators' commands, which read the fixture. Together they run in seconds.
The golden transcripts are the programme's own (re-recorded with `simulate --save`), so they
are not part of this run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from hotline.authoring.checks import run_check
from hotline.cli import cli
from hotline.flow.yamlfile import read_yaml

from .conftest import ROOT, TEST_REDIS_URL

COPIED = ("hotline", "tests", "flows", "locales", "docs", "audio", "babel.cfg", "pyproject.toml", "wsgi.py")
SUBSET = ("test_shipped_content.py", "test_shipped_strategies.py", "test_engine.py", "test_channels.py",
          "test_check.py", "test_web.py", "test_i18n.py", "test_cli.py")
SPANISH = {
    "not sharing supplies": "no compartir materiales",
    "Never share needles, syringes, cookers or straws.": "Nunca comparta agujas, jeringas, cucharas ni pajillas.",
    "calling our syringe program": "llamar a nuestro programa de jeringas",
    "I will connect you to our syringe program.": "Le voy a conectar con nuestro programa de jeringas.",
    ("keywords", "sharing"): "COMPARTIR, NO COMPARTIR",
    ("keywords", "our_ssp_line"): "NUESTRO PROGRAMA",
}
SERVICE = """  our_ssp:
    name: Our Syringe Program
    phone: "+12025550162"
    offers: [syringes, naloxone]
    languages: [en, es]
    timezone: America/Los_Angeles
    hours:
      mon: "10:00-18:00"
      fri: "10:00-18:00"
    zip: "94110"
    verified_on: 2026-12-01
    verified_by: Sam, by phone
    source: the programme's own listing

"""
NODES = """
  sharing:
    type: message
    source: CDC Syringe Services Programs (never share needles, syringes or other equipment)
    say: "Never share needles, syringes, cookers or straws."
    keywords: [SHARING]

  our_ssp_line:
    type: transfer
    say: "I will connect you to our syringe program."
    services: [our_ssp]
    keywords: [OUR SSP]
"""


def copy_project(target):
    ignore = shutil.ignore_patterns("__pycache__", "*.mo", ".hypothesis", ".pytest_cache")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def add_option(text: str, menu: str, label: str, goto: str) -> str:
    """The flow file with one more option at the end of `menu` (whatever its wording)."""
    doc = read_yaml(text, "hotline.yaml")
    options = doc.data["nodes"][menu]["options"]
    lines = text.splitlines(keepends=True)
    after = doc.line_of(("nodes", menu, "options", len(options) - 1))
    indent = lines[after - 1][: len(lines[after - 1]) - len(lines[after - 1].lstrip())]
    key = max(int(option["key"]) for option in options) + 1
    lines.insert(after, f'{indent}- {{key: {key}, label: "{label}", goto: {goto}}}\n')
    return "".join(lines)


def roomy_menu(text: str) -> str:
    """A menu of the flow with room for one more option (a menu takes at most 5), whatever its name."""
    nodes = read_yaml(text, "hotline.yaml").data["nodes"]
    return next(name for name, node in nodes.items()
                if node.get("type") == "menu" and 0 < len(node.get("options", [])) < 5
                and all(str(option.get("key", "")).isdigit() for option in node["options"]))


def change_a_sentence(text: str, node: str, added: str) -> tuple[str, str, str]:
    """The flow file with `added` at the end of the node's (first) sentence; and (old, new) sentence."""
    doc = read_yaml(text, "hotline.yaml")
    say = doc.data["nodes"][node]["say"]
    path, old = (("nodes", node, "say"), say) if isinstance(say, str) else (("nodes", node, "say", 0), say[0])
    lines = text.splitlines(keepends=True)
    number = doc.line_of(path) - 1
    assert lines[number].rstrip().endswith(f'{old}"'), "the sentence is on one line, in double quotes"
    lines[number] = lines[number].replace(f'{old}"', f'{old} {added}"')
    return "".join(lines), old, f"{old} {added}"


def coordinators_edit(project) -> None:
    flow = project / "flows" / "hotline.yaml"
    text, old, new = change_a_sentence(flow.read_text(encoding="utf-8"), "goodbye", "We are here to help.")
    text = add_option(text, roomy_menu(text), "not sharing supplies", "sharing")
    text = add_option(text, "syringes", "calling our syringe program", "our_ssp_line")
    flow.write_text(text.rstrip("\n") + "\n" + NODES, encoding="utf-8")
    content = project / "docs" / "content.md"
    row = "| `sharing` | CDC Syringe Services Programs | 2026-12-02 | |\n"
    content.write_text(content.read_text(encoding="utf-8") + row, encoding="utf-8")
    directory = project / "flows" / "services.yaml"
    directory.write_text(directory.read_text(encoding="utf-8").replace("services:\n", "services:\n" + SERVICE, 1),
                         encoding="utf-8")
    folders = ["--flows", str(project / "flows"), "--locales", str(project / "locales")]
    spanish_path = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    with spanish_path.open("rb") as source:
        old_spanish = read_po(source).get(old).string
    for command in (["translate", "extract"], ["translate", "update"]):
        done = CliRunner().invoke(cli, [*folders, *command])
        assert done.exit_code == 0, done.output
    with spanish_path.open("rb") as source:
        spanish = read_po(source, locale="es")
    spanish.get(new).string = f"{old_spanish} Estamos aquí para ayudarle."
    for msgid, translation in SPANISH.items():
        entry = spanish.get(msgid[1], context=msgid[0]) if isinstance(msgid, tuple) else spanish.get(msgid)
        assert entry is not None, msgid
        entry.string = translation
    with spanish_path.open("wb") as target:
        write_po(target, spanish, no_location=True, width=76)


def test_a_coordinators_edit_keeps_the_suite_green(tmp_path):
    project = tmp_path / "project"
    copy_project(project)
    coordinators_edit(project)
    report = run_check(project / "flows", project / "locales")
    assert report.errors == [], [str(p) for p in report.errors]
    spanish = next(row for row in report.coverage if row.lang == "es")
    assert spanish.translated == spanish.needed, "Spanish is translated in full"
    assert any(row.missing for row in report.coverage), "other languages wait for their translators"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "REDIS_", "TWILIO_"))}
    env["HOTLINE_TEST_REDIS_URL"] = TEST_REDIS_URL
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                           *(f"tests/{name}" for name in SUBSET)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
