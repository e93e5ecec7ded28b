"""The figures as rows: for the terminal, the console's tables and CSV files, all with
small cells suppressed (`suppress`).

Rules this module keeps:
- One row per period (a day, or a month past the daily counters' 400 days), channel,
  language and measure, and beside each language's rows the total over languages
  (`all`), suppressed as a total. Unique people, hours and weekdays are never by language.
- The quarterly report is one file with the figures a SAMHSA-style report asks for over
  the whole range: contacts, unique people, languages, guidance given, referrals and
  their outcomes, services near me, emergencies, and how calls ended.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from .figures import ARRIVALS, CHANNELS, Figures
from .suppress import cell, total

HEADER = ("period", "channel", "language", "measure", "value")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def rows(figures: Figures, threshold: int) -> list[tuple[str, str, str, str, str]]:
    """Every figure of the range as (period, channel, language, measure, value as shown)."""
    out = []
    languages = figures.languages()
    for period in figures.periods():
        for channel in CHANNELS:
            measures = sorted({m for (p, c, _), counts in figures.counts.items() if p == period and c == channel
                               for m in counts})
            for measure in measures:
                parts = [figures.counts.get((period, channel, lang), Counter())[measure] for lang in languages]
                for lang, value in zip(languages, parts, strict=True):
                    if value:
                        out.append((period, channel, lang, measure, cell(value, threshold)))
                out.append((period, channel, "all", measure, total(parts, threshold)))
            people = figures.people.get((period, channel), 0)
            if people:
                out.append((period, channel, "all", "people", cell(people, threshold)))
    span = f"{figures.start.isoformat()}/{figures.end.isoformat()}"
    for channel in CHANNELS:
        out.append((span, channel, "all", "people", cell(figures.people.get(("all", channel), 0), threshold)))
        for hour in range(24):
            out.append((span, channel, "all", f"hour:{hour:02d}", cell(figures.hours[channel][hour], threshold)))
        for day, name in enumerate(WEEKDAYS):
            out.append((span, channel, "all", f"weekday:{name}", cell(figures.weekdays[channel][day], threshold)))
    return out


def to_csv(lines, header=HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue()


def quarterly(figures: Figures, threshold: int) -> list[tuple[str, str, str, str, str]]:
    """(section, measure, voice, sms, total) over the whole range, as shown."""
    def both(measure_of) -> list[int]:
        return [sum(figures.total(m, channel) for m in measure_of(channel)) for channel in CHANNELS]

    out = []

    def add(section: str, name: str, measure_of) -> None:
        parts = both(measure_of)
        out.append((section, name, *(cell(p, threshold) for p in parts), total(parts, threshold)))

    add("contacts", "received", lambda channel: [ARRIVALS[channel]])
    people = [figures.people.get(("all", channel), 0) for channel in CHANNELS]
    out.append(("contacts", "unique people (a person may use both)", *(cell(p, threshold) for p in people), ""))
    for lang in figures.languages():
        parts = [figures.total(ARRIVALS[channel], channel, lang) for channel in CHANNELS]
        out.append(("languages", lang, *(cell(p, threshold) for p in parts), total(parts, threshold)))
    for measure in figures.measures("heard:"):
        add("guidance heard or read", measure.removeprefix("heard:"), lambda _, m=measure: [m])
    for measure in figures.measures("transfer:"):
        add("referrals (transfers)", measure.removeprefix("transfer:"), lambda _, m=measure: [m])
    for measure in figures.measures("zip:"):
        add("services near me", measure.removeprefix("zip:"), lambda _, m=measure: [m])
    for measure in ("emergency", "textme:sent", "textme:refused", "textme:failed", "optout", "optin", "forget",
                    "limited", "safe"):
        add("other", measure, lambda _, m=measure: [m])
    for measure in figures.measures("length:"):
        add("call length", measure.removeprefix("length:"), lambda _, m=measure: [m])
    return out


QUARTERLY_HEADER = ("section", "measure", "voice", "sms", "total")
