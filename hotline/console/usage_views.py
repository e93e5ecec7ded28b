"""The console's usage dashboard as tables: what each chart draws and the table beside it
shows, with small cells suppressed. A view's CSV is its table, row for row.

Rules this module keeps:
- Every value is a shown string from `suppress` ("<10", "suppressed" or a number); a
  chart draws only what its table shows (a hidden cell is drawn as no bar, and says so).
- Nothing here is by person; hours and weekdays are never by language.
- Titles and column names are English marked for the console's catalogue (`N_`): the page
  shows them translated, a CSV keeps them as they are, so its header never changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..usage.export import WEEKDAYS
from ..usage.figures import ARRIVALS, CHANNELS, Figures
from ..usage.suppress import cell, total
from .marks import N_


@dataclass(frozen=True)
class View:
    name: str  # also its CSV's name: usage-<name>.csv
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    chart: int = 1  # the column the chart draws (its label is column 0); 0: no chart

    def bars(self) -> list[tuple[str, int | None]]:
        """(label, value or None when hidden) of the chart."""
        out = []
        for row in self.rows:
            value = row[self.chart]
            out.append((row[0], int(value) if value.isdigit() else None))
        return out


def _measure_rows(figures: Figures, prefix: str, threshold: int) -> list[tuple[str, ...]]:
    rows = []
    for measure in figures.measures(prefix):
        parts = [figures.total(measure, channel) for channel in CHANNELS]
        rows.append((measure.removeprefix(prefix), *(cell(p, threshold) for p in parts), total(parts, threshold)))
    return rows


def views(figures: Figures, threshold: int) -> list[View]:
    days = [p for p in figures.periods() if len(p) == 10] or figures.periods()
    per_day = []
    for period in days:
        parts = [figures.total(ARRIVALS[channel], channel, period=period) for channel in CHANNELS]
        per_day.append((period, *(cell(p, threshold) for p in parts), total(parts, threshold)))
    people = [figures.people.get(("all", channel), 0) for channel in CHANNELS]
    languages = []
    for lang in figures.languages():
        parts = [figures.total(ARRIVALS[channel], channel, lang) for channel in CHANNELS]
        if any(parts):
            languages.append((lang, *(cell(p, threshold) for p in parts), total(parts, threshold)))
    ended: Counter = Counter()
    hangups: Counter = Counter()
    for counts in figures.counts.values():
        for measure, n in counts.items():
            if measure.startswith("left:"):
                ended[measure.removeprefix("left:")] += n
            elif measure.startswith("hangup:"):
                hangups[measure.removeprefix("hangup:")] += n
    dropoff = [(node, cell(ended[node], threshold), cell(hangups[node], threshold)) for node in sorted(ended)]
    transfers = _measure_rows(figures, "transfer:", threshold) + _measure_rows(figures, "rung:", threshold)
    hours = [(f"{hour:02d}:00", *(cell(figures.hours[channel][hour], threshold) for channel in CHANNELS))
             for hour in range(24)]
    weekdays = [(name, *(cell(figures.weekdays[channel][day], threshold) for channel in CHANNELS))
                for day, name in enumerate(WEEKDAYS)]
    calls, texts, summed = N_("calls"), N_("texts"), N_("total")
    both = (N_("voice"), N_("sms"), summed)
    return [
        View("days", N_("Calls and texts per day"), (N_("day"), calls, texts, summed), tuple(per_day), 3),
        View("people", N_("Unique people"), (N_("channel"), N_("people")),
             (("calls", cell(people[0], threshold)), ("texts", cell(people[1], threshold))), 1),
        View("languages", N_("Calls and texts by language"), (N_("language"), calls, texts, summed),
             tuple(languages), 3),
        View("topics", N_("Guidance heard or read, by node"), (N_("node"), *both), tuple(_measure_rows(
            figures, "heard:", threshold)), 3),
        View("dropoff", N_("Where calls ended, by node"), (N_("node"), N_("calls ended here"), N_("hang-ups here")),
             tuple(dropoff), 1),
        View("transfers", N_("Transfers and their outcomes (transfer node: outcome; rung: service)"),
             (N_("transfer"), *both), tuple(transfers), 3),
        View("hours", N_("Calls and texts by hour of the day"), (N_("hour"), calls, texts), tuple(hours), 1),
        View("weekdays", N_("Calls and texts by day of the week"), (N_("day"), calls, texts), tuple(weekdays), 1),
    ]


def dropoff_by_node(figures: Figures, threshold: int) -> dict[str, str]:
    """For the flow diagram: the calls that ended at each node, as shown."""
    view = next(v for v in views(figures, threshold) if v.name == "dropoff")
    return {row[0]: row[1] for row in view.rows}
