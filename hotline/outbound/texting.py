"""Alerts by text: JOIN, YES, ALERTS, LEAVE and REPORT, decided before the conversation engine.

Pure, like `consent`: what the texter sent, their session and (for a command only) their
subscription in; the new session, the reply and one effect for the store to carry out,
out. No Redis, no HTTP, no clock (`now` is given).

Rules this module keeps:
- Runs after consent: STOP, HELP and an opted-out number never reach it.
- Opting in is double: JOIN asks, and only YES within 24 hours subscribes (the request
  waits in the session, so a plain YES costs no look-up). A subscriber who texts JOIN
  again changes their area at once: they have already said yes.
- The language of the alerts is the texter's: the one they chose, else the language of
  the word they used (UNIRSE subscribes in Spanish).
- A report is kept without the number (see `reports`); if it holds emergency words the
  reply also gives the overdose steps, exactly as the engine would.
- Anything else (including YES with nothing waiting, and OD alone, an overdose keyword)
  is not an alerts text: `answer` returns None and the engine answers as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..channels.sms import more_line, paginate, sms_plain
from ..flow.engine import step
from ..flow.events import Message, text
from ..flow.keywords import normalize
from ..flow.places import locate
from ..flow.session import Session
from ..flow.understand import EMERGENCY_WORDS
from . import words as w
from .plan import EVERYWHERE, AlertsPlan

PENDING_SECONDS = 24 * 3600  # a JOIN not confirmed by YES within this is forgotten
MAX_REPORT = 1600  # characters: Twilio's longest incoming text


@dataclass(frozen=True)
class Subscriber:
    """What a texter's subscription says (never their number)."""

    area: str
    lang: str


@dataclass(frozen=True)
class Subscribe:
    area: str
    lang: str
    confirmed_now: bool  # False: an existing subscriber changing area or language


@dataclass(frozen=True)
class Unsubscribe:
    pass


@dataclass(frozen=True)
class Report:
    text: str
    area: str | None


@dataclass(frozen=True)
class Turn:
    session: Session
    reply: str | None
    effect: Subscribe | Unsubscribe | Report | None = None


def needs_subscriber(command: w.Command | None) -> bool:
    """Does answering `command` need the texter's subscription read first?"""
    return command is not None and command.kind != w.YES


def answer(flows, catalogues, plan: AlertsPlan, words: w.AlertWords, session: Session, command: w.Command | None,
           subscriber: Subscriber | None, body: str, now: dt.datetime, lines) -> Turn | None:
    """The alerts answer to one text, or None if it is not an alerts text.

    `lines(actions)` renders the engine's actions as reply lines (for a report's overdose steps).
    """
    stamp = int(now.timestamp())
    if command is None or command.kind == w.YES:
        if session.joining and words.is_yes(body) and stamp - session.joining_at <= PENDING_SECONDS:
            area, lang = session.joining, session.lang
            done = session.update(joining="", joining_at=0)
            return Turn(done, _say(flows, catalogues, plan, w.CONFIRMED, lang, area), Subscribe(area, lang, True))
        return None
    lang = session.lang if session.chosen or not command.lang else command.lang
    if command.kind in (w.SHOW, w.LEAVE):
        if command.rest:
            return None  # "leave me alone" is a sentence, not a command
        if subscriber is None:
            return Turn(session, _say(flows, catalogues, plan, w.NOT_SUBSCRIBED, lang))
        if command.kind == w.LEAVE:
            return Turn(session, _say(flows, catalogues, plan, w.LEFT, subscriber.lang), Unsubscribe())
        return Turn(session, _say(flows, catalogues, plan, w.SUBSCRIBED, subscriber.lang, subscriber.area))
    if command.kind == w.JOIN:
        return _join(flows, catalogues, plan, session, command, subscriber, lang, stamp)
    return _report(flows, catalogues, plan, session, command, subscriber, now, lines)


def _join(flows, catalogues, plan, session, command, subscriber, lang, stamp) -> Turn | None:
    rest = normalize(command.rest)
    if rest and not any(ch.isdigit() for ch in rest):
        return None  # "join us at the clinic": words, not a ZIP code
    area = EVERYWHERE
    if rest:
        area = plan.area_of(rest) if len(rest) == 5 and rest.isdigit() else None
        if area is None:
            if locate(rest) is None:
                example = next(iter(plan.by_zip), "94110")
                return Turn(session, _say(flows, catalogues, plan, w.NOT_A_ZIP, lang, example=example))
            names = ", ".join(a.name for a in plan.areas.values())
            return Turn(session, _say(flows, catalogues, plan, w.OUTSIDE, lang, zip=rest, areas=names))
    if lang != session.lang:
        session = session.update(lang=lang)
    if subscriber is not None:
        return Turn(session, _say(flows, catalogues, plan, w.AREA_CHANGED, lang, area), Subscribe(area, lang, False))
    waiting = session.update(joining=area, joining_at=stamp)
    return Turn(waiting, _say(flows, catalogues, plan, w.ASK_YES, lang, area))


def _report(flows, catalogues, plan, session, command, subscriber, now, lines) -> Turn | None:
    said = command.rest[:MAX_REPORT]
    if not said.strip():
        if command.word in flows.keywords:
            return None  # OD alone asks for the overdose steps, as it always has
        return Turn(session, _say(flows, catalogues, plan, w.REPORT_HOW, session.lang))
    thanks = _say(flows, catalogues, plan, w.REPORT_THANKS, session.lang)
    effect = Report(said, subscriber.area if subscriber else None)
    if flows.emergency_keywords.find(said, EMERGENCY_WORDS) is None:
        return Turn(session, thanks, effect)
    session, actions = step(flows, session, Message(said), now)
    pages = paginate([thanks, *lines(actions)], flows.settings.max_sms_segments,
                     more_line(catalogues, flows, session.lang))
    return Turn(session.update(more=tuple(pages[1:])), pages[0], effect)


def _say(flows, catalogues, plan: AlertsPlan, msgid: str, lang: str, area: str | None = None, **values) -> str:
    if area is not None:
        values["area"] = text(w.EVERY_AREA) if area == EVERYWHERE else plan.name(area)
    language = flows.languages.languages.get(lang)
    values.setdefault("language", language.name if language else lang)
    values.setdefault("per_month", plan.per_month)
    words, spoken = catalogues.render(text(msgid, **values), lang, flows.variables)
    return sms_plain(words, flows, spoken)
