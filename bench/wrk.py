"""The benchmark's client: wrk over webhooks signed in advance (`bench/wrk.lua`).

wrk is a C load generator (Debian package `wrk`); with its work per request reduced to
handing over bytes prepared here, it costs the machine a small, fixed share, so the ratios
of two apps measure the apps. (The Python asyncio client it replaces spent about as much
CPU per request as the bare Flask app, which pulled every ratio toward 1.) One wrk thread
with 16 connections: the requests of a conversation are then sent in their order.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from twilio.request_validator import RequestValidator

from .conversations import Request

SCRIPT = Path(__file__).with_name("wrk.lua")
CONNECTIONS = 16


def installed() -> bool:
    return shutil.which("wrk") is not None


def write_requests(path: Path, requests: Iterable[Request], token: str, port: int) -> int:
    """Sign each request as Twilio would and write them for wrk.lua; how many were written."""
    validator, host, count = RequestValidator(token), f"127.0.0.1:{port}", 0
    with path.open("wb") as out:
        for request in requests:
            raw = request.http(validator, host)
            out.write(b"%08d" % len(raw) + raw)
            count += 1
    return count


def run(port: int, requests_file: Path, seconds: float, check: bool,
        connections: int = CONNECTIONS) -> dict:
    """One wrk run against 127.0.0.1:`port`; its figures, and the CPU share wrk used."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s", "-s", str(SCRIPT),
               f"http://127.0.0.1:{port}", "--", str(requests_file), "check" if check else "any"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((text for text in reversed(done.stdout.splitlines()) if text.startswith("{")), None)
    if done.returncode or line is None:
        raise SystemExit(f"bench: wrk failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    found = json.loads(line)
    elapsed = found["us"] / 1e6
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "requests": found["requests"], "errors": found["errors"] + found["socket_errors"],
        "reasons": [found["reason"]] if found["reason"] else [], "wrapped": found["wrapped"],
        "seconds": round(elapsed, 3), "rps": round(found["requests"] / elapsed, 1),
        "p50_ms": found["p50_us"] / 1000, "p95_ms": found["p95_us"] / 1000, "p99_ms": found["p99_us"] / 1000,
        "max_ms": found["max_us"] / 1000, "client_cpu": round(cpu / elapsed, 2),
    }
