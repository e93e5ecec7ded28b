"""Fixtures: a production-configured app on a real Redis, and a simulated Twilio.

Twilio is simulated the way it really talks to us: form-encoded POSTs signed with
`RequestValidator.compute_signature` against the public URL. Answers are parsed back as
XML and checked for what every TwiML answer must have.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import redis
from twilio.request_validator import RequestValidator

from hotline import create_app

#: Chromium and a page per test, for the browser tests (each module brings its own `server`).
pytest_plugins = ("tests.browser.fixtures",)

ROOT = Path(__file__).resolve().parent.parent
#: The content the suite tests the code with: a frozen copy of the demo flows and catalogues, so
#: that a programme rewriting `flows/` and `locales/` keeps a green suite. The shipped content is
#: held only by the tests named test_shipped_*.py (its check, its strategies, its transcripts).
FIXTURE = ROOT / "tests" / "fixture"
#: The content folders the app and the coordinators' commands read from the environment
#: (`create_app()`, `python -m hotline ...`, a process a test starts): the fixture too. Only the
#: tests named test_shipped_* read flows/ and locales/, by their paths.
os.environ["HOTLINE_FLOWS_DIR"], os.environ["HOTLINE_LOCALES_DIR"] = str(FIXTURE / "flows"), str(FIXTURE / "locales")
TEST_REDIS_URL = os.environ.get("HOTLINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
TOKEN = "test-auth-token"
PUBLIC_URL = "https://hotline.example.org"
SECRET = "test-secret-that-is-long-enough"
CALLER = "+12025550187"
#: The last line of a first texter's first reply in English, on the fixture content: other languages exist.
FIRST_HINT = "For your language, text: ES ZH VI TAGALOG FR AR KREYOL"
VOICE_VERBS = {"Say", "Gather", "Redirect", "Dial", "Hangup", "Pause", "Play", "Record"}
SETTINGS = {
    "HOTLINE_ENV": "production",
    "REDIS_URL": TEST_REDIS_URL,
    "TWILIO_AUTH_TOKEN": TOKEN,
    "HOTLINE_SECRET": SECRET,
    "HOTLINE_PUBLIC_URL": PUBLIC_URL,
    "HOTLINE_FLOWS_DIR": str(FIXTURE / "flows"),
    "HOTLINE_LOCALES_DIR": str(FIXTURE / "locales"),
}
#: The tests' "now": a Tuesday at 16:30 in San Francisco, when every demo service is open, so
#: that no test's answer depends on the hour it runs at. Tests about opening hours (and the
#: services that are closed) set their own clock.
NOW = dt.datetime(2026, 11, 25, 0, 30, tzinfo=dt.UTC)


class RoundTrips:
    """Records what the app sends to Redis: one entry per request on the wire (a pipeline is one).

    Only the calling thread's sends count: the test client answers in the calling thread, while
    apps built by earlier tests keep a revision watcher thread that looks at Redis every few seconds.
    """

    def __init__(self, monkeypatch):
        self.sent: list[bytes] = []
        original = redis.connection.AbstractConnection.send_packed_command
        mine = threading.get_ident()

        def recording(connection, command, *args, **options):
            if threading.get_ident() == mine:
                self.sent.append(bytes(command if isinstance(command, bytes) else b"".join(command))[:40])
            return original(connection, command, *args, **options)

        monkeypatch.setattr(redis.connection.AbstractConnection, "send_packed_command", recording)


@pytest.fixture
def redis_client():
    client = redis.Redis.from_url(TEST_REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def app(redis_client):
    return create_app(SETTINGS, clock=lambda: NOW)


@pytest.fixture
def twilio(app):
    return Twilio(app.test_client())


class Twilio:
    """Sends signed webhooks like Twilio does and parses the TwiML answers."""

    _sids = itertools.count(1)

    def __init__(self, client, token: str = TOKEN):
        self.client, self.validator = client, RequestValidator(token)

    def post(self, path: str, params: dict, signed: bool = True, headers: dict | None = None):
        signature = self.validator.compute_signature(PUBLIC_URL + path, params)
        all_headers = {"X-Twilio-Signature": signature} if signed else {}
        all_headers.update(headers or {})
        return self.client.post(path, data=params, headers=all_headers)

    def twiml(self, path: str, params: dict) -> ET.Element:
        response = self.post(path, params)
        assert response.status_code == 200, response.data
        assert response.mimetype == "application/xml"
        root = ET.fromstring(response.data)
        assert root.tag == "Response"
        return root

    def call(self, caller: str = CALLER) -> Call:
        return Call(self, f"CA{next(self._sids):032d}", caller)

    def text(self, body: str, caller: str = CALLER, **extra) -> str:
        reply = self.sms(body, caller, **extra)
        assert reply is not None, "every text gets exactly one reply"
        return reply

    def sms(self, body: str, caller: str = CALLER, **extra) -> str | None:
        """The reply to a text, or None when the answer is an empty <Response/> (nothing sent)."""
        root = self.twiml("/twilio/sms", {"From": caller, "To": "+12025550100", "Body": body,
                                          "MessageSid": f"SM{next(self._sids):032d}", **extra})
        messages = root.findall("Message")
        assert len(messages) <= 1, "never more than one reply"
        if not messages:
            assert len(root) == 0, "no reply means an empty <Response/>"
            return None
        assert messages[0].text and messages[0].text.strip(), "a reply is never empty"
        return messages[0].text


class Call:
    """One simulated call: start it, press keys, stay silent, report a transfer's result.

    Like Twilio, it follows the action URLs of the last answer (with their query strings,
    which the signature covers).
    """

    def __init__(self, twilio: Twilio, sid: str, caller: str):
        self.twilio, self.sid, self.caller = twilio, sid, caller
        self.step_url, self.dial_url = "/twilio/voice/step", "/twilio/voice/dial"

    def _send(self, path: str, **extra) -> ET.Element:
        root = self.twilio.twiml(path, {"CallSid": self.sid, "From": self.caller, "To": "+12025550100", **extra})
        check_voice(root)
        gather, dial = root.find("Gather"), root.find("Dial")
        self.step_url = gather.get("action") if gather is not None else self.step_url
        self.dial_url = dial.get("action") if dial is not None and dial.get("action") else self.dial_url
        return root

    def start(self) -> ET.Element:
        return self._send("/twilio/voice")

    def press(self, digits: str) -> ET.Element:
        return self._send(self.step_url, Digits=digits)

    def silence(self) -> ET.Element:
        return self._send(self.step_url)

    def say(self, words: str, confidence: float = 0.9) -> ET.Element:
        return self._send("/twilio/voice/step", SpeechResult=words, Confidence=str(confidence))

    def dial_result(self, status: str) -> ET.Element:
        return self._send(self.dial_url, DialCallStatus=status)

    def recorded(self) -> ET.Element:
        return self._send("/twilio/voice/recorded", RecordingDuration="12")


def check_voice(root: ET.Element) -> None:
    """What every voice answer must be: known verbs, a way on, nothing silent."""
    verbs = list(root)
    assert verbs, "an empty answer would be silence"
    for verb in verbs:
        assert verb.tag in VOICE_VERBS, verb.tag
    for gather in root.iter("Gather"):
        assert gather.get("action"), "every Gather names its action"
        assert gather.get("finishOnKey") == "", "# must reach the engine as a key"
    assert root.find(".//Say") is not None or root.find(".//Play") is not None, "something is said or played"
    last = verbs[-1].tag
    assert last in {"Redirect", "Dial", "Hangup"}, f"the answer ends with {last}: a dead end"
    if last == "Redirect":
        assert verbs[-2].tag in ("Gather", "Record"), "a Redirect only follows a Gather or Record (for silence)"


def spoken(root: ET.Element) -> list[tuple[str, str]]:
    """(language, words) of every Say, in order, including those inside a Gather."""
    return [(say.get("language"), "".join(say.itertext()).strip()) for say in root.iter("Say")]


def words(root: ET.Element) -> str:
    return " ".join(text for _, text in spoken(root))


@pytest.fixture
def project(tmp_path):
    """A throw-away copy of what coordinators edit (flows, locales) plus what pybabel reads."""
    target = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for folder in ("flows", "locales"):
        shutil.copytree(FIXTURE / folder, target / folder, ignore=ignore)
    for folder in ("hotline", "docs"):
        shutil.copytree(ROOT / folder, target / folder, ignore=ignore)
    shutil.copy(ROOT / "babel.cfg", target / "babel.cfg")
    return target


def edit(project, name: str, old: str, new: str) -> None:
    """Replace the first `old` in one of the project's files (which must contain it)."""
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def source_messages() -> set[str]:
    """Every msgid of the committed template: counts in tests follow the catalogue as it grows."""
    from babel.messages.pofile import read_po

    with (FIXTURE / "locales" / "messages.pot").open("rb") as template:
        return {message.id for message in read_po(template) if message.id}


def redis_contents(client) -> dict[bytes, bytes]:
    """Every key and everything stored under it, whatever its type, as bytes to search."""
    contents = {}
    for key in client.scan_iter():
        kind = client.type(key)
        if kind == b"hash":
            value = b" ".join(k + b"=" + v for k, v in client.hgetall(key).items())
        elif kind == b"string":
            value = client.get(key) or b""
        else:
            raise AssertionError(f"unexpected {kind!r} at {key!r}: add it to redis_contents")
        contents[key] = value
    return contents


@pytest.fixture
def flows_dir(tmp_path):
    """A throw-away copy of flows/ to break in a test."""
    target = tmp_path / "flows"
    shutil.copytree(FIXTURE / "flows", target)
    return target


def load_problems(flows_dir, file: str, old: str, new: str) -> list[str]:
    """Edit one flow file, load the flows, and return every problem as 'file:line: ...'."""
    from hotline.flow.loader import FlowError, load_flowset

    edit(flows_dir, file, old, new)
    with pytest.raises(FlowError) as caught:
        load_flowset(flows_dir)
    return [str(p).replace(str(flows_dir) + "/", "") for p in caught.value.problems]


def line_in(flows_dir, file: str, fragment: str) -> int:
    """The 1-based line of the first line of `file` containing `fragment`."""
    lines = (flows_dir / file).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if fragment in line)
