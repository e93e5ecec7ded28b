"""The alert form of the console: what a coordinator typed, read into what `outbound.desk`
takes, and the rows each language's slot shows (its text as sent, segments and cost).

Rules this module keeps:
- Reading the form never refuses what was typed: the words are kept whatever their
  problems (the desk lists those); only a time that cannot be read is an `Unreadable`,
  and then the page shows the form again as it was typed, with the reason.
- Each language other than English has an explicit choice: its translation, the English,
  or nothing. "Translation" with an empty slot is left undecided, so the alert cannot go.
- Subscriber counts under the small-cell limit are never shown, and neither is a figure
  that would reveal them by subtraction: an alert's reach and cost are worked out from the
  suppressed figures (`subscriptions.Reach`), a range where a suppressed cell counts.
- Its sentences (a slot's cost, why a time cannot be read) are in the coordinator's console
  language (`catalogue`), a reach and a progress count worded here rather than by `Reach.__str__`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from ..outbound import desk, progress
from ..outbound.broadcasts import Broadcast
from ..outbound.subscriptions import Reach
from .catalogue import _, ngettext

TRANSLATE, ENGLISH, SKIP = "translate", "english", "skip"
MAX_FIELD = 2000  # characters kept of one text box: more than one text can hold, so the desk says why


class Unreadable(ValueError):
    """A form value that cannot be read; its message says how to write it."""


def read(form, languages, source: str, plan, now: dt.datetime) -> dict:
    """desk.new's keyword arguments from the posted form (a MultiDict)."""
    translations, english_for, skip = {}, [], []
    for lang in languages:
        if lang == source:
            continue
        choice = form.get(f"choice-{lang}", TRANSLATE)
        if choice == ENGLISH:
            english_for.append(lang)
        elif choice == SKIP:
            skip.append(lang)
        words = form.get(f"text-{lang}", "")[:MAX_FIELD].strip()
        if words:
            translations[lang] = words
    known = plan.areas if plan else {}
    return {"english": form.get("english", "")[:MAX_FIELD], "translations": translations,
            "english_for": tuple(english_for), "skip": tuple(skip),
            "areas": tuple(a for a in form.getlist("areas") if a in known), "urgent": form.get("urgent") == "on",
            "send_at": _when(form, plan, now)}


def _when(form, plan, now: dt.datetime) -> int:
    if form.get("when", "now") != "at":
        return 0
    typed = form.get("send_at", "").strip().replace("T", " ")
    try:
        local = dt.datetime.strptime(typed, "%Y-%m-%d %H:%M")
    except ValueError:
        raise Unreadable(_("Write the time to send as a date and a time, like 2026-12-04 09:30, not “%(typed)s”; "
                           "or choose to send it as soon as it is approved.", typed=typed)) from None
    zone = plan.timezone if plan else "UTC"
    moment = local.replace(tzinfo=ZoneInfo(zone))
    if moment <= now:
        raise Unreadable(_("%(typed)s (%(zone)s) has already passed: choose a later time, or send it as soon as it "
                           "is approved.", typed=typed, zone=zone))
    return int(moment.timestamp())


def local_time(seconds: int, plan) -> str:
    """A moment as the programme reads it ("2026-12-04 09:30"), for the form and the pages."""
    zone = ZoneInfo(plan.timezone if plan else "UTC")
    return dt.datetime.fromtimestamp(seconds, zone).strftime("%Y-%m-%d %H:%M")


def draft(fields: dict, base: Broadcast | None) -> Broadcast:
    """An unsaved alert holding `fields` (to measure what is being typed)."""
    fields = {**fields, "english": fields["english"].strip()}
    return replace(base, **fields) if base is not None else Broadcast(id="new", author="", **fields)


@dataclass(frozen=True)
class Slot:
    lang: str
    name: str
    choice: str
    typed: str  # the translation as typed ("" for English)
    sent: str | None  # the words as sent (filled in, GSM-7 where allowed); None: nothing is sent
    segments: int
    cost: str  # "2 segments × 34 subscribers = 68 segments"; "× 34 to 52 ..." where small cells count


def slots(alerts, broadcast: Broadcast) -> list[Slot]:
    flows = alerts.flows()
    languages, source = flows.languages.languages, flows.languages.source
    out = []
    for cost in desk.costs(alerts, broadcast):
        choice = (ENGLISH if cost.lang in broadcast.english_for else SKIP if cost.lang in broadcast.skip
                  else TRANSLATE)
        out.append(Slot(cost.lang, languages[cost.lang].name, choice,
                        "" if cost.lang == source else broadcast.translations.get(cost.lang, ""),
                        cost.text, cost.segments, _cost(cost, broadcast, source)))
    return out


def _cost(cost, broadcast: Broadcast, source: str) -> str:
    if cost.text is None:
        return (_("Nothing is sent in this language.") if cost.lang in broadcast.skip
                else _("Not decided: translate it, or choose the English, or to skip it."))
    subscribers, total = cost.subscribers, cost.segments_total
    said = _("%(segments)s × %(subscribers)s = %(total)s",
             segments=ngettext("%(num)d segment", "%(num)d segments", cost.segments),
             subscribers=ngettext("%(reach)s subscriber", "%(reach)s subscribers", _how_many(subscribers),
                                  reach=reach_words(subscribers)),
             total=ngettext("%(reach)s segment", "%(reach)s segments", _how_many(total), reach=reach_words(total)))
    if cost.lang != source and cost.lang in broadcast.english_for:
        said = _("%(cost)s (the English)", cost=said)
    return said


def reach_words(reach: Reach) -> str:
    """A reach as it may be shown: exact, "fewer than 10" (its own limit), or a range."""
    if reach.exact:
        return str(reach.low)
    if reach.small:
        return _("fewer than %(n)s", n=reach.limit)
    return _("%(low)s to %(high)s", low=reach.low, high=reach.high)


def count_words(value, limit: int) -> str:
    """A progress count as `outbound.progress` lets it be shown, in the console language."""
    if isinstance(value, Reach):
        return reach_words(value)
    if value == progress.FEWER:
        return _("fewer than %(n)s", n=limit)
    if value == progress.MANY:
        return _("%(n)s or more", n=limit)
    if value == progress.HIDDEN:
        return _("not shown")
    return str(value)


def _how_many(reach: Reach) -> int:
    """The number a reach's plural form follows (a range is many)."""
    return reach.low if reach.exact else 2
