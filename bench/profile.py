"""Profile the hotline's own work per webhook, in-process, with pyinstrument.

    python -m bench.profile [--redis-url redis://127.0.0.1:6379/9] [--conversations 300] [--html out.html]

Builds the production app (signature checks on), replays signed conversations from
`bench.conversations` straight into the WSGI callable (no HTTP server, no client in the
picture), prints microseconds per webhook, then profiles a second pass and prints the
call tree. The Redis database given is flushed first: never point it at live data.
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from twilio.request_validator import RequestValidator
from werkzeug.test import EnvironBuilder

from hotline import create_app

from .conversations import PUBLIC_URL, Request, conversations

TOKEN = "bench-auth-token"
#: The flood limits, raised for the benchmark: at the defaults (2,000 calls and 6,000 texts an
#: hour in all, 20 calls and 60 texts per number) a run of new calls would be answered "this
#: line has had too many calls" within seconds, and a known texter silenced after 60 texts.
RAISED_LIMITS = {"HOTLINE_CALLS_TOTAL": "1000000000", "HOTLINE_TEXTS_TOTAL": "1000000000",
                 "HOTLINE_CALLS_PER_NUMBER": "1000000000", "HOTLINE_TEXTS_PER_NUMBER": "1000000000"}


#: The content the simulated conversations are scripted against: the tests' fixture copy of the
#: demo, so that a programme's own flows/ and locales/ never turn the benchmark's answers into errors.
FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixture"


#: The drug-supply alerts' key in the benchmark (a Fernet key; its numbers are fictional).
ALERTS_KEY = base64.urlsafe_b64encode(b"bench-only-alerts-key-32-bytes!!").decode()


def production_settings(redis_url: str) -> dict[str, str]:
    """The hotline's settings in the benchmark: production (signatures checked), limits raised,
    and the console and the alerts on, as a programme runs them: webhooks must not pay for them
    (every text is looked at for an alerts word; the usage figures are always counted)."""
    return {"HOTLINE_ENV": "production", "REDIS_URL": redis_url, "TWILIO_AUTH_TOKEN": TOKEN,
            "HOTLINE_SECRET": "bench-secret-long-enough", "HOTLINE_PUBLIC_URL": PUBLIC_URL,
            "HOTLINE_FLOWS_DIR": str(FIXTURE / "flows"), "HOTLINE_LOCALES_DIR": str(FIXTURE / "locales"),
            "HOTLINE_CONSOLE": "on", "HOTLINE_ALERTS": "on", "HOTLINE_ALERTS_KEY": ALERTS_KEY, **RAISED_LIMITS}


def environs_of(requests: Iterable[Request]) -> list[tuple[dict, bytes]]:
    """WSGI environs (without their body stream) for `requests`, signed."""
    validator, built = RequestValidator(TOKEN), []
    for request in requests:
        body = request.body()
        path, _, query = request.path.partition("?")
        environ = EnvironBuilder(
            path=path, query_string=query, method="POST", data=body,
            content_type="application/x-www-form-urlencoded",
            headers={"X-Twilio-Signature": request.signature(validator)},
        ).get_environ()
        built.append((environ, body))
    return built


def environs(count: int, first: int) -> list[tuple[dict, bytes]]:
    """WSGI environs for `count` whole conversations from number `first` on, signed."""
    generator = conversations(start=first)
    return environs_of(request for _ in range(count) for request in next(generator))


def replay(app, requests: list[tuple[dict, bytes]]) -> tuple[float, float]:
    """(wall, CPU) seconds per webhook over all `requests`; every answer must be a 200.

    CPU time is this process's own work, without waiting for Redis; it is the steadier
    figure when other work shares the machine.
    """

    def start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            sys.exit(f"a webhook answered {status}")

    began, cpu = time.perf_counter(), time.process_time()
    for environ, body in requests:
        environ = {**environ, "wsgi.input": io.BytesIO(body)}
        b"".join(app(environ, start_response))
    return (time.perf_counter() - began) / len(requests), (time.process_time() - cpu) / len(requests)


def production_app(redis_url: str):
    """The hotline as it runs in the benchmark (production, flood limits raised), on a Redis
    database it first empties."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return create_app(production_settings(redis_url))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="a database this may flush")
    parser.add_argument("--conversations", type=int, default=300)
    parser.add_argument("--html", help="also write the profile as HTML here")
    args = parser.parse_args(argv)
    from pyinstrument import Profiler

    app = production_app(args.redis_url)
    replay(app, environs(20, first=10**6))  # warm up: imports, script loading, first-use caches
    timed = environs(args.conversations, first=0)
    wall, cpu = replay(app, timed)
    print(f"{1e6 * wall:.0f} us per webhook in-process, {1e6 * cpu:.0f} us of it CPU ({len(timed)} webhooks)")
    profiled = environs(args.conversations, first=2 * 10**6)
    profiler = Profiler(interval=0.0002)
    with profiler:
        replay(app, profiled)
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.html:
        with open(args.html, "w", encoding="utf-8") as out:
            out.write(profiler.output_html())


if __name__ == "__main__":
    main()
