"""Coordinators' commands: check, schema, simulate, translate, recordings (and, on a configured
server, `user` and `revisions` for the console: see admin_cli; `stats`, the usage figures).

Run them as `python -m hotline <command>` (no Twilio account or production settings; `simulate`
starts a private redis-server) or, on a configured server, as `flask --app wsgi hotline <command>`. The folders
come from `--flows` / `--locales` / `--audio`, else HOTLINE_FLOWS_DIR / HOTLINE_LOCALES_DIR /
HOTLINE_AUDIO_DIR, else the project's own `flows/`, `locales/` and `audio/`.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import click
from babel.messages.pofile import read_po, write_po

from .authoring.checks import run_check
from .authoring.checks.speech import menu_length_table
from .authoring.checks.translations import coverage_table
from .authoring.recordings import Recordings
from .authoring.schema import schema_texts
from .config import Config
from .flow.loader import Problem

POT = "messages.pot"


class _Commands(click.Group):
    """The commands, those of a configured server (Flask, Redis, accounts, alerts, usage) and the
    simulator imported only when one of them is run or listed: `check` does not wait for them
    (importing this module took 0.38 s of CPU with them, 0.25 s without)."""

    LATER = {"user": "admin_cli:user", "revisions": "admin_cli:revisions", "alerts": "outbound.cli:alerts",
             "worker": "outbound.cli:worker", "stats": "usage.cli:stats"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.LATER})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.LATER and name not in self.commands:
            module, attribute = self.LATER[name].split(":")
            self.add_command(getattr(importlib.import_module(f"{__package__}.{module}"), attribute), name)
        return super().get_command(ctx, name)


def shown(path: str | Path) -> str:
    """A path as a coordinator would type it: relative to where they are, when it can be."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def echo_problem(problem: Problem) -> None:
    click.echo(str(replace(problem, file=shown(problem.file))))


def folders(ctx: click.Context) -> tuple[Path, Path]:
    return ctx.meta["hotline.flows"], ctx.meta["hotline.locales"]


def checked(ctx: click.Context):
    """The full check, with the recordings in the audio folder."""
    return run_check(*folders(ctx), Recordings(ctx.meta["hotline.audio"]))


@click.group(name="hotline", cls=_Commands)
@click.option("--flows", "flows_dir", envvar="HOTLINE_FLOWS_DIR", default=Config.HOTLINE_FLOWS_DIR,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of the flow files.")
@click.option("--locales", "locales_dir", envvar="HOTLINE_LOCALES_DIR", default=Config.HOTLINE_LOCALES_DIR,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of the translation catalogues.")
@click.option("--audio", "audio_dir", envvar="HOTLINE_AUDIO_DIR", default=Config.HOTLINE_AUDIO_DIR,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of the recordings.")
@click.pass_context
def cli(ctx: click.Context, flows_dir: Path, locales_dir: Path, audio_dir: Path) -> None:
    """Check, try out and translate the hotline's flows."""
    ctx.meta["hotline.flows"], ctx.meta["hotline.locales"] = flows_dir, locales_dir
    ctx.meta["hotline.audio"] = audio_dir


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Check every flow and catalogue; print each problem as file:line. Fails on errors."""
    report = checked(ctx)
    for problem in report.problems:
        echo_problem(problem)
    if report.coverage:
        click.echo("\n" + coverage_table(report.coverage))
    if report.menu_lengths:
        click.echo("\n" + menu_length_table(report.menu_lengths, report.flows.settings.max_menu_seconds))
    for note in report.notes:
        click.echo(f"\nnote: {note}")
    errors, warnings = len(report.errors), len(report.warnings)
    click.echo(f"\n{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}.")
    if errors:
        ctx.exit(1)


@cli.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the schema files go (default: docs/ beside the flows folder, as the flow files expect).")
@click.option("--check", "only_check", is_flag=True, help="Only say whether the committed files are up to date.")
@click.pass_context
def schema(ctx: click.Context, out_dir: Path, only_check: bool) -> None:
    """Write the JSON Schemas of the flow files (used by editors to check as you type)."""
    out_dir = out_dir or folders(ctx)[0].resolve().parent / "docs"
    stale = []
    for name, text in schema_texts().items():
        path = out_dir / name
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(shown(path))
        if not only_check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if only_check and stale:
        click.echo(f"out of date: {', '.join(stale)}; run: python -m hotline schema")
        ctx.exit(1)
    click.echo(f"wrote {', '.join(stale)}" if stale else "the schema files are up to date")


@cli.command()
@click.argument("channel", type=click.Choice(["voice", "sms"]))
@click.option("--lang", help="Language code; on a call, it is chosen at the language menu for you.")
@click.option("--at", help='The moment to simulate, in the programme\'s time zone: "2026-12-04 21:30" (default: now).')
@click.option("--script", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Inputs one per line, or a saved transcript (.yaml) to replay and compare.")
@click.option("--save", type=click.Path(dir_okay=False, path_type=Path), help="Save the conversation as a transcript.")
@click.pass_context
def simulate(ctx: click.Context, channel: str, lang: str | None, at: str | None, script: Path | None,
             save: Path | None) -> None:
    """Be a caller (voice) or texter (sms): keys or words in, what the hotline says out."""
    from .authoring.simulator import Simulator, replay, transcript
    from .simulate_cli import converse, moment
    from .state.scratch import NoRedisServer

    report = run_check(*folders(ctx))
    if report.errors:
        for problem in report.errors:
            echo_problem(problem)
        ctx.fail("fix the errors first: this version would not be served")
    if lang and lang not in report.flows.languages.languages:
        ctx.fail(f"unknown language '{lang}'; known: {', '.join(report.flows.languages.languages)}")
    when = moment(ctx, at, report.flows)
    try:
        if script and script.suffix in (".yaml", ".yml"):
            conversation, differences = replay(script, report.flows, report.catalogues, when)
            click.echo("\n".join(conversation))
            for difference in differences:
                click.echo(f"DIFFERENT: {difference}")
            ctx.exit(1 if differences else 0)
        sim = Simulator(report.flows, report.catalogues, channel, lang, when)
        opening = sim.open()
    except NoRedisServer as exc:
        ctx.fail(str(exc))
    click.echo("\n".join(opening) if opening else "(type a text message; quit to stop)")
    turns = converse(sim, script.read_text(encoding="utf-8").splitlines() if script else None)
    if save:
        save.write_text(transcript(channel, lang, opening, turns, when), encoding="utf-8")
        click.echo(f"saved {shown(save)}")


# -- translate -------------------------------------------------------------------------


@cli.group()
def translate() -> None:
    """Keep the translation catalogues in step with the flows (wraps pybabel)."""


def _pybabel(ctx: click.Context, *args: str) -> None:
    """Run pybabel from the project folder (the one holding babel.cfg and flows/), as the README shows."""
    flows_dir, locales_dir = folders(ctx)
    root = flows_dir.resolve().parent
    if not (root / "babel.cfg").is_file():
        ctx.fail(f"no babel.cfg in {shown(root)}: run translate in a copy of the project")
    locales = str(Path(locales_dir).resolve())
    argv = [a.replace("{locales}", locales) for a in args]
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *argv], cwd=root,
                          capture_output=True, text=True)
    if done.returncode:
        click.echo(done.stderr.strip() or done.stdout.strip(), err=True)
        ctx.exit(done.returncode)


def _coverage(ctx: click.Context) -> None:
    report = checked(ctx)
    if report.coverage:
        click.echo(coverage_table(report.coverage))


@translate.command()
@click.pass_context
def extract(ctx: click.Context) -> None:
    """Collect every text to translate into locales/messages.pot.

    The template keeps its POT-Creation-Date, so that two coordinators' edits do not both
    change (and collide on) that header line.
    """
    template = folders(ctx)[1] / POT
    dated = _creation_line(template.read_text(encoding="utf-8")) if template.is_file() else None
    _pybabel(ctx, "extract", "-F", "babel.cfg", "-k", "N_", "--add-comments=TRANSLATORS", "--sort-by-file",
             "--no-location", "--project=hotline", "--copyright-holder=hotline contributors",
             "-o", f"{{locales}}/{POT}", ".")
    if dated:
        text = template.read_text(encoding="utf-8")
        template.write_text(text.replace(_creation_line(text) or dated, dated, 1), encoding="utf-8")
    click.echo(f"wrote {shown(folders(ctx)[1] / POT)}")
    _coverage(ctx)


def _creation_line(template: str) -> str | None:
    return next((line for line in template.splitlines() if line.startswith('"POT-Creation-Date:')), None)


@translate.command()
@click.pass_context
def update(ctx: click.Context) -> None:
    """Bring every language's messages.po in step with the template (new texts appear untranslated).

    Entries carry no `file:line` (their translator comment names the node), and each catalogue
    keeps its own header dates, so one changed sentence changes one entry per catalogue and two
    coordinators' edits do not collide over line numbers.
    """
    locales_dir = folders(ctx)[1]
    with (locales_dir / POT).open("rb") as source:
        template = read_po(source)
    for path in sorted(locales_dir.glob("*/LC_MESSAGES/messages.po")):
        with path.open("rb") as source:
            catalogue = read_po(source, locale=path.parent.parent.name)
        created = catalogue.creation_date
        catalogue.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalogue.creation_date = created
        catalogue.obsolete.clear()
        with path.open("wb") as target:
            write_po(target, catalogue, no_location=True, ignore_obsolete=True)
    _coverage(ctx)


@translate.command()
@click.argument("lang")
@click.pass_context
def init(ctx: click.Context, lang: str) -> None:
    """Start the catalogue of a new language, e.g. `translate init fr`."""
    _pybabel(ctx, "init", "-i", f"{{locales}}/{POT}", "-d", "{locales}", "-l", lang)
    click.echo(f"wrote {shown(folders(ctx)[1] / lang / 'LC_MESSAGES' / 'messages.po')}")


@translate.command(name="compile")
@click.pass_context
def compile_(ctx: click.Context) -> None:
    """Build .mo files for other gettext tools (the hotline itself reads the .po files)."""
    _pybabel(ctx, "compile", "-d", "{locales}", "--statistics")
    _coverage(ctx)



@cli.command()
@click.argument("lang")
@click.pass_context
def recordings(ctx: click.Context, lang: str) -> None:
    """List the recordings a language Twilio cannot speak still needs: file, then the words to say."""
    report = checked(ctx)
    if report.flows is None or lang not in report.flows.languages.languages:
        ctx.fail(f"'{lang}' is not a language of these flows (or they do not load: run check)")
    if report.flows.languages.languages[lang].voice:
        click.echo(f"'{lang}' has a Twilio voice: it needs no recordings.")
        return
    audio = ctx.meta["hotline.audio"]
    missing = Recordings(audio).missing(report.flows, report.catalogues, lang)
    for name, words in missing:
        click.echo(f"{shown(audio / name) if name != 'untranslated' else 'untranslated (translate it first)'}\t{words}")
    click.echo(f"{len(missing)} missing." if missing else f"every call sentence of '{lang}' is recorded.")

