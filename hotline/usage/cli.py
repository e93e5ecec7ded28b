"""`flask hotline stats`: the usage figures in the terminal, or as CSV, with small cells
suppressed as everywhere else.

Rules this module keeps: it reads with the app's own settings and Redis (a configured
server: `flask --app wsgi hotline stats`); test traffic only with `--test`, and then says so.
"""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import with_appcontext

from . import export
from .figures import read


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a day like 2026-01-31") from None


@click.command()
@click.option("--from", "start", help="First day (YYYY-MM-DD, the programme's time zone); default 30 days ago.")
@click.option("--to", "end", help="Last day, included; default today.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV: one row per day and measure.")
@click.option("--quarterly", is_flag=True, help="The quarterly report over the range, as CSV.")
@click.option("--test", is_flag=True, help="Test traffic only (HOTLINE_TEST_NUMBERS), never in the figures.")
@with_appcontext
def stats(start: str | None, end: str | None, as_csv: bool, quarterly: bool, test: bool) -> None:
    """Usage figures for a range of days: calls, texts, people, languages, guidance, transfers."""
    hotline = current_app.extensions["hotline"]
    today = dt.datetime.now(hotline.store.stats.zone).date()
    last = _day(end) or today
    first = _day(start) or last - dt.timedelta(days=29)
    if first > last:
        raise click.BadParameter("--from is after --to")
    languages = tuple(hotline.published.bundle.flows.languages.languages)
    figures = read(hotline.store.stats, first, last, languages, test=test, today=today)
    threshold = hotline.config.HOTLINE_SMALL_CELLS
    if quarterly:
        click.echo(export.to_csv(export.quarterly(figures, threshold), export.QUARTERLY_HEADER), nl=False)
        return
    lines = export.rows(figures, threshold)
    if as_csv:
        click.echo(export.to_csv(lines), nl=False)
        return
    if test:
        click.echo("TEST TRAFFIC ONLY (HOTLINE_TEST_NUMBERS): not part of the figures.")
    click.echo(f"Usage figures {first} to {last} (counts under {threshold} shown as <{threshold}).")
    widths = [max(len(str(line[i])) for line in [export.HEADER, *lines]) for i in range(len(export.HEADER))]
    for line in [export.HEADER, *lines]:
        click.echo("  ".join(str(part).ljust(width) for part, width in zip(line, widths, strict=True)).rstrip())
