"""The load generator: concurrent simulated conversations over loopback, in its own process.

    python -m bench.load --port 8711 --conversations 50 --seconds 10 [--think-ms 100] [--token T]

Each of `--conversations` workers plays conversations from `bench.conversations` one
after another, one signed webhook at a time, optionally pausing between steps like a
person listening (`--think-ms`, jittered; each conversation then starts at its own moment
within the first pause, rather than all 50 in the same millisecond). It stops starting
requests after `--seconds`, waits for those in flight, and prints one JSON object:
requests, errors (with the first few reasons), requests per second, latency percentiles,
and the CPU time it used itself (if it used a whole core, the client and not the server
set the pace).

Plain asyncio sockets, one connection per request (gunicorn's sync workers close each one),
so the client costs little and needs nothing beyond the hotline's own requirements.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time

from twilio.request_validator import RequestValidator

from .conversations import conversations

MAX_REASONS = 5


async def exchange(port: int, payload: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(payload)
        answer = await reader.read()
    finally:
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return status, body


class Load:
    def __init__(self, args):
        self.args = args
        self.validator = RequestValidator(args.token)
        self.host = f"127.0.0.1:{args.port}"
        self.latencies: list[float] = []
        self.errors = 0
        self.reasons: list[str] = []
        self.finished = 0
        self.conversations = conversations(start=args.first)
        self.random = random.Random(args.first)

    def error(self, reason: str) -> None:
        self.errors += 1
        if len(self.reasons) < MAX_REASONS:
            self.reasons.append(reason)

    async def worker(self, deadline: float) -> None:
        think = self.args.think_ms / 1000
        # Callers do not all press a key in the same millisecond: each conversation starts
        # at its own moment within one pause, as if it had been going on for a while.
        await asyncio.sleep(think * self.random.uniform(0, 1.5))
        while time.perf_counter() < deadline:
            for request in next(self.conversations):
                if time.perf_counter() >= deadline:
                    return
                payload = request.http(self.validator, self.host)
                began = time.perf_counter()
                try:
                    status, body = await exchange(self.args.port, payload)
                except OSError as exc:
                    self.error(f"{request.path}: {type(exc).__name__}")
                    continue
                self.latencies.append(time.perf_counter() - began)
                reason = request.check(status, body) if self.args.check else (
                    None if status == 200 and b"<Response" in body else f"{request.path}: HTTP {status}")
                if reason:
                    self.error(reason)
                if think:
                    await asyncio.sleep(think * self.random.uniform(0.5, 1.5))
            else:
                self.finished += 1

    async def run(self) -> dict:
        cpu, began = os.times(), time.perf_counter()
        deadline = began + self.args.seconds
        await asyncio.gather(*(self.worker(deadline) for _ in range(self.args.conversations)))
        elapsed = time.perf_counter() - began
        used = os.times()
        return {
            "requests": len(self.latencies), "errors": self.errors, "reasons": self.reasons,
            "conversations_finished": self.finished, "seconds": round(elapsed, 3),
            "rps": round(len(self.latencies) / elapsed, 1),
            **percentiles(self.latencies),
            "client_cpu": round((used.user + used.system - cpu.user - cpu.system) / elapsed, 2),
        }


def percentiles(latencies: list[float]) -> dict:
    """p50/p95/p99/max in milliseconds (nearest rank)."""
    if not latencies:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(latencies)

    def rank(p: float) -> float:
        return round(1000 * ordered[min(len(ordered) - 1, max(0, round(p * len(ordered)) - 1))], 2)

    return {"p50_ms": rank(0.50), "p95_ms": rank(0.95), "p99_ms": rank(0.99), "max_ms": rank(1.0)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--conversations", type=int, default=50, help="concurrent conversations")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--think-ms", type=float, default=0.0, help="mean pause between a conversation's steps")
    parser.add_argument("--token", default="bench-auth-token", help="the Twilio auth token to sign with")
    parser.add_argument("--first", type=int, default=0, help="number of the first conversation (keeps ids unique)")
    parser.add_argument("--no-check", dest="check", action="store_false",
                        help="only require 200 and TwiML (for the baseline, which says the same thing always)")
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(Load(args).run())))


if __name__ == "__main__":
    main()
