"""Opening hours: is a service open at a given moment, until when, and when it opens next.

Rules this module keeps:
- The moment is always passed in (an aware datetime); nothing here reads the clock, so
  every answer can be tested at any hour of any day.
- Hours are read in the service's own time zone (zoneinfo), so a caller in another zone
  hears the service's local times, as the service would say them.
- Days and times are formatted for the caller's language by Babel ("Monday, 5:00 PM",
  "lunes, 17:00"); the sentences around them are catalogue entries (see `phrases`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_time, get_day_names

from . import phrases
from .directory import Service
from .events import Text, text

LOOK_AHEAD_DAYS = 14
_ODD_SPACES = str.maketrans({"\u202f": " ", "\xa0": " "})  # keep texts in the GSM-7 alphabet


def local(service: Service, now: dt.datetime) -> dt.datetime:
    return now.astimezone(ZoneInfo(service.timezone))


def _ranges_on(service: Service, day: dt.date) -> tuple[tuple[int, int], ...]:
    if day in service.closed_on:
        return ()
    if service.hours.always:
        return ((0, 24 * 60),)
    return service.hours.on(day.weekday())


def is_open(service: Service, now: dt.datetime | None) -> bool:
    """Open at `now`; with no `now` (time unknown) every service counts as open."""
    if now is None:
        return True
    here = local(service, now)
    minute = here.hour * 60 + here.minute
    return any(start <= minute < end for start, end in _ranges_on(service, here.date()))


def open_until(service: Service, now: dt.datetime) -> dt.datetime | None:
    """When the current opening ends, following ranges that run into each other (also
    across midnight); None if the service is closed now or open for the whole look-ahead."""
    here = local(service, now)
    day, minute, first = here.date(), here.hour * 60 + here.minute, True
    while (day - here.date()).days < LOOK_AHEAD_DAYS:
        current = next((end for start, end in _ranges_on(service, day) if start <= minute < end), None)
        if current is None:
            return None if first else _at(service, day, minute)
        first = False
        day, minute = (day + dt.timedelta(days=1), 0) if current == 24 * 60 else (day, current)
    return None


def next_opening(service: Service, now: dt.datetime) -> dt.datetime | None:
    """The next moment the service opens, within two weeks, or None."""
    here = local(service, now)
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = here.date() + dt.timedelta(days=offset)
        for start, _ in _ranges_on(service, day):
            moment = _at(service, day, start)
            if moment > here:
                return moment
    return None


def _at(service: Service, day: dt.date, minute: int) -> dt.datetime:
    zone = ZoneInfo(service.timezone)
    return dt.datetime.combine(day, dt.time()).replace(tzinfo=zone) + dt.timedelta(minutes=minute)


# -- words ------------------------------------------------------------------------------


def clock(moment: dt.datetime, lang: str) -> str:
    """A time of day as the caller's language writes it: 5:00 PM, 17:00."""
    return format_time(moment.time(), "short", locale=lang).translate(_ODD_SPACES)


def status(service: Service, now: dt.datetime | None, lang: str) -> Text:
    """"open 24 hours", "open until 5:00 PM", "closed now, opens on Monday at 9:00 AM"."""
    if now is None or (service.hours.always and not service.closed_on):
        return text(phrases.OPEN_ALL_DAY)
    if is_open(service, now):
        until = open_until(service, now)
        return text(phrases.OPEN_UNTIL, time=clock(until, lang)) if until else text(phrases.OPEN_ALL_DAY)
    return text(phrases.CLOSED_NOW, when=opens(service, now, lang))


def opens(service: Service, now: dt.datetime, lang: str) -> Text:
    """When a closed service opens again: "today at 9:00 AM", "on Monday at 9:00 AM"."""
    moment = next_opening(service, now)
    if moment is None:
        return text(phrases.OPENS_LATER)
    days = (moment.date() - local(service, now).date()).days
    at = clock(moment, lang)
    if days == 0:
        return text(phrases.OPENS_TODAY, time=at)
    if days == 1:
        return text(phrases.OPENS_TOMORROW, time=at)
    return text(phrases.OPENS_ON, day=get_day_names("wide", locale=lang)[moment.weekday()], time=at)
