"""The coordinators' commands, as `python -m hotline ...` and as `flask hotline ...`."""

from __future__ import annotations

import json
import re

import jsonschema
from babel.messages.pofile import read_po
from click.testing import CliRunner

from hotline.authoring.schema import schema_texts
from hotline.cli import cli
from hotline.flow.yamlfile import read_yaml

from .conftest import FIXTURE, ROOT, source_messages


def run(*args: str, project=None, stdin: str | None = None):
    options = ["--flows", str(project / "flows"), "--locales", str(project / "locales")] if project else []
    return CliRunner().invoke(cli, [*options, *args], input=stdin)


def test_check_fails_with_file_and_line_relative_to_where_you_are(project, monkeypatch):
    monkeypatch.chdir(project)
    path = project / "flows" / "hotline.yaml"
    path.write_text(path.read_text().replace("goto: wounds}", "goto: wound}"))
    result = run("check", project=project)
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "goto: wound}" in text)
    assert result.output == (
        f"flows/hotline.yaml:{line}: error: there is no node 'wound' (did you mean 'wounds'?)\n\n1 error, 0 warnings.\n"
    )


def test_the_commands_are_registered_with_flask(app):
    result = app.test_cli_runner().invoke(args=["hotline", "check"])
    assert result.exit_code == 0 and "0 errors" in result.output


def test_the_committed_json_schemas_are_up_to_date():
    for name, text in schema_texts().items():
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == text, "run: python -m hotline schema"
    assert run("schema", "--check", "--out", str(ROOT / "docs")).exit_code == 0


def test_an_editor_using_the_schema_accepts_the_flows_and_flags_a_typo(tmp_path):
    assert run("schema", "--check", "--out", str(tmp_path)).exit_code == 1
    assert run("schema", "--out", str(tmp_path)).exit_code == 0
    flow_schema = json.loads((tmp_path / "flow.schema.json").read_text())
    lang_schema = json.loads((tmp_path / "languages.schema.json").read_text())
    flow = read_yaml((FIXTURE / "flows" / "hotline.yaml").read_text(), "hotline.yaml").data
    jsonschema.validate(flow, flow_schema)
    jsonschema.validate(read_yaml((FIXTURE / "flows" / "languages.yaml").read_text(), "l").data, lang_schema)
    flow["nodes"]["person"]["no_anwser"] = flow["nodes"]["person"].pop("no_answer")
    errors = list(jsonschema.Draft202012Validator(flow_schema).iter_errors(flow))
    assert errors, "an unknown key is flagged in the editor"
    flow["nodes"]["person"]["no_answer"] = flow["nodes"]["person"].pop("no_anwser")
    flow["nodes"]["strips"]["options"][0]["key"] = 12
    assert list(jsonschema.Draft202012Validator(flow_schema).iter_errors(flow)), "a key over 9 is flagged"


def test_simulate_interactively_save_and_replay(tmp_path):
    saved = tmp_path / "mine.yaml"
    result = run("simulate", "sms", "--lang", "es", "--save", str(saved), stdin="fentanilo\nquit\n")
    assert result.exit_code == 0, result.output
    assert "texter> fentanilo\nMezcle por lo menos 10 miligramos" in result.output
    replayed = run("simulate", "sms", "--script", str(saved))
    assert replayed.exit_code == 0 and "DIFFERENT" not in replayed.output
    saved.write_text(saved.read_text().replace("Mezcle por lo menos 10", "Mezcle 20"))
    assert run("simulate", "sms", "--script", str(saved)).exit_code == 1


def test_simulate_refuses_an_unknown_language_and_a_broken_flow(project):
    assert "unknown language 'ko'" in run("simulate", "voice", "--lang", "ko").output
    path = project / "flows" / "hotline.yaml"
    path.write_text(path.read_text().replace("goto: wounds}", "goto: wound}"))
    result = run("simulate", "voice", project=project)
    assert result.exit_code == 2 and "there is no node 'wound'" in result.output


def test_translate_extract_update_init_and_compile_in_a_copy(project):
    path = project / "flows" / "hotline.yaml"
    path.write_text(path.read_text().replace('say: "Thank you for calling.', 'say:\n      - "Goodbye for now."\n'
                                             '      - "Thank you for calling.'))
    extracted = run("translate", "extract", project=project)
    assert extracted.exit_code == 0, extracted.output
    pot = read_po((project / "locales" / "messages.pot").open("rb"))
    entry = pot.get("Goodbye for now.")
    assert entry.auto_comments == ["node goodbye: said before hanging up"], "translators see where it is heard"
    updated = run("translate", "update", project=project)
    total = len(source_messages()) + 1
    assert re.search(rf"es \(Español\) +{total - 1}/{total} +0 +1 ", updated.output), updated.output
    spanish = read_po((project / "locales" / "es" / "LC_MESSAGES" / "messages.po").open("rb"))
    assert spanish.get("Goodbye for now.").string == "" and spanish.get("Call {emergency} now.").string
    assert run("translate", "init", "fr", project=project).exit_code == 0
    assert (project / "locales" / "fr" / "LC_MESSAGES" / "messages.po").is_file()
    compiled = run("translate", "compile", project=project)
    assert compiled.exit_code == 0 and (project / "locales" / "es" / "LC_MESSAGES" / "messages.mo").is_file()


def test_one_changed_sentence_changes_one_entry_of_each_catalogue_and_no_header_line(project):
    """Two coordinators' edits must not collide over line numbers or dates in the catalogues."""
    catalogues = sorted((project / "locales").glob("**/*.po*"))
    before = {path: path.read_text(encoding="utf-8").split("\n\n") for path in catalogues}
    path = project / "flows" / "hotline.yaml"
    path.write_text(path.read_text().replace("You can call or text this line any time.", "Call or text us any time."))
    assert run("translate", "extract", project=project).exit_code == 0
    assert run("translate", "update", project=project).exit_code == 0
    assert len(catalogues) == 8, "the template and the catalogues of the 7 languages besides English"
    for path in catalogues:
        old, new = before[path], path.read_text(encoding="utf-8").split("\n\n")
        assert new[0] == old[0], f"{path.name}: the header is kept as it was"
        gone, added = [e for e in old if e not in new], [e for e in new if e not in old]
        assert len(gone) == len(added) == 1, (path.name, gone, added)
        assert "You can call or text this line any time." in gone[0].replace('"\n"', "")
        assert "Call or text us any time." in added[0].replace('"\n"', "")
        assert [e for e in old if e != gone[0]] == [e for e in new if e != added[0]], "nothing else moved"
