"""Record every answer the hotline gives over the walk tests' paths, to prove a change changed none.

    python -m bench.answers record before.json [--hotline-dir ../other-checkout] [--redis-url URL]
    python -m bench.answers compare before.json after.json

An optimisation of the webhook path must not change a single byte of any answer. `record`
walks what `tests/test_walk.py` walks, but every step over signed HTTP webhooks with
Twilio's real fields (`bench.fields`), through the web layer, the service and the Redis
store: every call state (node, language, failures, transfer tried) reachable in every
language, with every key, silence or transfer result from each, following the action URLs
the answers give; every texting state with every input the SMS walk sends, and MORE. Then
what the walks do not reach: each first request sent again (a repeat Twilio makes), a second
call and a text from a number whose language is remembered, STOP/START/HELP/FORGET, the
flood limits' answers, the ends of calls, screening, and every bad request of
`tests/test_bad_input.py` (status and body of each 4xx). It writes each answer's status,
content type and bytes, in the order the walk met them; `compare` names the first answers
that differ and exits 1 if any does. Content: the tests' fixture (`tests/fixture`), the
tests' fixed clock. The Redis database given is flushed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
from collections import deque
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
TOKEN, SECRET, PUBLIC_URL = "answers-token", "answers-secret-long-enough", "https://hotline.example.org"
NOW = dt.datetime(2026, 11, 25, 0, 30, tzinfo=dt.UTC)  # as tests/conftest.py: every service open
VOICE_KEYS = ["1", "2", "3", "4", "5", "6", "9", "*", "0", "#", None]  # None: silence
DIAL_RESULTS = ["completed", "busy", "no-answer", "failed", "canceled"]


class Walker:
    def __init__(self, redis_url: str, **limits: str):
        from twilio.request_validator import RequestValidator

        from hotline import create_app

        fixture = ROOT / "tests" / "fixture"
        self.app = create_app({
            "HOTLINE_ENV": "production", "REDIS_URL": redis_url, "TWILIO_AUTH_TOKEN": TOKEN,
            "HOTLINE_SECRET": SECRET, "HOTLINE_PUBLIC_URL": PUBLIC_URL,
            "HOTLINE_FLOWS_DIR": str(fixture / "flows"), "HOTLINE_LOCALES_DIR": str(fixture / "locales"),
            **limits,
        }, clock=lambda: NOW)
        self.hotline = self.app.extensions["hotline"]
        self.store, self.flows = self.hotline.store, self.hotline.flows
        self.redis = self.store.client
        self.redis.flushdb()
        self.client, self.validator = self.app.test_client(), RequestValidator(TOKEN)
        self.answers: list[list] = []
        self.serial = 0

    # -- sending ------------------------------------------------------------------------

    def post(self, label: str, path: str, params: list[tuple[str, str]], body: bytes | None = None,
             content_type: str = "application/x-www-form-urlencoded", signed: bool = True):
        signature = self.validator.compute_signature(PUBLIC_URL + path, dict(params))
        headers = {"X-Twilio-Signature": signature} if signed else {}
        response = self.client.post(path, data=urlencode(params).encode() if body is None else body,
                                    headers={**headers, "Content-Type": content_type})
        self.answers.append([label, path, response.status_code, response.mimetype, response.get_data(as_text=True)])
        return response

    def new_id(self, kind: str) -> str:
        self.serial += 1
        return f"{kind}{self.serial:032x}" if kind == "CA" else f"{kind}{self.serial:032d}"

    def number(self) -> str:
        from .conversations import fictional_number

        self.serial += 1
        return fictional_number(self.serial)

    def voice(self, label: str, path: str, sid: str, caller: str, extra=()):
        from .fields import call_fields

        response = self.post(label, path, [*call_fields(sid, caller), *extra])
        return response.get_data(as_text=True)

    def text(self, label: str, number: str, body: str, extra=()) -> str:
        from .fields import text_fields

        return self.post(label, "/twilio/sms", [*text_fields(number, body, self.new_id("SM")), *extra]) \
            .get_data(as_text=True)

    # -- the walks ------------------------------------------------------------------------

    def walk_calls(self) -> None:
        import xml.etree.ElementTree as ET

        from hotline.flow.model import TransferNode

        def urls(answer: str, old: tuple[str, str]) -> tuple[str, str]:
            root = ET.fromstring(answer)
            gather, dial = root.find("Gather"), root.find("Dial")
            step = gather.get("action") if gather is not None else old[0]
            redirect = root.find("Redirect")
            step = redirect.text if gather is None and redirect is not None else step
            return step, dial.get("action") if dial is not None and dial.get("action") else old[1]

        sid, caller = self.new_id("CA"), self.number()
        first = self.voice("call", "/twilio/voice", sid, caller)
        queue = deque([(sid, caller, "call", urls(first, ("/twilio/voice/step", "/twilio/voice/dial")))])
        seen = set()
        while queue:
            sid, caller, label, (step, dial) = queue.popleft()
            key = self.store.call_key(sid)
            saved = self.redis.hgetall(key)
            session = json.loads(saved[b"s"])
            state = (session["node"], session["lang"], session["failures"], session["person_tried"])
            if state in seen:
                continue
            seen.add(state)
            transfer = isinstance(self.flows.node(session["node"]), TransferNode)
            for i, item in enumerate(DIAL_RESULTS if transfer else VOICE_KEYS):
                fork = self.new_id("CA")
                pipe = self.redis.pipeline(transaction=False)
                pipe.hset(self.store.call_key(fork), mapping=saved).expire(self.store.call_key(fork), 600)
                pipe.execute()
                name = f"{label} > {'dial ' + item if transfer else item or 'silence'}"
                if transfer:
                    path, extra = dial, [("DialCallStatus", item), ("DialCallSid", self.new_id("CA"))]
                else:
                    path, extra = step, [("Digits", item), ("FinishedOnKey", "")] if item else []
                answer = self.voice(name, path, fork, caller, extra)
                if i == 0:  # Twilio sends it again: the same answer, and nothing moves twice
                    self.voice(name + " (repeated)", path, fork, caller, extra)
                if "<Hangup" not in answer:
                    queue.append((fork, caller, name, urls(answer, (step, dial))))

    def walk_texts(self) -> None:
        flows = self.flows
        one_keyword = [node.keywords[0] for node in flows.flow.nodes.values() if getattr(node, "keywords", ())]
        switches = [lang.keywords[0] for lang in flows.languages.languages.values()]
        native = list({lang: word for word, (_, lang) in flows.keywords.entries.items() if lang}.values())
        inputs = ["1", "2", "3", "4", "5", "0", "9", "", "what?", "٣", "MORE", *switches, *one_keyword, *native]
        queue = deque()
        for first in ["hello", *switches]:
            number = self.number()
            self.text(f"text {first}", number, first)
            queue.append((number, f"text {first}"))
        seen = set()
        while queue:
            number, label = queue.popleft()
            saved = self.redis.hgetall(self.store.texter_key(number))
            session = json.loads(saved[b"s"])
            if (session["node"], session["lang"]) in seen:
                continue
            seen.add((session["node"], session["lang"]))
            for body in inputs:
                fork = self.number()
                key = self.store.texter_key(fork)
                pipe = self.redis.pipeline(transaction=False)
                pipe.hset(key, mapping=saved).expire(key, 600)
                pipe.execute()
                self.text(f"{label} > {body!r}", fork, body)
                queue.append((fork, f"{label} > {body!r}"))

    def edges(self) -> None:
        """What the walks do not reach: repeats, remembered languages, consent, limits, ends."""
        from .fields import text_fields

        for lang, language in self.flows.languages.languages.items():
            number = self.number()
            self.text(f"remembered {lang}: choose", number, language.keywords[0])
            self.text(f"remembered {lang}: a later text", number, "hi")
            sid = self.new_id("CA")
            self.voice(f"remembered {lang}: a call", "/twilio/voice", sid, number)
        number = self.number()
        for body in ("HELP", "STOP", "hi", "START", "hi", "FORGET", "hi", "STOP", "FORGET", "hi"):
            self.text(f"consent {body}", number, body)
        self.text("advanced opt-out", self.number(), "arrêt", [("OptOutType", "STOP")])
        params = text_fields(self.number(), "NARCAN", self.new_id("SM"))
        for label in ("a text", "the same text again"):
            self.post(f"repeat: {label}", "/twilio/sms", params)
        flood, sid = self.number(), None
        for n in range(self.hotline.config.HOTLINE_CALLS_PER_NUMBER + 2):
            sid = self.new_id("CA")
            self.voice(f"flood call {n}", "/twilio/voice", sid, flood)
        for n in range(self.hotline.config.HOTLINE_TEXTS_PER_NUMBER + 2):
            self.text(f"flood text {n}", flood, "hi")
        self.voice("status ringing", "/twilio/status", sid, flood, [("CallStatus", "ringing")])
        self.voice("status completed", "/twilio/status", sid, flood, [("CallStatus", "completed")])
        self.voice("recorded", "/twilio/voice/recorded?n=1&lang=en", self.new_id("CA"), flood,
                   [("RecordingDuration", "12")])
        self.post("screen", "/twilio/voice/screen?lang=es", [("CallSid", self.new_id("CA"))])
        for digits in ("1", "2", ""):
            self.post(f"screen answer {digits!r}", "/twilio/voice/screen/answer", [("Digits", digits)])
        self.bad_requests()

    def bad_requests(self) -> None:
        call, caller = "CA" + "ab" * 16, "+12025550187"
        routes = ["/twilio/voice", "/twilio/voice/step", "/twilio/voice/dial", "/twilio/sms", "/twilio/status"]
        fields = [("CallSid", call), ("From", caller)]
        for path in routes:
            self.post("too big", path, [*fields, ("Body", "x" * 64 * 1024)])
            self.post("unsigned", path, fields, signed=False)
            for content_type in ("application/json", "text/plain", "multipart/form-data; boundary=x"):
                self.post(f"content type {content_type}", path, [], b"CallSid=" + call.encode(), content_type)
            for body in (b"&Body=%FF%FE", b"&Body=\xc3\x28", b"&Body=%ED%A0%80", b"&Body=%"):
                self.post(f"bytes {body!r}", path, [], b"CallSid=" + call.encode() + b"&From=%2B1202555018" + body)
            for body in (b"CallSid", b"CallSid=" + call.encode() + b"&&From=1", b"=&=&" * 300, b"a=1;b=2", b"=x"):
                self.post(f"form {body[:20]!r}", path, [], body)
            self.post("no ids", path, [("Digits", "1")])
        self.post("bad CallSid", "/twilio/voice", [("CallSid", "CA123"), ("From", caller)])
        self.post("long From", "/twilio/voice", [("CallSid", call), ("From", "+1" * 40)])
        self.post("empty From", "/twilio/sms", [("From", ""), ("Body", "hi")])
        self.post("strange keys", "/twilio/voice/step?n=1&lang=en", [*fields, ("Digits", "<&]]>")])
        self.post("plus and percent", "/twilio/sms", [("From", caller), ("Body", "a+b %41 ~*'()!")])


def record(out: Path, redis_url: str) -> None:
    import logging

    logging.disable(logging.WARNING)  # the bad requests are logged as refused, by design
    # Everyone's limits raised for the walks (each fork is a new number); each number's kept.
    walker = Walker(redis_url, HOTLINE_CALLS_TOTAL="100000000", HOTLINE_TEXTS_TOTAL="100000000")
    walker.walk_calls()
    walker.walk_texts()
    walker.edges()
    answers = walker.answers
    # Then everyone's limits: a flood of calls and texts from many numbers.
    walker = Walker(redis_url, HOTLINE_CALLS_TOTAL="3", HOTLINE_TEXTS_TOTAL="3")
    for n in range(6):
        walker.voice(f"everyone's flood, call {n}", "/twilio/voice", walker.new_id("CA"), walker.number())
        number = walker.number()
        walker.text(f"everyone's flood, text {n}", number, "hi")
        walker.text(f"everyone's flood, text {n} again", number, "1")
    answers += walker.answers
    out.write_text(json.dumps(answers, ensure_ascii=False, indent=0))
    print(f"{len(answers)} answers recorded in {out}")


def compare(before: Path, after: Path) -> int:
    old, new = json.loads(before.read_text()), json.loads(after.read_text())
    differ = [(a, b) for a, b in zip(old, new, strict=False) if a != b]
    for a, b in differ[:5]:
        print(f"differs: {a[0]} ({a[1]})\n  before: {a[2]} {a[4][:300]!r}\n  after:  {b[2]} {b[4][:300]!r}")
    if len(old) != len(new):
        print(f"before has {len(old)} answers, after {len(new)}")
    if differ or len(old) != len(new):
        print(f"{len(differ)} of {len(old)} answers differ")
        return 1
    print(f"all {len(old)} answers are byte-identical")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record")
    recording.add_argument("out", type=Path)
    recording.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="a database this may flush")
    recording.add_argument("--hotline-dir", type=Path, help="record the hotline package of this checkout")
    comparing = commands.add_parser("compare")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "compare":
        return compare(args.before, args.after)
    if args.hotline_dir:
        with tempfile.TemporaryDirectory() as directory:  # that checkout's package, this benchmark
            (Path(directory) / "bench").symlink_to(ROOT / "bench")
            (Path(directory) / "tests").symlink_to(ROOT / "tests")
            (Path(directory) / "hotline").symlink_to(args.hotline_dir.resolve() / "hotline")
            return subprocess.run([sys.executable, "-m", "bench.answers", "record", str(args.out.resolve()),
                                   "--redis-url", args.redis_url], cwd=directory, check=False).returncode
    record(args.out, args.redis_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
