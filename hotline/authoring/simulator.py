"""Be a caller or a texter in the terminal: the hotline itself, as the server runs it, no phone.

Rules this module keeps:
- Each turn goes through `service.Hotline`, the code every webhook goes through: FORGET,
  consent (STOP, START, HELP), pages ("MORE"), flood limits, the texts a call sends, and
  opening hours at the simulated moment (`at`, real time by default). Only Twilio is played:
  its webhooks are called as it would call them (the action URLs of each answer, with their
  turn `n` and `lang`), the TwiML is read back as what it would do (each sentence with its
  language and voice, waits, transfers, hang-ups, or the SMS reply with its size), and a text
  the hotline asks Twilio's REST API to send is shown, with its size, instead of sent.
- Conversations live in a private redis-server (`state.scratch`), emptied when a conversation
  opens: a simulation never touches a real session, limit, opt-out or figure.
- Inputs are plain words: a key (`1`, `*`, `#`...), `silence` (or an empty line), after a
  transfer how it ended (`completed`, `busy`, `no-answer`, `failed`), at a voicemail
  `recorded`. An SMS input is the text itself.
- A conversation can be saved as a golden transcript (YAML: inputs and what was said);
  `replay` runs one again and lists every expected line that was not said.
"""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import yaml

from ..bundle import Bundle
from ..channels.messaging import TextSender
from ..config import Config
from ..flow.events import DialResult, Key, Recorded, Silence, Start
from ..flow.model import FIXED_KEYS, LanguageNode
from ..flow.yamlfile import read_yaml
from ..service import START_TURN, Hotline, utc_now
from ..state.breaker import Breaker
from ..state.client import connect
from ..state.scratch import scratch_url
from ..state.sessions import SessionStore
from ..texting.segments import measure

DIAL_RESULTS = ("completed", "busy", "no-answer", "failed", "canceled")
KEYS = tuple("123456789") + FIXED_KEYS
SILENCE = ("", "silence")
RECORDED = "recorded"
#: How `--at` and a transcript's `at` write a moment, in the programme's time zone.
AT = "%Y-%m-%d %H:%M"
#: Who the simulated caller or texter is: a fictional number (555-01XX), never the hotline's own.
PERSON = "+12025550199"
_ids = itertools.count(1)


class NotAnInput(ValueError):
    """What was typed is not something a caller can do right now; the message says what is."""


def programme_zone(flows, settings=None) -> dt.tzinfo:
    """The time zone `--at` is read in: `HOTLINE_TIME_ZONE` when it is set (the server's, for the
    usage figures), else the one most of the directory's services keep, else UTC."""
    import os
    from zoneinfo import ZoneInfo

    named = (os.environ if settings is None else settings).get("HOTLINE_TIME_ZONE")
    zones = Counter(service.timezone for service in flows.directory.services.values())
    return ZoneInfo(named or zones.most_common(1)[0][0]) if named or zones else dt.UTC


class _Fixed:
    """One bundle, served as `Published` serves the current one."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle

    def current(self) -> Bundle:
        return self.bundle


class _Shown:
    """Twilio's REST client as the simulator plays it: a text asked for is kept, to be shown."""

    def __init__(self):
        self.bodies: list[str] = []
        self.messages = self

    def create(self, from_: str, to: str, body: str) -> None:
        self.bodies.append(body)


def hotline_for(flows, catalogues, at: dt.datetime | None = None, settings=None) -> tuple[Hotline, _Shown]:
    """The hotline's service on the simulator's own Redis, at the moment `at` (None: now); the
    limits and lifetimes are the server's (`settings`, the environment's by default)."""
    import os

    url = scratch_url()
    config = Config.from_mapping({**(os.environ if settings is None else settings), "HOTLINE_ENV": "development",
                                  "REDIS_URL": url, "HOTLINE_ALERTS": "off", "HOTLINE_CONSOLE": "off"})
    client = connect(url, 2)
    store = SessionStore(client, config.secret, config.HOTLINE_VOICE_TTL, config.HOTLINE_SMS_TTL,
                         config.HOTLINE_OPT_OUT_TTL, config.HOTLINE_LANGUAGE_TTL, Breaker(client.ping))
    shown = _Shown()
    texts = TextSender("", "", config.HOTLINE_NUMBER or flows.settings.hotline_number or PERSON)
    texts.client = shown
    clock = (lambda: at) if at is not None else utc_now
    return Hotline(config, _Fixed(Bundle(flows, catalogues, ())), store, texts, clock), shown


@dataclass
class Simulator:
    flows: object
    catalogues: object
    channel: str  # "voice" or "sms"
    lang: str | None = None
    at: dt.datetime | None = None  # the simulated moment (aware); None: now
    dialling: bool = False
    ended: bool = False
    hotline: Hotline = field(init=False)
    _next: dict = field(init=False, default_factory=dict)  # what Twilio would call next, by kind of input
    _spoken: str | None = field(init=False, default=None)  # the call's language, as its URLs carry it

    def __post_init__(self):
        self.hotline, self._shown = hotline_for(self.flows, self.catalogues, self.at)
        self.call_sid = f"CA{next(_ids):032x}"

    def open(self) -> list[str]:
        """Start the call (and choose `lang` at the language menu) or get a texter ready."""
        self.hotline.store.client.flushdb()
        if self.channel == "sms":
            if self.lang:  # a texter who chose the language: its word was their first text
                self.send(self.flows.languages.languages[self.lang].keywords[0])
            return []
        lines = self._call(Start(), START_TURN)
        start = self.flows.flow.nodes[self.flows.flow.start]
        if self.lang and isinstance(start, LanguageNode):
            key = next((c.key for c in start.options if c.lang == self.lang), None)
            if key:
                lines += [f"> {key}  (choosing {self.lang})", *self.send(key)]
        return lines

    def send(self, typed: str) -> list[str]:
        """One input, as typed; raises `NotAnInput` with a hint if it cannot be done now."""
        if self.ended:
            raise NotAnInput("the call has ended")
        if self.channel == "sms":
            return self._text(typed)
        word = typed.strip().lower()
        if self.dialling:
            if word not in DIAL_RESULTS:
                raise NotAnInput(f"the call is being transferred: type how it ended ({', '.join(DIAL_RESULTS)})")
            return self._call(DialResult(word), self._next["dial"])
        if "recorded" in self._next:
            if word not in (RECORDED, *SILENCE):
                raise NotAnInput("the caller is leaving a message: type recorded (or silence)")
            return self._call(Recorded(), self._next["recorded"])
        if word in SILENCE and "silence" in self._next:
            return self._call(Silence(), self._next["silence"])
        if word in KEYS and "key" in self._next:
            return self._call(Key(word), self._next["key"])
        raise NotAnInput("press one key (1-9, 0, * or #) or type silence")

    @property
    def session(self) -> dict:
        """The conversation as the store keeps it now (what the next turn starts from)."""
        store = self.hotline.store
        read = store.read(store.texter_key(PERSON) if self.channel == "sms" else store.call_key(self.call_sid))
        return read.session.to_dict() if read.session else {}

    def _text(self, body: str) -> list[str]:
        try:
            twiml = self.hotline.answer_text(PERSON, body, f"SM{next(_ids):032x}")
        except Exception:  # noqa: BLE001 - as the web layer does: the safe answer, never an error
            twiml = self.hotline.trouble_text(body)
        return describe_sms(twiml)

    def _call(self, event, turn: str | None) -> list[str]:
        try:
            twiml = self.hotline.answer_call(self.call_sid, event, PERSON, turn)
        except Exception:  # noqa: BLE001 - as the web layer does: the safe answer, never an error
            twiml = self.hotline.trouble_call(self._spoken)
        self._next, self._spoken = next_calls(ET.fromstring(twiml))
        self.dialling, self.ended = "dial" in self._next, not self._next
        lines = describe_voice(twiml)
        for body in self._shown.bodies:
            lines += ["(texts the caller:)", *body.split("\n"), f"(texted as {measure(body)})"]
        self._shown.bodies.clear()
        return lines


def next_calls(root: ET.Element) -> tuple[dict[str, str | None], str | None]:
    """The turn (`n`) of each webhook Twilio would call after this answer, by what triggers it
    (a key: the Gather's action; silence: the Redirect after it; a transfer's end; a message),
    and the call's language as those URLs carry it. No webhook: the call ends here."""
    found: dict[str, str | None] = {}
    lang = None
    for verb in root.iter():
        url = verb.get("action") if verb.tag in ("Gather", "Dial", "Record") else (
            verb.text if verb.tag == "Redirect" else None)
        if not url:
            continue
        path, query = urlsplit(url).path, parse_qs(urlsplit(url).query)
        turn, lang = query.get("n", [None])[0], lang or query.get("lang", [None])[0]
        kind = {"Gather": "key", "Dial": "dial", "Record": "recorded"}.get(verb.tag)
        if kind is None:
            kind = "recorded" if path.endswith("/recorded") else "silence"
        found.setdefault(kind, turn)
    return found, lang


def describe_voice(twiml: str) -> list[str]:
    """What a caller hears and what Twilio does, one line per verb."""
    lines: list[str] = []

    def walk(parent) -> None:
        for verb in parent:
            if verb.tag == "Say":
                slow = verb.find("prosody")
                how = f", slowly {slow.get('rate')}" if slow is not None else ""
                words = " ".join("".join(verb.itertext()).split())
                lines.append(f"[{verb.get('language')}, {verb.get('voice')}{how}] {words}")
            elif verb.tag == "Play":
                lines.append(f"(plays the recording {verb.text})")
            elif verb.tag == "Gather":
                walk(verb)
                lines.append(f"(waits {verb.get('timeout')} seconds for a key)")
            elif verb.tag == "Dial":
                numbers = ", ".join(n.text or "" for n in verb.findall("Number"))
                lines.append(f"(transfers the call to {numbers}, rings for {verb.get('timeout')} seconds)")
            elif verb.tag == "Record":
                lines.append(f"(records a message, up to {verb.get('maxLength')} seconds)")
            elif verb.tag == "Hangup":
                lines.append("(hangs up)")

    walk(ET.fromstring(twiml))
    return lines


def describe_sms(twiml: str) -> list[str]:
    """Each message of a reply with its size; or that nothing is sent."""
    messages = ET.fromstring(twiml).findall("Message")
    if not messages:
        return ["(no reply: nothing more is sent to this number)"]
    lines: list[str] = []
    for message in messages:
        body = message.text or ""
        lines += [*body.split("\n"), f"(texted as {measure(body)})"]
    return lines


# -- golden transcripts ----------------------------------------------------------------


def transcript(channel: str, lang: str | None, opening: list[str], turns: list[tuple[str, list[str]]],
               at: dt.datetime | None = None) -> str:
    """A conversation as YAML a coordinator can read, trim and commit (with its moment, if one was set)."""
    data = {"channel": channel, **({"lang": lang} if lang else {}), **({"at": at.strftime(AT)} if at else {}),
            "opening": opening,
            "turns": [{"input": typed, "expect": said} for typed, said in turns]}
    header = ("# A golden transcript: the test suite replays it and checks that every 'expect' line is\n"
              "# still said, in order. Delete lines you do not care about; edit 'input' to change the path.\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def replay(path: Path, flows, catalogues, at: dt.datetime | None = None) -> tuple[list[str], list[str]]:
    """Run a saved transcript again, at the moment it names (else `at`, else now): (the whole
    conversation, the differences found)."""
    data = read_yaml(Path(path).read_text(encoding="utf-8"), str(path)).data
    if not isinstance(data, dict) or data.get("channel") not in ("voice", "sms"):
        return [], [f"{path}: not a transcript (it starts with 'channel: voice' or 'channel: sms')"]
    if data.get("at"):
        at = dt.datetime.strptime(str(data["at"]), AT).replace(tzinfo=programme_zone(flows))
    sim = Simulator(flows, catalogues, data["channel"], data.get("lang"), at)
    said = sim.open()
    conversation, differences = list(said), _missing("the opening", data.get("opening") or [], said)
    for number, turn in enumerate(data.get("turns") or [], 1):
        typed = "" if turn.get("input") is None else str(turn["input"])
        try:
            said = sim.send(typed)
        except NotAnInput as exc:
            differences.append(f"turn {number} ({typed!r}): {exc}")
            break
        conversation += [f"> {typed}", *said]
        differences += _missing(f"turn {number} ({typed!r})", turn.get("expect") or [], said)
    return conversation, differences


def _missing(where: str, expected: list, said: list[str]) -> list[str]:
    """Expected lines not said in order (every expected line must appear after the previous one)."""
    position, problems = 0, []
    for line in expected:
        try:
            position = said.index(str(line), position) + 1
        except ValueError:
            problems.append(f"{where}: expected {str(line)!r}")
    return problems
