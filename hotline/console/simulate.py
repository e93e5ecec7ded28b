"""The console's simulator: a call or a text conversation with a version of the hotline.

Rules this module keeps:
- Pure: flows and catalogues in, plain data out. It runs the real engine (`step`,
  `texting.answer`) and the real TwiML renderers, and reads the TwiML back, as the terminal
  simulator does; it never touches the session store, limits, opt-outs, usage figures or
  Twilio. Texts a call would send are shown, not sent.
- The moment is an input ("Saturday 23:00" in a chosen time zone), so opening hours can be
  tried at any hour.
- The state is plain JSON (the console keeps it in a short-lived key of its own). What the
  caller did is kept as English marked for the console's catalogue and its values, and a
  refusal is a `ValueError` with such English, so the page shows both in the coordinator's
  language.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

from .. import text_reply
from ..channels.sms import render_sms
from ..channels.voice import render_voice
from ..flow import phrases
from ..flow.engine import begin, step
from ..flow.events import DialResult, Key, Say, SendText, Silence, Speech, Start, text
from ..flow.model import LanguageNode
from ..flow.session import Person, Session
from ..texting.segments import measure
from .marks import N_

#: Days and transfer endings as the form posts them; the page shows them translated.
DAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
KEYS = tuple("123456789*0#")
DIAL_RESULTS = (N_("completed"), N_("busy"), N_("no-answer"), N_("failed"))


def moment(day: str, clock: str, zone: str, today: dt.date) -> dt.datetime:
    """The next `day` (or today) from `today` at `clock` (HH:MM) in `zone`, as an aware time."""
    hours, minutes = (int(part) for part in clock.split(":", 1))
    ahead = (DAYS.index(day) - today.weekday()) % 7
    date = today + dt.timedelta(days=ahead)
    return dt.datetime.combine(date, dt.time(hours, minutes), tzinfo=ZoneInfo(zone))


def zones(flows) -> list[str]:
    """The time zones of the directory's services, the most common first."""
    counts: dict[str, int] = {}
    for service in flows.directory.services.values():
        counts[service.timezone] = counts.get(service.timezone, 0) + 1
    return sorted(counts, key=lambda zone: -counts[zone]) or ["UTC"]


def start(flows, catalogues, channel: str, lang: str, when: dt.datetime) -> dict:
    state = {"channel": channel, "lang": lang, "when": when.isoformat(), "entries": [], "ended": False,
             "dialling": False, "listening": False, "opted_out": False}
    state["session"] = begin(flows, channel, lang).to_dict()
    if channel == "voice":
        _voice(flows, catalogues, state, Start(), None)
        first = flows.flow.nodes[flows.flow.start]
        key = next((o.key for o in first.options if o.lang == lang), None) if isinstance(first, LanguageNode) else None
        if key:
            _voice(flows, catalogues, state, Key(key), (N_("presses %(key)s"), {"key": key}))
    return state


def send(flows, catalogues, state: dict, kind: str, value: str = "") -> dict:
    """One input: kind "key" (value 0-9 * #), "silence", "speech" (words), "dial" (how a
    transfer ended) or "text" (an SMS). Raises ValueError with a sentence if it cannot be done now."""
    if state["ended"]:
        raise ValueError(N_("The call has ended. Start again to make another."))
    if state["channel"] == "sms":
        if kind != "text" or not value.strip():
            raise ValueError(N_("Type a text message to send."))
        _sms(flows, catalogues, state, value)
        return state
    if state["dialling"]:
        if kind != "dial" or value not in DIAL_RESULTS:
            raise ValueError(N_("The call is being transferred: choose how the transfer ended."))
        _voice(flows, catalogues, state, DialResult(value), (N_("the transfer: %(result)s"), {"result": value}))
    elif kind == "key" and value in KEYS:
        _voice(flows, catalogues, state, Key(value), (N_("presses %(key)s"), {"key": value}))
    elif kind == "silence":
        _voice(flows, catalogues, state, Silence(), (N_("stays silent"), {}))
    elif kind == "speech" and value.strip():
        _voice(flows, catalogues, state, Speech(value.strip(), 0.9), (N_("says “%(words)s”"), {"words": value.strip()}))
    else:
        raise ValueError(N_("Press a key, stay silent, or type what the caller says."))
    return state


def _when(state: dict) -> dt.datetime:
    return dt.datetime.fromisoformat(state["when"])


def _voice(flows, catalogues, state: dict, event, did: tuple[str, dict] | None) -> None:
    session, actions = step(flows, Session.from_dict(state["session"]), event, _when(state))
    state["session"] = session.to_dict()
    shown, delivered = [], []
    for action in actions:
        if isinstance(action, SendText):
            body = "\n".join(catalogues.render(line, action.lang, flows.variables)[0] for line in action.lines)
            shown.append({"kind": "text", "words": body, "size": str(measure(body))})
            action = Say(text(phrases.TEXT_SENT), action.lang)
        delivered.append(action)
    entry = {"who": "caller", "did": list(did)} if did else None
    lines = describe(render_voice(tuple(delivered), catalogues, flows))
    state["entries"] += ([entry] if entry else []) + [{"who": "hotline", "lines": lines + shown}]
    state["dialling"] = any(line["kind"] == "dial" for line in lines)
    state["ended"] = any(line["kind"] == "hangup" for line in lines)
    state["listening"] = any(line.get("speech") for line in lines if line["kind"] == "wait")


def describe(twiml: str) -> list[dict]:
    """What a caller hears and what Twilio does, one item per verb."""
    found: list[dict] = []

    def walk(parent) -> None:
        for verb in parent:
            if verb.tag == "Say":
                slow = verb.find("prosody")
                found.append({"kind": "say", "lang": verb.get("language"), "voice": verb.get("voice"),
                              "slow": slow.get("rate") if slow is not None else None,
                              "words": " ".join("".join(verb.itertext()).split())})
            elif verb.tag == "Play":
                found.append({"kind": "play", "words": verb.text or ""})
            elif verb.tag == "Gather":
                walk(verb)
                found.append({"kind": "wait", "seconds": verb.get("timeout"),
                              "speech": "speech" in (verb.get("input") or "")})
            elif verb.tag == "Dial":
                found.append({"kind": "dial", "numbers": [n.text for n in verb.findall("Number")],
                              "seconds": verb.get("timeout")})
            elif verb.tag == "Record":
                found.append({"kind": "record", "seconds": verb.get("maxLength")})
            elif verb.tag == "Hangup":
                found.append({"kind": "hangup"})

    walk(ET.fromstring(twiml))
    return found


def _sms(flows, catalogues, state: dict, body: str) -> None:
    person = Person(opted_out=state["opted_out"], lang=None)
    session, person, reply = text_reply.answer(flows, catalogues, Session.from_dict(state["session"]), person, body,
                                            now=_when(state))
    state["session"], state["opted_out"] = session.to_dict(), person.opted_out
    message = ET.fromstring(render_sms(reply)).find("Message")
    state["entries"].append({"who": "texter", "typed": body})
    if message is None:
        state["entries"].append({"who": "hotline", "none": True})
    else:
        words = message.text or ""
        size = measure(words)
        state["entries"].append({"who": "hotline", "words": words, "segments": size.segments,
                                 "encoding": size.encoding, "units": size.units})
