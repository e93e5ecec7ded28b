"""Reading the usage figures: small cells and the totals that would give them back are
suppressed in the terminal, the CSV and the quarterly report; test traffic apart."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from hotline import create_app
from hotline.usage.suppress import SUPPRESSED, cell, total

from .conftest import NOW, Twilio
from .test_usage_counts import DAY, STATS, TESTER

SPAN = ["--from", DAY, "--to", DAY]


def calls(twilio: Twilio, count: int, key: str, first: int) -> None:
    """`count` calls from different numbers choosing the language on key `key`."""
    for n in range(count):
        call = twilio.call(f"+1202556{first + n:04d}")
        call.start()
        call.press(key)


@pytest.fixture
def counted(redis_client):
    app = create_app(STATS, clock=lambda: NOW)
    twilio = Twilio(app.test_client())
    calls(twilio, 12, "1", 0)  # English
    calls(twilio, 3, "2", 100)  # Spanish: a small cell
    return app


def stats_csv(app, *args: str) -> list[dict[str, str]]:
    result = app.test_cli_runner().invoke(args=["hotline", "stats", *args])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.output)))


def test_small_cells_read_under_ten_and_zero_is_shown():
    assert [cell(n, 10) for n in (0, 1, 9, 10, 250)] == ["0", "<10", "<10", "10", "250"]


def test_a_total_that_would_give_back_one_hidden_cell_is_suppressed():
    assert total([12, 3], 10) == SUPPRESSED, "15 - 12 would be the hidden 3"
    assert total([12, 30], 10) == "42"
    assert total([12, 3, 4], 10) == SUPPRESSED, "the two hidden cells add up to a small cell"
    assert total([12, 6, 7], 10) == "25", "two hidden cells: the subtraction gives only their sum, 13"
    assert total([3, 2], 10) == "<10"


def test_the_csv_has_a_row_per_day_and_measure_with_small_cells_suppressed(counted):
    rows = stats_csv(counted, *SPAN, "--csv")
    assert list(rows[0]) == ["period", "channel", "language", "measure", "value"]
    def value(lang, measure):
        return next(r["value"] for r in rows if r["period"] == DAY and r["channel"] == "voice"
                    and r["language"] == lang and r["measure"] == measure)
    assert value("en", "calls") == "12"
    assert value("es", "calls") == "<10"
    assert value("all", "calls") == SUPPRESSED, "the total would give the Spanish calls back"
    assert value("all", "visit:language") == "15"
    assert value("all", "people") == "15"
    assert "3" not in {r["value"] for r in rows if r["language"] == "es"}


def test_with_a_threshold_of_one_every_count_is_exact(redis_client):
    app = create_app({**STATS, "HOTLINE_SMALL_CELLS": "1"}, clock=lambda: NOW)
    calls(Twilio(app.test_client()), 3, "2", 200)
    rows = stats_csv(app, *SPAN, "--csv")
    assert {(r["language"], r["value"]) for r in rows if r["measure"] == "calls" and r["period"] == DAY} == {
        ("es", "3"), ("all", "3")}


def test_the_terminal_prints_the_same_figures(counted):
    result = counted.test_cli_runner().invoke(args=["hotline", "stats", *SPAN])
    assert result.exit_code == 0, result.output
    assert "counts under 10 shown as <10" in result.output
    line = next(line for line in result.output.splitlines() if line.startswith(DAY) and " es " in line
                and " calls" in line)
    assert line.split()[-1] == "<10"


def test_the_quarterly_report_is_one_file_with_small_cells_suppressed(counted):
    rows = stats_csv(counted, "--from", "2026-10-01", "--to", "2026-12-31", "--quarterly")
    by = {(r["section"], r["measure"]): r for r in rows}
    assert by["contacts", "received"]["voice"] == "15" and by["contacts", "received"]["sms"] == "0"
    assert by["languages", "es"]["voice"] == "<10" and by["languages", "en"]["voice"] == "12"
    assert by["contacts", "unique people (a person may use both)"]["voice"] == "15"


def test_test_traffic_is_read_only_when_asked_for_and_labelled(counted):
    Twilio(counted.test_client()).text("NARCAN", caller=TESTER)
    plain = stats_csv(counted, *SPAN, "--csv")
    assert not any(r["channel"] == "sms" and r["measure"] == "texts" for r in plain)
    tested = counted.test_cli_runner().invoke(args=["hotline", "stats", *SPAN, "--test"])
    assert tested.output.startswith("TEST TRAFFIC ONLY")
    assert any(" texts" in line and line.startswith(DAY) for line in tested.output.splitlines())


def test_a_bad_day_is_a_clear_error(counted):
    result = counted.test_cli_runner().invoke(args=["hotline", "stats", "--from", "yesterday"])
    assert result.exit_code != 0 and "is not a day like 2026-01-31" in result.output


def test_days_past_the_daily_counters_are_read_from_their_month(counted, redis_client):
    from hotline.usage.figures import read

    stats = counted.extensions["hotline"].store.stats
    later = dt.date(2027, 12, 30)  # more than 400 days after: the days are gone, the month is kept
    figures = read(stats, dt.date(2026, 11, 1), dt.date(2026, 11, 30), ("en", "es"), today=later)
    assert figures.counts["2026-11", "voice", "en"]["calls"] == 12
    assert figures.people["2026-11", "voice"] == 15
