"""Simulated conversations for the benchmark: the webhooks Twilio would send, signed.

Each conversation is a list of `Request`s that walks the shipped flow the way a person
would: a caller chooses a language, walks the menu, hears guidance, goes back, asks for a
person and the transfer's result comes back; a texter sends keywords and menu numbers.
Every request carries the form fields Twilio really sends (`bench.fields`: 20 to 28, so
form parsing and signature checks cost what they cost in production), goes to the URL the
hotline's previous answer gave (`/twilio/voice/step?n=3&lang=es`: the turn and language),
and names a few words its answer must contain, so a wrong answer counts as an error even
when it is a 200.

Rules this module keeps: no I/O; CallSids and phone numbers are fictional (555-01XX) and
unique per conversation, so concurrent conversations never share a session.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from .fields import call_fields, dial_fields, key_fields, status_fields, text_fields

PUBLIC_URL = "https://hotline.example.org"
#: Words only the hotline's safe "trouble" answer contains: a 200 with these is an error.
TROUBLE = "this line is having a problem"

# (what Twilio sends, the key or status, words the answer must contain)
_VOICE_SCRIPTS = (
    (  # Spanish: overdose guidance twice, back twice, a person who does not answer
        ("start", None, ("Para español",)),
        ("key", "2", ('language="es-US"', "<Gather")),
        ("key", "1", ("<Gather",)),
        ("key", "1", ("<prosody",)),
        ("key", "1", ("<prosody",)),
        ("key", "#", ("<Gather",)),
        ("key", "#", ("<Gather",)),
        ("key", "0", ("<Dial",)),
        ("dial", "no-answer", ("<prosody",)),
        ("status", "completed", ("<Response",)),
    ),
    (  # English: test strips, safer use, silence, a person who answers
        ("start", None, ("For English",)),
        ("key", "1", ('language="en-US"',)),
        ("key", "2", ("<Gather",)),
        ("key", "1", ("<prosody",)),
        ("key", "#", ("<Gather",)),
        ("key", "2", ("<prosody",)),
        ("key", "#", ("<Gather",)),
        ("key", "#", ("<Gather",)),
        ("key", "3", ("<Gather",)),
        ("key", "2", ("<prosody",)),
        ("silence", None, ("did not hear",)),
        ("key", "0", ("<Dial",)),
        ("dial", "completed", ("<Hangup",)),
        ("status", "completed", ("<Response",)),
    ),
    (  # Says nothing at the language menu, then wounds, repeat, a busy line
        ("start", None, ("For English",)),
        ("silence", None, ("<Gather",)),
        ("silence", None, ('language="en-US"',)),
        ("key", "4", ("<Gather",)),
        ("key", "3", ("<prosody",)),
        ("key", "*", ("<prosody",)),
        ("key", "#", ("<Gather",)),
        ("key", "#", ("<Gather",)),
        ("key", "5", ("<Dial",)),
        ("dial", "busy", ("busy",)),
        ("status", "completed", ("<Response",)),
    ),
)

_SMS_SCRIPTS = (
    (("ES", ("Responda con",)), ("1", ("<Message",)), ("2", ("<Message",)), ("NARCAN", ("naloxona",)),
     ("0", ("202-555-0143",)), ("MENU", ("Responda con",))),
    (("hi", ("Reply with a number",)), ("2", ("<Message",)), ("1", ("fentanyl",)), ("MENU", ("<Message",)),
     ("XYLAZINE", ("Xylazine",)), ("banana", ("did not understand",)), ("MENU", ("Reply with a number",))),
)


class _Fields(dict):
    """The fields as the validator reads them fastest, by `getall` (a plain dict costs it
    two caught exceptions per field)."""

    def __init__(self, params):
        super().__init__(params)

    def getall(self, name: str) -> list[str]:
        return [self[name]]


@dataclass(frozen=True)
class Request:
    """One webhook: where it goes, its form fields, and words its answer must contain."""

    path: str
    params: tuple[tuple[str, str], ...]
    expect: tuple[str, ...]

    def body(self) -> bytes:
        return urlencode(self.params).encode()

    def signature(self, validator: RequestValidator, public_url: str = PUBLIC_URL) -> str:
        return validator.compute_signature(public_url + self.path, _Fields(self.params))

    def http(self, validator: RequestValidator, host: str, public_url: str = PUBLIC_URL) -> bytes:
        """The whole HTTP/1.1 request, signed, ready to write to a socket."""
        body = self.body()
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {host}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"X-Twilio-Signature: {self.signature(validator, public_url)}\r\n"
            "User-Agent: TwilioProxy/1.1\r\nConnection: close\r\n\r\n"
        )
        return head.encode() + body

    def check(self, status: int, answer: bytes) -> str | None:
        """None if the answer is what this step should get, else why not."""
        if status != 200:
            return f"{self.path}: HTTP {status}"
        text = answer.decode("utf-8", "replace")
        if TROUBLE in text:
            return f"{self.path}: the safe trouble answer"
        for word in self.expect:
            if word not in text:
                return f"{self.path}: answer lacks {word!r}"
        return None


def fictional_number(number: int) -> str:
    """A 555-01XX number, unique for 80,000 conversations (a texter is keyed by number)."""
    return f"+1{200 + number // 100 % 800}55501{number % 100:02d}"


#: The language each voice script's answers speak from which step on (before it: English).
_CHOSEN = ({1: "es"}, {}, {})
_PATHS = {"start": "/twilio/voice", "key": "/twilio/voice/step", "silence": "/twilio/voice/step",
          "dial": "/twilio/voice/dial", "status": "/twilio/status"}


def voice_step(kind: str, value: str | None, call_sid: str, caller: str, turn: int, lang: str = "en",
               expect: tuple[str, ...] = ("<Response",), dial_sid: str = "") -> Request:
    """One voice webhook of call `call_sid`, to the URL the answer of turn `turn - 1` gave."""
    params = call_fields(call_sid, caller, "completed" if kind == "status" else "in-progress")
    if kind == "key":
        params += key_fields(value)
    elif kind == "dial":
        params += dial_fields(dial_sid, value)
    elif kind == "status":
        params += status_fields()
    path = _PATHS[kind]
    if kind in ("key", "silence", "dial"):
        path += f"?{urlencode({'n': turn, 'lang': lang})}"
    return Request(path, tuple(sorted(params)), expect)


def voice_conversation(number: int) -> list[Request]:
    """Call number `number`: one of the scripted calls, with its own CallSid and caller."""
    call_sid, caller = f"CA{number:032x}", fictional_number(number)
    script, chosen = _VOICE_SCRIPTS[number % len(_VOICE_SCRIPTS)], _CHOSEN[number % len(_VOICE_SCRIPTS)]
    requests, lang = [], "en"
    for turn, (kind, value, expect) in enumerate(script):
        requests.append(voice_step(kind, value, call_sid, caller, turn, lang, expect, f"CA{number + 1:032x}"))
        lang = chosen.get(turn, lang)
    return requests


def text_step(texter: str, body: str, sid: str, expect: tuple[str, ...] = ("<Response",)) -> Request:
    return Request("/twilio/sms", tuple(text_fields(texter, body, sid)), expect)


def sms_conversation(number: int) -> list[Request]:
    """Texter number `number`: keywords and menu numbers, from a fictional number."""
    texter = fictional_number(number)
    requests = []
    for turn, (body, expect) in enumerate(_SMS_SCRIPTS[number % len(_SMS_SCRIPTS)]):
        requests.append(text_step(texter, body, f"SM{number:024x}{turn:08x}", expect))
    return requests


def conversations(start: int = 0, sms_share: int = 3):
    """Endless conversations from number `start` on; every `sms_share`-th one is a texter."""
    for number in itertools.count(start):
        yield sms_conversation(number) if number % sms_share == sms_share - 1 else voice_conversation(number)
