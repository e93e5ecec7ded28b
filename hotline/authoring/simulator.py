"""Be a caller or a texter in the terminal: the real engine and renderers, no phone, no Redis.

Rules this module keeps:
- Each turn goes through `step` and the real TwiML renderers, and the TwiML is read back
  to show what Twilio would do: each sentence with its language and voice, waits, transfers,
  hang-ups, or the text of an SMS reply (one page of it, with consent words and "MORE" as
  a texter gets them: `text_reply.answer`) with its segment count. The session is passed
  through its JSON form between turns, as the Redis store does.
- Inputs are plain words: a key (`1`, `*`, `#`...), `silence` (or an empty line), and
  after a transfer how it ended (`completed`, `busy`, `no-answer`, `failed`). An SMS
  input is the text itself.
- A conversation can be saved as a golden transcript (YAML: inputs and what was said);
  `replay` runs one again and lists every expected line that was not said.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import text_reply
from ..channels.sms import render_sms
from ..channels.voice import render_voice
from ..flow.engine import begin, step
from ..flow.events import DialResult, Key, Message, Silence, Start
from ..flow.model import FIXED_KEYS, LanguageNode
from ..flow.session import Person, Session
from ..flow.yamlfile import read_yaml
from ..texting.segments import measure

DIAL_RESULTS = ("completed", "busy", "no-answer", "failed", "canceled")
KEYS = tuple("123456789") + FIXED_KEYS
SILENCE = ("", "silence")


class NotAnInput(ValueError):
    """What was typed is not something a caller can do right now; the message says what is."""


@dataclass
class Simulator:
    flows: object
    catalogues: object
    channel: str  # "voice" or "sms"
    lang: str | None = None
    session: dict = field(default_factory=dict)
    dialling: bool = False
    ended: bool = False
    person: Person = field(default_factory=Person)  # a texter's opt-out, after STOP

    def open(self) -> list[str]:
        """Start the call (and choose `lang` at the language menu) or get a texter ready."""
        if self.channel == "sms":  # a texter has no session until the first text, as on the server
            self.session = {} if self.lang is None else begin(self.flows, "sms", self.lang).to_dict()
            return []
        self.session = begin(self.flows, self.channel, self.lang).to_dict()
        lines = self._turn(Start())
        start = self.flows.flow.nodes[self.flows.flow.start]
        if self.lang and isinstance(start, LanguageNode):
            key = next((c.key for c in start.options if c.lang == self.lang), None)
            if key:
                lines += [f"> {key}  (choosing {self.lang})", *self._turn(Key(key))]
        return lines

    def send(self, typed: str) -> list[str]:
        """One input, as typed; raises `NotAnInput` with a hint if it cannot be done now."""
        if self.ended:
            raise NotAnInput("the call has ended")
        if self.channel == "sms":
            return self._turn(Message(typed))
        word = typed.strip().lower()
        if self.dialling:
            if word not in DIAL_RESULTS:
                raise NotAnInput(f"the call is being transferred: type how it ended ({', '.join(DIAL_RESULTS)})")
            return self._turn(DialResult(word))
        if word in SILENCE:
            return self._turn(Silence())
        if word in KEYS:
            return self._turn(Key(word))
        raise NotAnInput("press one key (1-9, 0, * or #) or type silence")

    def _turn(self, event) -> list[str]:
        if self.channel == "sms":
            session, self.person, reply = text_reply.answer(
                self.flows, self.catalogues, Session.from_dict(self.session) if self.session else None, self.person,
                event.body)
            self.session = session.to_dict()
            return describe_sms(render_sms(reply))
        session, actions = step(self.flows, Session.from_dict(self.session), event)
        self.session = session.to_dict()
        lines = describe_voice(render_voice(actions, self.catalogues, self.flows))
        self.dialling = any(line.startswith("(transfers") for line in lines)
        self.ended = lines[-1:] == ["(hangs up)"]
        return lines


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
            elif verb.tag == "Gather":
                walk(verb)
                lines.append(f"(waits {verb.get('timeout')} seconds for a key)")
            elif verb.tag == "Dial":
                number, timeout = verb.findtext("Number"), verb.get("timeout")
                lines.append(f"(transfers the call to {number}, rings for {timeout} seconds)")
            elif verb.tag == "Hangup":
                lines.append("(hangs up)")

    walk(ET.fromstring(twiml))
    return lines


def describe_sms(twiml: str) -> list[str]:
    message = ET.fromstring(twiml).find("Message")
    if message is None:
        return ["(no reply: nothing more is sent to this number)"]
    body = message.text or ""
    return [*body.split("\n"), f"(texted as {measure(body)})"]


# -- golden transcripts ----------------------------------------------------------------


def transcript(channel: str, lang: str | None, opening: list[str], turns: list[tuple[str, list[str]]]) -> str:
    """A conversation as YAML a coordinator can read, trim and commit."""
    data = {"channel": channel, **({"lang": lang} if lang else {}), "opening": opening,
            "turns": [{"input": typed, "expect": said} for typed, said in turns]}
    header = ("# A golden transcript: the test suite replays it and checks that every 'expect' line is\n"
              "# still said, in order. Delete lines you do not care about; edit 'input' to change the path.\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def replay(path: Path, flows, catalogues) -> tuple[list[str], list[str]]:
    """Run a saved transcript again: (the whole conversation, the differences found)."""
    data = read_yaml(Path(path).read_text(encoding="utf-8"), str(path)).data
    if not isinstance(data, dict) or data.get("channel") not in ("voice", "sms"):
        return [], [f"{path}: not a transcript (it starts with 'channel: voice' or 'channel: sms')"]
    sim = Simulator(flows, catalogues, data["channel"], data.get("lang"))
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
