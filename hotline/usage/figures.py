"""Reading the usage figures for a range of days: counts per day, channel, language and
measure; unique people; the hours and the weekdays.

Rules this module keeps:
- Days older than the daily counters' 400 days are read from their month's totals (the
  row's period is then the month, `2025-03`).
- Unique people are counted from the sketches while a month runs and from the kept counts
  after it. Over a range that spans months, each month's people are added up: someone who
  called in two months counts twice (a sketch of a past month is not kept to merge).
- Weekdays are added up from the days' calls and texts, over every language; hours come
  from their own counters, never by language.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..state.stats import DAY_TTL, Stats, month_end, month_of
from ..state.stats_months import roll_up_finished

CHANNELS = ("voice", "sms")
ARRIVALS = {"voice": "calls", "sms": "texts"}


@dataclass
class Figures:
    """What a range holds. `counts[(period, channel, lang)]` is a Counter of measures."""

    start: dt.date
    end: dt.date
    test: bool
    counts: dict[tuple[str, str, str], Counter] = field(default_factory=dict)
    people: dict[tuple[str, str], int] = field(default_factory=dict)  # (day or "all", channel)
    hours: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # channel -> hour
    weekdays: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # channel -> 0..6

    def periods(self) -> list[str]:
        return sorted({period for period, _, _ in self.counts})

    def languages(self) -> list[str]:
        return sorted({lang for _, _, lang in self.counts})

    def total(self, measure: str, channel: str | None = None, lang: str | None = None,
              period: str | None = None) -> int:
        return sum(counts[measure] for (p, c, g), counts in self.counts.items()
                   if (channel is None or c == channel) and (lang is None or g == lang)
                   and (period is None or p == period))

    def measures(self, prefix: str = "") -> list[str]:
        return sorted({m for counts in self.counts.values() for m in counts if m.startswith(prefix)})


def days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def read(stats: Stats, start: dt.date, end: dt.date, languages, test: bool = False,
         today: dt.date | None = None) -> Figures:
    """The figures from `start` to `end` (days of the programme's time zone, both included)."""
    client, space = stats.client, stats.space(test)
    today = today or dt.datetime.now(stats.zone).date()
    current = month_of(today.isoformat())
    if stats.rolled_through != current:  # once per process and month: it looks through every key
        roll_up_finished(stats, current)
        stats.rolled_through = current
    figures = Figures(start, end, test)
    langs = [*languages, "und"]
    cutoff = today - dt.timedelta(seconds=DAY_TTL)
    recent = [d for d in days(start, end) if d >= cutoff]
    old_months = sorted({month_of(d.isoformat()) for d in days(start, end) if d < cutoff})
    pipe = client.pipeline(transaction=False)
    wanted = []
    for d in recent:
        for channel in CHANNELS:
            for lang in langs:
                wanted.append((d.isoformat(), channel, lang))
                pipe.hgetall(stats.day_key(space, d.isoformat(), channel, lang))
            wanted.append((d.isoformat(), channel, "hours"))
            pipe.hgetall(f"{space}:hours:{d.isoformat()}:{channel}")
    for month in old_months:
        for channel in CHANNELS:
            for lang in langs:
                wanted.append((month, channel, lang))
                pipe.hgetall(f"{space}:month:{month}:{channel}:{lang}")
    for (period, channel, lang), raw in zip(wanted, pipe.execute(), strict=True):
        if not raw:
            continue
        values = Counter({k.decode(): int(v) for k, v in raw.items() if int(v)})
        if lang == "hours":
            figures.hours[channel].update({int(hour): n for hour, n in values.items()})
            continue
        figures.counts[period, channel, lang] = values
        if len(period) == 10:
            figures.weekdays[channel][dt.date.fromisoformat(period).weekday()] += values[ARRIVALS[channel]]
    _people(stats, figures, space, recent, old_months)
    return figures


def _people(stats: Stats, figures: Figures, space: str, recent: list[dt.date], old_months: list[str]) -> None:
    client = stats.client
    by_month: dict[str, list[dt.date]] = defaultdict(list)
    for d in recent:
        by_month[month_of(d.isoformat())].append(d)
    totals: Counter = Counter()
    for month, month_days in by_month.items():
        kept = {k.decode(): int(v) for k, v in client.hgetall(f"{space}:uniques:{month}").items()}
        for channel in CHANNELS:
            keys = [stats.people_key(space, d.isoformat(), channel) for d in month_days]
            if kept:
                daily = {d.isoformat(): kept.get(f"{d.isoformat()}:{channel}", 0) for d in month_days}
                whole = len(month_days) == (month_end(month) - dt.date.fromisoformat(f"{month}-01")).days
                totals[channel] += kept.get(channel, 0) if whole else sum(daily.values())
            else:
                daily = {d.isoformat(): client.pfcount(key) for d, key in zip(month_days, keys, strict=True)}
                totals[channel] += client.pfcount(*keys) if keys else 0
            for period, n in daily.items():
                if n:
                    figures.people[period, channel] = n
    for month in old_months:
        kept = {k.decode(): int(v) for k, v in client.hgetall(f"{space}:uniques:{month}").items()}
        for channel in CHANNELS:
            if kept.get(channel):
                figures.people[month, channel] = kept[channel]
                totals[channel] += kept[channel]
    for channel in CHANNELS:
        figures.people["all", channel] = totals[channel]
