"""The "Redis stalled" run: new calls keep arriving while Redis is stopped with SIGSTOP.

    python -m bench.stall --port 8711 --redis-pid PID [--rate 4] [--seconds 30] [--token T]

It stops the benchmark's own redis-server (SIGSTOP: connections are still accepted, nothing
is answered: a stall, not an outage), starts a new call every 1/`--rate` seconds for
`--seconds`, resumes Redis (SIGCONT) and goes on starting calls until one gets the normal
language menu again. It prints one JSON object: how many calls, how many got the safe
answer, latency percentiles, how many answers took longer than Twilio's 15 s deadline (those
callers would hear Twilio's error instead of the emergency advice), and how long after the
resume normal service came back.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import time

from twilio.request_validator import RequestValidator

from .conversations import TROUBLE, voice_conversation
from .load import exchange, percentiles

TWILIO_DEADLINE = 15.0  # seconds Twilio waits for a webhook's answer
RECOVERY_LIMIT = 10.0  # seconds after the resume to wait for the normal menu


async def one_call(port: int, number: int, validator: RequestValidator) -> tuple[float, bool, bool]:
    """(seconds to answer, got the safe answer, got an answer at all) for one new call."""
    start = voice_conversation(number)[0]
    began = time.perf_counter()
    try:
        status, body = await exchange(port, start.http(validator, f"127.0.0.1:{port}"))
    except OSError:
        return time.perf_counter() - began, False, False
    return time.perf_counter() - began, TROUBLE.encode() in body, status == 200 and b"<Response" in body


async def stall(args) -> dict:
    validator = RequestValidator(args.token)
    interval, count = 1 / args.rate, round(args.rate * args.seconds)
    os.kill(args.redis_pid, signal.SIGSTOP)
    began = time.perf_counter()
    try:
        tasks = []
        for n in range(count):
            await asyncio.sleep(max(0.0, began + n * interval - time.perf_counter()))
            tasks.append(asyncio.create_task(one_call(args.port, args.first + n, validator)))
        await asyncio.sleep(max(0.0, began + args.seconds - time.perf_counter()))
    finally:
        os.kill(args.redis_pid, signal.SIGCONT)
    resumed = time.perf_counter()
    answers = await asyncio.gather(*tasks)
    recovery, n = None, args.first + count
    while recovery is None and time.perf_counter() - resumed < RECOVERY_LIMIT:
        _, safe, answered = await one_call(args.port, n, validator)
        n += 1
        if answered and not safe:
            recovery = time.perf_counter() - resumed
        else:
            await asyncio.sleep(0.05)
    latencies = [seconds for seconds, _, _ in answers]
    return {
        "calls": count, "safe_answers": sum(safe for _, safe, _ in answers),
        "unanswered": sum(not answered for _, _, answered in answers),
        "over_15s": sum(seconds > TWILIO_DEADLINE for seconds in latencies),
        **percentiles(latencies), "recovered_after_s": None if recovery is None else round(recovery, 3),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--redis-pid", type=int, required=True, help="the redis-server to stop and resume")
    parser.add_argument("--rate", type=float, default=4.0, help="new calls per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long Redis stays stopped")
    parser.add_argument("--token", default="bench-auth-token", help="the Twilio auth token to sign with")
    parser.add_argument("--first", type=int, default=0, help="number of the first call (keeps ids unique)")
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(stall(args))))


if __name__ == "__main__":
    main()
