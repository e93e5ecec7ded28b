"""What the alerts tests share: Twilio's REST API played by a local HTTP server, an app with
alerts on, subscribers, and real RQ worker processes.

The stand-in answers the two requests the sender makes, as Twilio does: POST Messages.json
(create; 201 with the message) and GET Messages.json?To= (list, newest first). Each test can
make it refuse a number (21610, 21614) or answer 429 / 503 a number of times first.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter

from cryptography.fernet import Fernet
from werkzeug import Request, Response

from hotline import create_app

from .conftest import FIXTURE, ROOT, SETTINGS

SID = "AC" + "0123456789abcdef" * 2
MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"
KEY = Fernet.generate_key().decode()
#: A Tuesday at 10:00 in San Francisco: outside quiet hours.
DAYTIME = dt.datetime(2026, 11, 24, 18, 0, tzinfo=dt.UTC)
#: The same Tuesday at 23:00 in San Francisco: quiet hours.
NIGHT = dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC)


def numbers(count: int, start: int = 0) -> list[str]:
    """`count` distinct US numbers in E.164, from +12025550000 on (the 555 exchange: nobody's)."""
    return [f"+1202{5550000 + start + i:07d}" for i in range(count)]


class FakeTwilio:
    """Twilio's Messages API on a pytest-httpserver; thread-safe record of what it was sent."""

    def __init__(self, httpserver):
        self.server, self.lock = httpserver, threading.Lock()
        self.sent: list[dict] = []
        self.refuse: dict[str, int] = {}  # number -> Twilio error code
        self.busy: dict[str, list[int]] = {}  # number -> HTTP statuses to answer first
        self._sids = itertools.count(1)
        httpserver.expect_request(MESSAGES, method="POST").respond_with_handler(self._create)
        httpserver.expect_request(MESSAGES, method="GET").respond_with_handler(self._list)

    @property
    def url(self) -> str:
        return self.server.url_for("/")

    def _create(self, request: Request) -> Response:
        form = request.form
        to = form["To"]
        with self.lock:
            if self.busy.get(to):
                status = self.busy[to].pop(0)
                return _error(20429 if status == 429 else 20500, status)
            if to in self.refuse:
                return _error(self.refuse[to], 400)
            message = {"sid": f"SM{next(self._sids):032x}", "to": to, "body": form["Body"], "status": "queued",
                       "from": form.get("From"), "messaging_service_sid": form.get("MessagingServiceSid"),
                       "status_callback": form.get("StatusCallback"),
                       "date_created": email.utils.formatdate(time.time(), usegmt=True)}
            self.sent.append(message)
        return Response(json.dumps(message), status=201, content_type="application/json")

    def _list(self, request: Request) -> Response:
        to = request.args.get("To")
        with self.lock:
            found = [m for m in reversed(self.sent) if m["to"] == to][:20]
        page = {"messages": found, "next_page_uri": None, "page": 0, "page_size": 20, "uri": MESSAGES}
        return Response(json.dumps(page), status=200, content_type="application/json")

    def texted(self) -> Counter:
        with self.lock:
            return Counter(m["to"] for m in self.sent)

    def bodies(self) -> dict[str, list[str]]:
        with self.lock:
            out: dict[str, list[str]] = {}
            for m in self.sent:
                out.setdefault(m["to"], []).append(m["body"])
            return out


def _error(code: int, status: int) -> Response:
    body = {"code": code, "message": "refused", "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}
    return Response(json.dumps(body), status=status, content_type="application/json")


def alert_settings(api_url: str, **extra) -> dict:
    return {**SETTINGS, "HOTLINE_ALERTS": "on", "HOTLINE_ALERTS_KEY": KEY, "TWILIO_ACCOUNT_SID": SID,
            "TWILIO_API_URL": api_url, "HOTLINE_SMS_TIMEOUT": "1", "HOTLINE_ALERTS_RATE": "1000",
            "HOTLINE_ALERTS_BATCH": "50", **extra}


class Clock:
    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def alerts_app(api_url: str, clock, **extra):
    return create_app(alert_settings(api_url, **extra), clock=clock)


def subscribe_many(alerts, count: int, area: str = "san_francisco", lang: str = "en", start: int = 0) -> list[str]:
    """Subscribe `count` numbers at once, as YES would (pipelined: a test needs thousands)."""
    made = numbers(count, start)
    now = alerts.now().timestamp()
    for number in made:
        alerts.subscriptions.subscribe(number, area, lang, now, True)
    return made


def worker_env(api_url: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "TWILIO_", "REDIS_"))}
    env.update(alert_settings(api_url, **extra))
    env["HOTLINE_FLOWS_DIR"], env["HOTLINE_LOCALES_DIR"] = str(FIXTURE / "flows"), str(FIXTURE / "locales")
    return env


def start_worker(api_url: str, burst: bool = False, quiet: bool = False, **extra) -> subprocess.Popen:
    """`flask --app wsgi hotline worker` in a process of its own, as an operator starts it.

    `quiet`: its output is dropped, and it leads a process group of its own (RQ's scheduler
    runs in a child process), so that a test can kill all of it at once."""
    argv = [sys.executable, "-m", "flask", "--app", "wsgi", "hotline", "worker", *(["--burst"] if burst else [])]
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    return subprocess.Popen(argv, cwd=ROOT, env=worker_env(api_url, **extra), stdout=output,
                            stderr=subprocess.STDOUT, text=True, start_new_session=quiet)


def wait_for(condition, timeout: float = 60, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"not true after {timeout} s")


def redis_contents_all(client) -> dict[bytes, bytes]:
    """Every key and what it holds, whatever its type (alerts and RQ keep sets, lists, streams)."""
    readers = {
        b"hash": lambda key: b" ".join(k + b"=" + v for k, v in client.hgetall(key).items()),
        b"set": lambda key: b" ".join(client.smembers(key)),
        b"zset": lambda key: b" ".join(client.zrange(key, 0, -1)),
        b"list": lambda key: b" ".join(client.lrange(key, 0, -1)),
        b"stream": lambda key: b" ".join(v for _, entry in client.xrange(key) for kv in entry.items() for v in kv),
        b"string": lambda key: client.get(key) or b"",
    }
    return {key: readers.get(client.type(key), lambda key: b"")(key) for key in client.scan_iter()}
