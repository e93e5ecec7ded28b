"""The service directory as a coordinator reads it, and "who would a caller reach?".

Rules this module keeps:
- Open or closed, and when that changes, come from `flow.hours` in each service's own time
  zone, worded by the catalogues in the language asked for: the same sentence a caller
  hears ("open until 5:00 PM", "closed now, opens on Monday at 9:00 AM").
- A service not verified for more than `settings.verify_services_days` days (default 180)
  is flagged: a wrong number or closed door is worse than no listing.
- "Try it" answers with the real engine and renderers at a chosen moment: a caller (or
  texter) at the flow's `near_me` ZIP node gives a ZIP code, and the TwiML it gets is read
  back as the simulator reads it (a text reply in its pages, as `text_reply` sends them).
  Nothing is written anywhere: no session, no ZIP code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from .. import text_reply
from ..channels.sms import render_sms
from ..channels.voice import render_voice
from ..flow import hours
from ..flow.engine import begin, step
from ..flow.events import Key
from ..flow.model import FlowSet, ZipNode
from ..flow.session import Person
from .simulator import describe_sms, describe_voice


@dataclass(frozen=True)
class ServiceRow:
    id: str
    name: str
    phone: str  # as it is read out: (415) 555-0142
    open_now: bool
    status: str  # as callers hear it
    languages: tuple[str, ...]  # language names
    offers: tuple[str, ...]
    area: str  # "ZIP codes 94110, 94103" / "within 5 miles of 94110" / "everyone (national line)"
    verified_on: dt.date
    verified_by: str
    days_since_verified: int
    stale: bool


def service_rows(flows: FlowSet, catalogues, now: dt.datetime, lang: str = "en") -> list[ServiceRow]:
    """Every service in the directory, in its order, as seen at the aware moment `now`."""
    limit = flows.settings.verify_services_days
    rows = []
    for service_id, service in flows.directory.services.items():
        status, _ = catalogues.render(hours.status(service, now, lang), lang, flows.variables)
        days = (hours.local(service, now).date() - service.verified_on).days
        names = tuple(flows.languages.languages[c].name if c in flows.languages.languages else c
                      for c in service.languages)
        if service.national:
            area = "everyone (national line)"
        elif service.serves:
            area = "ZIP codes " + ", ".join(service.serves)
        else:
            area = f"within {service.radius_miles:g} miles of {service.zip}"
        rows.append(ServiceRow(
            service_id, service.name, flows.spoken(service.phone), hours.is_open(service, now), status, names,
            tuple(service.offers), area, service.verified_on, service.verified_by, days, days > limit,
        ))
    return rows


def week_preview(week: dict[str, tuple[tuple[int, int], ...]] | None, lang: str = "en") -> list[str]:
    """"Tuesday: 09:00–17:00" for each weekday, Monday first; `None` is a week always open."""
    names = get_day_names("wide", locale=lang)
    lines = []
    for weekday, day in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun")):
        if week is None:
            lines.append(f"{names[weekday]}: open 24 hours")
            continue
        ranges = week.get(day, ())
        spans = ", ".join(f"{_hhmm(start)}\u2013{_hhmm(end)}" for start, end in ranges)
        lines.append(f"{names[weekday]}: {spans or 'closed'}")
    return lines


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# -- try it -------------------------------------------------------------------------------


def moment(weekday: int, time_of_day: str, zone: str, today: dt.date) -> dt.datetime:
    """The next `weekday` (Monday 0) from `today` (itself included) at "HH:MM" in `zone`."""
    hour, minute = (int(part) for part in time_of_day.split(":"))
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(zone))


def home_zone(flows: FlowSet) -> str:
    """The time zone "Saturday at 23:00" is read in: the first local service's."""
    local = [s.timezone for s in flows.directory.services.values() if not s.national]
    return local[0] if local else "UTC"


@dataclass(frozen=True)
class TryIt:
    channel: str
    lines: tuple[str, ...]


class CannotTry(ValueError):
    """The flow has nothing to try this with; the message says what is missing."""


def who_answers(flows: FlowSet, catalogues, zip_code: str, when: dt.datetime, lang: str, channel: str) -> TryIt:
    """What a caller (`voice`) or texter (`sms`) at `zip_code` gets at `when`, in `lang`."""
    node_id = flows.flow.near_me or next((n for n, node in flows.flow.nodes.items() if isinstance(node, ZipNode)),
                                         None)
    if node_id is None:
        raise CannotTry("the flow has no ZIP code question (a zip node), so callers cannot look services up")
    if lang not in flows.languages.languages:
        raise CannotTry(f"the hotline has no language '{lang}'")
    session = begin(flows, channel, lang).update(node=node_id)
    if channel == "voice":
        _, actions = step(flows, session, Key(zip_code.strip()), when)
        return TryIt(channel, tuple(describe_voice(render_voice(actions, catalogues, flows))))
    session, _, reply = text_reply.answer(flows, catalogues, session, Person(), zip_code.strip(), now=when)
    lines = describe_sms(render_sms(reply))
    for page in session.more:  # what "MORE" would bring, page by page
        lines += ["(reply MORE)", *describe_sms(render_sms(page))]
    return TryIt(channel, tuple(lines))
