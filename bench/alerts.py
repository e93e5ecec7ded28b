"""The alerts benchmark: how long 50,000 subscribers take to enqueue, and the send rate reached.

    python -m bench.alerts [--subscribers 50000] [--send 3000] [--workers 2]

It starts its own redis-server (on a free port, nothing saved) and a local HTTP server playing
Twilio's Messages API, subscribes `--subscribers` numbers (encrypted, as YES does), approves an
urgent alert to all of them, and times the start job that splits them into batches and enqueues
one RQ job per batch (target: under 10 s). Then it sends an alert to `--send` of them with
`--workers` real `flask hotline worker` processes, the rate setting out of the way, and prints
texts per second against the stand-in (a real number's throughput is set by HOTLINE_ALERTS_RATE).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_ENQUEUE_S = 10.0
SID = "AC" + "0" * 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StandIn(BaseHTTPRequestHandler):
    """POST Messages.json -> 201, as Twilio answers; counts what it got."""

    count = 0
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 - the http.server name
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        with StandIn.lock:
            StandIn.count += 1
            sid = f"SM{StandIn.count:032x}"
        body = json.dumps({"sid": sid, "to": form["To"][0], "status": "queued"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def settings(redis_url: str, api_url: str, flows: Path) -> dict:
    from cryptography.fernet import Fernet

    return {"HOTLINE_ENV": "production", "REDIS_URL": redis_url, "TWILIO_AUTH_TOKEN": "bench-token",
            "HOTLINE_SECRET": "bench-secret-that-is-long-enough", "HOTLINE_ALERTS": "on",
            "HOTLINE_ALERTS_KEY": Fernet.generate_key().decode(), "TWILIO_ACCOUNT_SID": SID,
            "TWILIO_API_URL": api_url, "HOTLINE_ALERTS_RATE": "100000", "HOTLINE_PUBLIC_URL": "https://bench.example.org",
            "HOTLINE_FLOWS_DIR": str(flows / "flows"), "HOTLINE_LOCALES_DIR": str(flows / "locales")}


def subscribe(alerts, count: int, start: int = 0) -> None:
    """`count` subscriptions as YES writes them, pipelined (the benchmark needs many)."""
    from hotline.outbound.subscriptions import SUB_TTL, Subscriptions, sub_key

    now = int(time.time())
    pipe = alerts.client.pipeline(transaction=False)
    for i in range(start, start + count):
        number = f"+1202{5550000 + i:07d}"
        digest = alerts.store.digest(number)
        pipe.hset(sub_key(digest), mapping={"n": alerts.box.seal(number), "a": "san_francisco", "l": "en",
                                            "since": now, "last": now})
        pipe.expire(sub_key(digest), SUB_TTL)
        Subscriptions._add_member(pipe, "san_francisco", "en", digest)
        if i % 2000 == 0:
            pipe.execute()
    pipe.execute()


def approved(alerts):
    from hotline.outbound import desk

    others = [lang for lang in alerts.flows().languages.languages if lang != "en"]
    broadcast = desk.new(alerts, "bench", "Bench alert: strong batch. Call {emergency}.", skip=others, urgent=True)
    desk.submit(alerts, broadcast.id, "bench")
    return desk.approve(alerts, broadcast.id, "second")


def run(args) -> dict:
    from hotline import create_app
    from hotline.outbound import jobs
    from hotline.outbound.broadcasts import SENT

    port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], stdout=subprocess.DEVNULL)
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    workers = []
    try:
        time.sleep(0.3)
        env_settings = settings(f"redis://127.0.0.1:{port}/0", f"http://127.0.0.1:{server.server_port}", ROOT)
        app = create_app(env_settings)
        alerts = app.extensions["alerts"]
        began = time.perf_counter()
        subscribe(alerts, args.subscribers)
        seeded = time.perf_counter() - began
        broadcast = approved(alerts)
        began = time.perf_counter()
        with app.app_context():
            jobs.start(broadcast.id)
        enqueue = time.perf_counter() - began
        queued = alerts.queue.count
        # The send rate: a fresh Redis database with `--send` subscribers, real worker processes.
        alerts.client.flushdb()
        subscribe(alerts, args.send)
        broadcast = approved(alerts)
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("HOTLINE_", "TWILIO_"))}, **env_settings}
        sent_before = StandIn.count
        began = time.perf_counter()
        for _ in range(args.workers):
            workers.append(subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "hotline", "worker"],
                                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 600
        while alerts.broadcasts.get(broadcast.id).state != SENT and time.monotonic() < deadline:
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        return {"subscribers": args.subscribers, "seed_s": round(seeded, 2), "enqueue_s": round(enqueue, 2),
                "jobs": queued, "sent": StandIn.count - sent_before, "workers": args.workers,
                "send_s": round(seconds, 2), "per_second": round((StandIn.count - sent_before) / seconds, 1),
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        server.shutdown()
        redis.terminate()
        redis.wait()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--send", type=int, default=3_000, help="subscribers texted to measure the send rate")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory():
        result = run(args)
    print(f"enqueue {result['subscribers']:,} subscribers: {result['enqueue_s']} s into {result['jobs']} jobs "
          f"(target < {TARGET_ENQUEUE_S:.0f} s: {'met' if result['enqueue_s'] < TARGET_ENQUEUE_S else 'NOT met'})")
    print(f"send {result['sent']:,} texts with {result['workers']} workers: {result['send_s']} s, "
          f"{result['per_second']} texts/s against the local stand-in")
    print(json.dumps(result))
    return 0 if result["enqueue_s"] < TARGET_ENQUEUE_S else 1


if __name__ == "__main__":
    sys.exit(main())
