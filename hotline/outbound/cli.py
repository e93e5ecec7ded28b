"""`flask --app wsgi hotline alerts new|send|approve|status|cancel|reports` and `... hotline worker`.

These need the configured app (Redis, the alerts key), so they run through `flask`, not
`python -m hotline`. Output never shows a number: subscribers are counts, small ones
suppressed.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext

from . import desk, progress


def _alerts():
    alerts = current_app.extensions.get("alerts")
    if alerts is None:
        raise click.ClickException("alerts are off: set HOTLINE_ALERTS=on and HOTLINE_ALERTS_KEY (docs/alerts.md)")
    return alerts


def _refusals(action):
    try:
        return action()
    except desk.Refused as refused:
        raise click.ClickException("\n".join(refused.reasons)) from None


def _when(alerts, at: str | None) -> int:
    if not at:
        return 0
    try:
        local = dt.datetime.strptime(at, "%Y-%m-%d %H:%M")
    except ValueError:
        raise click.BadParameter(f"write the time as YYYY-MM-DD HH:MM, like 2026-12-04 09:30, not {at!r}") from None
    moment = local.replace(tzinfo=ZoneInfo(alerts.plan().timezone))
    if moment <= alerts.now():
        raise click.BadParameter(f"{at} is in the past")
    return int(moment.timestamp())


@click.group()
def alerts() -> None:
    """Drug-supply alerts: compose, approve, send, follow and cancel them."""


@alerts.command()
@click.option("--by", required=True, help="Who is writing it (the two-person rule compares names).")
@click.option("--text", "english", required=True, help="The alert in English.")
@click.option("--translation", multiple=True, metavar="LANG=TEXT", help="A translation, e.g. es='Alerta: ...'.")
@click.option("--english-for", multiple=True, metavar="LANG", help="Send this language the English.")
@click.option("--skip", multiple=True, metavar="LANG", help="Send this language nothing.")
@click.option("--area", multiple=True, metavar="AREA", help="An area id from alerts.yaml (default: every area).")
@click.option("--urgent", is_flag=True, help="Send even during quiet hours.")
@click.option("--at", help="Send at this local time (YYYY-MM-DD HH:MM) instead of as soon as approved.")
@with_appcontext
def new(by, english, translation, english_for, skip, area, urgent, at) -> None:
    """Write an alert (a draft); prints what each language will get, and what is missing."""
    box = _alerts()
    translations = {}
    for item in translation:
        lang, sep, words = item.partition("=")
        if not sep:
            raise click.BadParameter(f"write a translation as LANG=TEXT, like es='Alerta ...', not {item!r}")
        translations[lang.strip()] = words
    broadcast = _refusals(lambda: desk.new(box, by, english, translations, english_for, skip, area, urgent,
                                           _when(box, at)))
    click.echo(f"alert {broadcast.id} saved as a draft")
    _describe(box, broadcast)


def _describe(box, broadcast) -> None:
    flows = box.flows()
    for cost in desk.costs(box, broadcast):
        name = flows.languages.languages[cost.lang].name
        if cost.text is None:
            click.echo(f"  {name}: {'skipped' if cost.lang in broadcast.skip else 'NOT DECIDED'}")
        else:
            click.echo(f"  {name}: {cost.segments} segment(s) x {cost.subscribers} subscribers"
                       f" = {cost.segments_total} segments")
    for problem in desk.problems(box, broadcast):
        click.echo(f"  to fix: {problem}")


@alerts.command()
@click.argument("broadcast_id")
@click.option("--by", required=True, help="Who asks for it to be sent.")
@with_appcontext
def send(broadcast_id, by) -> None:
    """Ask for an alert to be sent (a second publisher approves it first, by default)."""
    broadcast = _refusals(lambda: desk.submit(_alerts(), broadcast_id, by))
    if broadcast.state == "awaiting":
        click.echo(f"alert {broadcast_id} waits for a second publisher: flask hotline alerts approve {broadcast_id}")
    else:
        click.echo(f"alert {broadcast_id} is {broadcast.state}")


@alerts.command()
@click.argument("broadcast_id")
@click.option("--by", required=True, help="Who approves it (not its author).")
@with_appcontext
def approve(broadcast_id, by) -> None:
    """Approve someone else's alert: it is then sent at its time."""
    broadcast = _refusals(lambda: desk.approve(_alerts(), broadcast_id, by))
    click.echo(f"alert {broadcast_id} approved by {broadcast.approver}; it is {broadcast.state}")


@alerts.command()
@click.argument("broadcast_id")
@with_appcontext
def cancel(broadcast_id) -> None:
    """Cancel an alert; if it is being sent, nothing more leaves within seconds."""
    broadcast = _refusals(lambda: desk.cancel(_alerts(), broadcast_id))
    click.echo(f"alert {broadcast_id} is {broadcast.state}")


@alerts.command()
@click.argument("broadcast_id", required=False)
@with_appcontext
def status(broadcast_id) -> None:
    """List recent alerts, or show one alert's progress; then the subscriber figures."""
    box = _alerts()
    if broadcast_id:
        _progress(_refusals(lambda: desk.progress(box, broadcast_id)))
        return
    for b in box.broadcasts.recent():
        click.echo(f"{b.id}  {b.state:<9}  by {b.author:<12}  {b.english[:50]}")
    limit = desk.small_cells(box)
    click.echo(f"subscribers (area, language; under {limit} shown as \"fewer than {limit}\"):")
    for (area, lang), n in sorted(desk.subscriber_figures(box).items()):
        click.echo(f"  {box.plan().name(area) if area != '*' else 'every area'}, {lang}: "
                   f"{n if n is not None else f'fewer than {limit}'}")


def _progress(shown: progress.Progress) -> None:
    """One alert's progress, its counts as `progress` lets them be shown."""
    b, limit = shown.broadcast, shown.limit
    words = {progress.FEWER: f"fewer than {limit}", progress.MANY: f"{limit} or more", progress.HIDDEN: "not shown"}

    def count(name: str) -> str:
        value = shown.shown(name)
        return words[value] if isinstance(value, str) else str(value)

    click.echo(f"alert {b.id} by {b.author}{' (urgent)' if b.urgent else ''}: {b.state}")
    if b.waiting_until:
        click.echo(f"  waiting for quiet hours to end: {dt.datetime.fromtimestamp(b.waiting_until, dt.UTC)}")
    click.echo("  " + ", ".join(f"{name} {count(name)}" for name in progress.PROGRESS))
    click.echo("  not sent: " + ", ".join(f"{name} {count(name)}" for name in progress.NOT_SENT)
               + f"; opted out since: {count('opted_out_since')}")
    if shown.tenths is not None:
        click.echo(f"  dealt with: about {shown.tenths}%")
    if not shown.exact:
        click.echo(f"  it went to an area and language with fewer than {limit} subscribers, so how many it was for "
                   "is a range and the counts that would add up to that number are not shown; the others are 0, "
                   f"fewer than {limit} or {limit} or more (docs/privacy.md)")


@alerts.command()
@with_appcontext
def reports() -> None:
    """Bad-batch reports of the last 90 days, newest first (kept without numbers)."""
    box = _alerts()
    for report in box.reports.recent(box.now().timestamp()):
        when = dt.datetime.fromtimestamp(report.at, ZoneInfo(box.plan().timezone)).strftime("%Y-%m-%d %H:%M")
        click.echo(f"{when}  {box.plan().name(report.area) if report.area else '-'}: {report.text}")


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for tests and one-off runs).")
@with_appcontext
def worker(burst: bool) -> None:
    """Send alerts: run one RQ worker (start as many as you like, on any machine)."""
    from .worker import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _alerts()
    run(current_app._get_current_object(), burst=burst)
