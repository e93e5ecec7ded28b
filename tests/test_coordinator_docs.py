"""Every example in docs/coordinators.md, run against a fresh copy of the project, section by section.

The guide's conventions, which this test relies on:
- a ```yaml or ```po block starts with a comment naming its file (`# flows/hotline.yaml, under "nodes:"`);
  YAML blocks hold whole nodes (or languages), which replace the ones with the same name or are added;
  PO blocks hold entries whose translation is set;
- a ```console block holds `$ command` lines, each followed by the output it prints. `...` alone on a line
  stands for any number of lines, `*` for any text within a line; `caller> x` and `texter> x` lines are
  what is typed. A command whose output shows an `error:` must fail; any other must succeed.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
import textwrap

import pytest
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from hotline import create_app
from hotline.cli import cli
from hotline.flow.yamlfile import read_yaml

from .conftest import FIXTURE, ROOT, SETTINGS

GUIDE = ROOT / "docs" / "coordinators.md"
FENCE = re.compile(r"^(\s*)```(\w*)\s*$")


def sections() -> dict[str, list[tuple[str, list[str]]]]:
    """Section title -> its (language, lines) code blocks, in order."""
    found: dict[str, list] = {"intro": []}
    title, block, indent, kind = "intro", None, "", ""
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        fence = FENCE.match(line)
        if block is None and line.startswith("## "):
            title = line[3:].strip()
            found[title] = []
        elif block is None and fence:
            block, indent, kind = [], fence.group(1), fence.group(2)
        elif block is not None and fence:
            found[title].append((kind, block))
            block = None
        elif block is not None:
            block.append(line[len(indent):] if line.startswith(indent) else line.lstrip())
    return {name: blocks for name, blocks in found.items() if blocks}


SECTIONS = sections()


def test_the_guide_covers_what_coordinators_do():
    for title in ("Change a prompt", "Add a menu option", "Add a service", "Add a language", "Check",
                  "Simulate", "Publish"):
        assert title in SECTIONS, title


@pytest.mark.parametrize("title", list(SECTIONS))
def test_every_example_in_the_guide_works(title, project, monkeypatch):
    shutil.copytree(FIXTURE / "transcripts", project / "tests" / "transcripts")
    monkeypatch.chdir(project)
    for kind, lines in SECTIONS[title]:
        if kind == "yaml":
            apply_yaml(project, lines)
        elif kind == "po":
            apply_po(project, lines)
        elif kind == "console":
            run_console(project, lines)
        else:
            pytest.fail(f"an example of an unknown kind '{kind}' in '{title}'")


def target(project, lines: list[str]):
    assert lines[0].startswith("# "), "an example names its file on its first line"
    return project / lines[0][2:].split(",")[0].strip(), lines[1:]


def apply_yaml(project, lines: list[str]) -> None:
    path, body = target(project, lines)
    items = read_yaml(textwrap.dedent("\n".join(body)), "example").data
    assert isinstance(items, dict) and items
    chunks, name = {}, None
    for line in body:
        match = re.match(r"^  (\w+):", line)
        if match:
            name = match.group(1)
        chunks.setdefault(name, []).append(line)
    text = path.read_text(encoding="utf-8").splitlines()
    for name in items:
        chunk = [line for line in chunks[name]]
        while chunk and not chunk[-1].strip():
            chunk.pop()
        start = next((i for i, line in enumerate(text) if line.startswith(f"  {name}:")), None)
        if start is None:
            text += ["", *chunk]
            continue
        end = next((i for i in range(start + 1, len(text)) if re.match(r"^ ?\S|^  \S", text[i])), len(text))
        while end > start + 1 and not text[end - 1].strip():
            end -= 1
        text[start:end] = chunk
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


def apply_po(project, lines: list[str]) -> None:
    path, body = target(project, lines)
    entries = read_po(io.BytesIO("\n".join(body).encode("utf-8")))
    catalog = read_po(path.open("rb"))
    for entry in entries:
        if entry.id:
            found = catalog.get(entry.id, context=entry.context)
            assert found is not None, f"run translate update first: {entry.id!r}"
            found.string = entry.string
            found.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog)
    path.write_bytes(buffer.getvalue())


def run_console(project, lines: list[str]) -> None:
    commands: list[tuple[str, list[str]]] = []
    for line in lines:
        if line.startswith("$ "):
            commands.append((line[2:], []))
        else:
            commands[-1][1].append(line)
    env = {"HOTLINE_FLOWS_DIR": str(project / "flows"), "HOTLINE_LOCALES_DIR": str(project / "locales")}
    for command, expected in commands:
        typed = "".join(f"{line.split('> ', 1)[1]}\n" for line in expected if line.startswith(("caller> ", "texter> ")))
        words = shlex.split(command)
        if words[:3] == ["python", "-m", "hotline"]:
            result = CliRunner().invoke(cli, words[3:], input=typed or None, env=env)
        elif words[:4] == ["flask", "--app", "wsgi", "hotline"]:
            app = create_app({**SETTINGS, **env})
            result = app.test_cli_runner().invoke(args=words[3:], env=env)
        else:
            pytest.fail(f"the guide shows a command the test cannot run: {command}")
        said = result.output.rstrip("\n").split("\n")
        failing = any(": error:" in line for line in expected)
        assert result.exit_code == (1 if failing else 0), f"$ {command}\n{result.output}"
        if expected:
            assert matches(expected, [line.rstrip() for line in said]), f"$ {command}\n{result.output}"


def matches(expected: list[str], said: list[str]) -> bool:
    if not expected:
        return not said
    if expected[0] == "...":
        return any(matches(expected[1:], said[i:]) for i in range(len(said) + 1))
    pattern = ".*".join(re.escape(part) for part in expected[0].rstrip().split("*"))
    return bool(said) and re.fullmatch(pattern, said[0]) is not None and matches(expected[1:], said[1:])


def test_the_guide_says_how_to_install_before_its_first_command_and_links_the_directory():
    text = GUIDE.read_text(encoding="utf-8")
    first_command = text.index("$ python -m hotline")
    assert text.index("`./dev serve`") < first_command and text.index("`. .venv/bin/activate`") < first_command
    assert "[Connecting people to services](services.md)" in text and (ROOT / "docs" / "services.md").is_file()
    assert "Until the services directory arrives" not in text


def test_the_privacy_page_says_the_hotline_calls_twilios_rest_api_to_send_texts():
    text = " ".join((ROOT / "docs" / "privacy.md").read_text(encoding="utf-8").split())
    assert "The hotline calls Twilio's REST API only to send: a text a caller asks for, and alerts" in text
    assert not re.search(r"never (calls|uses) (Twilio's|the) REST API", text)
