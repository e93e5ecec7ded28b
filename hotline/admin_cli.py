"""`flask hotline user ...` and `flask hotline revisions ...`: console accounts and revisions
from the terminal, on a configured server (`flask --app wsgi hotline ...`).

Rules this module keeps:
- They use the app's own settings and Redis, so they act on the same data as the console.
- `user add` and `user reset` print a one-time password (changed at the first sign-in)
  unless `--password-stdin` gives one, for scripted set-up; nothing else prints a secret.
- `revisions import` publishes files only if they pass the same check as `python -m
  hotline check`; `export` writes a revision back to files, for version control.
- Everything done here is in the audit log, as done by "terminal".
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

WHO = "terminal"


def _parts():
    from .state.accounts import Accounts
    from .state.audit import AuditLog
    from .state.revisions import RevisionStore

    hotline = current_app.extensions["hotline"]
    client = hotline.store.client
    return Accounts(client, hotline.config.secret), RevisionStore(client), AuditLog(client), hotline


def _stdin_password() -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.UsageError("no password on standard input")
    return password


@click.group()
def user() -> None:
    """Console accounts: add, list, remove, reset."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["viewer", "translator", "editor", "publisher", "admin"]))
@click.option("--languages", default="", help="For a translator: the language codes they may edit, e.g. es,fr.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead.")
@with_appcontext
def user_add(name: str, role: str, languages: str, password_stdin: bool) -> None:
    """Add an account; prints its one-time password."""
    from .state.accounts import AccountError

    accounts, _, audit, _ = _parts()
    langs = [code.strip() for code in languages.replace(" ", ",").split(",") if code.strip()]
    try:
        account, password = accounts.add(name, role, _stdin_password() if password_stdin else None, langs)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    audit.add(WHO, "user-add", f"added {account.name} as {account.role}")
    click.echo(f"added {account.name} ({account.role})")
    if not password_stdin:
        click.echo(f"one-time password: {password}")
        click.echo("They choose their own at the first sign-in" +
                   (", and set up the second step (an authenticator app)." if account.needs_totp else "."))


@user.command("list")
@with_appcontext
def user_list() -> None:
    """Every account: name, role, languages, second step."""
    accounts, *_ = _parts()
    for account in accounts.all():
        second = "second step set up" if account.totp_secret else (
            "second step at next sign-in" if account.needs_totp else "no second step needed")
        langs = f" [{', '.join(account.languages)}]" if account.languages else ""
        click.echo(f"{account.name}\t{account.role}{langs}\t{second}")


@user.command("remove")
@click.argument("name")
@with_appcontext
def user_remove(name: str) -> None:
    """Remove an account; its sessions end at once."""
    from .state.accounts import AccountError

    accounts, _, audit, _ = _parts()
    try:
        accounts.remove(name)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    audit.add(WHO, "user-remove", f"removed {name}")
    click.echo(f"removed {name}")


@user.command("reset")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input instead.")
@with_appcontext
def user_reset(name: str, password_stdin: bool) -> None:
    """A new password and no second factor (set up again at the next sign-in)."""
    from .state.accounts import AccountError

    accounts, _, audit, _ = _parts()
    try:
        password = accounts.reset(name, _stdin_password() if password_stdin else None)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    audit.add(WHO, "user-reset", f"reset the password and second factor of {name}")
    click.echo(f"reset {name}")
    if not password_stdin:
        click.echo(f"one-time password: {password}")


@click.group()
def revisions() -> None:
    """Published revisions: list, export to files, import from files."""


@revisions.command("list")
@with_appcontext
def revisions_list() -> None:
    """Every revision, newest first; * marks the one callers hear."""
    _, store, _, _ = _parts()
    published = store.published_number()
    for revision in store.history(limit=10_000):
        when = dt.datetime.fromtimestamp(revision.time, dt.UTC).strftime("%Y-%m-%d %H:%M")
        mark = "*" if revision.number == published else " "
        click.echo(f"{mark}{revision.number}\t{when}\t{revision.author}\t{revision.note}")


@revisions.command("export")
@click.argument("number", type=int)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def revisions_export(number: int, directory: Path) -> None:
    """Write revision NUMBER's files into DIRECTORY (as flows/ and locales/)."""
    from .state.revisions import write_files

    _, store, _, _ = _parts()
    revision = store.get(number)
    if revision is None:
        raise click.ClickException(f"there is no revision {number}")
    write_files(revision.files, directory)
    click.echo(f"wrote revision {number} ({len(revision.files)} files) to {directory}")


@revisions.command("import")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--note", default="", help="What changed (shown in the history).")
@click.option("--author", default=WHO, help="Who made the change (default: terminal).")
@with_appcontext
def revisions_import(directory: Path, note: str, author: str) -> None:
    """Publish DIRECTORY's flows/ and locales/ as a new revision, if they pass the check."""
    from .live import check_files
    from .state.revisions import Stale, read_files

    _, store, audit, hotline = _parts()
    files = read_files(directory / "flows", directory / "locales")
    if not any(name.startswith("flows/") for name in files):
        raise click.ClickException(f"no flow files in {directory / 'flows'}")
    report = check_files(files, (hotline.config.HOTLINE_AUDIO_DIR, hotline.config.audio_url))
    for problem in report.errors:
        click.echo(str(problem))
    if report.errors:
        raise click.ClickException(f"not published: the check found {len(report.errors)} error(s)")
    try:
        revision = store.publish(files, author, note or f"Imported from {directory}", store.published_number())
    except Stale:
        raise click.ClickException("another revision was published at the same moment; run it again") from None
    audit.add(WHO, "import", f"published revision {revision.number} from files")
    click.echo(f"published revision {revision.number}; every process serves it within HOTLINE_RELOAD_SECONDS")
