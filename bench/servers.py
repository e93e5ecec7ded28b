"""The benchmark's servers: its own redis-server and the four apps, started and stopped together.

- the hotline (`wsgi:app`) in production mode: signatures checked, flood limits raised
  (`bench.profile.RAISED_LIMITS`), everything else as deployed;
- the ceiling app (`bench/ceiling.py`), on its own Redis database;
- the bare Flask baseline (`bench/baseline.py`) and the stateless IVR (`bench/ivr.py`).

Each app gets the same server settings (gunicorn sync workers with --preload by default, or
granian) on a free port, and Redis a free port and a password of its own, so that nothing
else on the machine shows up in its command counts.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.request import Request, urlopen

from .profile import TOKEN, production_settings

ROOT = Path(__file__).resolve().parent.parent
APPS = {"hotline": "wsgi:app", "ceiling": "bench.ceiling:from_environment()", "baseline": "bench.baseline:app",
        "ivr": "bench.ivr:app"}
#: Commands the benchmark itself sends to its Redis; not the apps'.
OWN_COMMANDS = {"info", "config|resetstat", "flushdb", "flushall", "ping", "restore", "dump", "pttl", "scan",
                "monitor", "select", "auth", "client|setinfo", "hello"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet, whatever the client says
            pass
        time.sleep(0.1)
    raise SystemExit(f"bench: {what} did not come up within {seconds:.0f} s")


class Servers:
    def __init__(self, args):
        self.args, self.processes, self.masters = args, [], {}
        self.password = secrets.token_hex(8)
        self.redis_port = free_port()
        self.redis_url = f"redis://:{self.password}@127.0.0.1:{self.redis_port}/0"
        self.ports = {name: free_port() for name in APPS}

    def __enter__(self):
        try:
            return self.start_all()
        except BaseException:
            self.__exit__()
            raise

    def start_all(self):
        self.start(["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--loglevel", "warning", "--requirepass", self.password])
        import redis

        self.redis = redis.Redis.from_url(self.redis_url)
        self.ceiling_redis = redis.Redis.from_url(self.redis_url[:-1] + "1")
        wait_until(self.redis.ping, "redis-server")
        env = {**os.environ, **production_settings(self.redis_url), "HOTLINE_SECRET": secrets.token_hex(16),
               "BENCH_REDIS_URL": self.redis_url[:-1] + "1"}
        for name, target in APPS.items():
            self.masters[name] = self.serve(target, self.ports[name], env,
                                            cwd=self.args.hotline_dir if name == "hotline" else ROOT)
        wait_until(lambda: b'"redis":true' in urlopen(self.url("hotline", "/healthz")).read(), "the hotline")
        for name in ("ceiling", "baseline", "ivr"):
            # Unsigned: the ceiling answers 403, which is enough to know it is up.
            wait_until(lambda name=name: self.answers(name), f"the {name} app")
        return self

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def answers(self, name: str) -> bool:
        try:
            return urlopen(Request(self.url(name, "/twilio/sms"), b"a=1"), timeout=2).status == 200
        except OSError as error:
            return getattr(error, "code", None) == 403

    def serve(self, app: str, port: int, env: dict, cwd: Path):
        workers = str(self.args.workers)
        if self.args.server == "granian":
            module, _, attribute = app.partition(":")
            target = f"{module}:{attribute.removesuffix('()')}"
            factory = ["--factory"] if attribute.endswith("()") else []
            return self.start([sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", workers,
                               *factory, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                               "--no-ws", target], env=env, cwd=cwd)
        preload = ["--preload"] if self.args.preload else []
        return self.start([sys.executable, "-m", "gunicorn", "--workers", workers, "--worker-class", "sync",
                           *preload, "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app], env=env, cwd=cwd)

    def start(self, command: list[str], env: dict | None = None, cwd: Path = ROOT):
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
        self.processes.append(process)
        return process

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()

    # -- Redis's side ---------------------------------------------------------------

    def snapshot(self) -> list[tuple[bytes, int, bytes]]:
        """Every key of the hotline's database, to put back before each measured run."""
        return [(key, max(self.redis.pttl(key), 1), self.redis.dump(key)) for key in self.redis.scan_iter(count=1000)]

    def restore(self, keys: list[tuple[bytes, int, bytes]]) -> None:
        self.redis.flushdb()
        pipe = self.redis.pipeline(transaction=False)
        for key, ttl, value in keys:
            pipe.restore(key, ttl, value, replace=True)
        pipe.execute()

    def redis_cpu(self) -> float:
        """Seconds of CPU redis-server has used, user and system."""
        info = self.redis.info("cpu")
        return info["used_cpu_user"] + info["used_cpu_sys"]

    def command_calls(self) -> dict[str, int]:
        stats = self.redis.info("commandstats")
        return {name.removeprefix("cmdstat_"): value["calls"] for name, value in stats.items()
                if name.removeprefix("cmdstat_") not in OWN_COMMANDS}

    def monitored(self, run) -> list[tuple[str, str]]:
        """(source, command) of every command Redis ran during `run()`: MONITOR shows each
        with where it came from, a client or `lua` for one a script ran. It slows Redis, so
        it is never on during the measured runs."""
        seen, ready, stop = [], threading.Event(), threading.Event()

        def listen():
            with self.redis.monitor() as monitor:
                ready.set()
                for command in monitor.listen():
                    if stop.is_set():
                        return
                    seen.append((command.get("client_type"), command["command"].split(" ", 1)[0].lower()))

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        ready.wait(10)
        result = run()
        stop.set()
        self.redis.ping()  # wakes the listener up to see `stop`
        listener.join(10)
        return result, [(source, name) for source, name in seen if name not in OWN_COMMANDS]

    # -- the apps' side -------------------------------------------------------------

    def workers_cpu(self, name: str) -> float:
        """User and system CPU seconds the app's workers have used so far. Per webhook, it is
        steadier than req/s on a shared machine: other work takes cores away from an app, but
        mostly leaves what the app itself spends on each request alone."""
        master = self.masters[name]
        ticks = 0
        for pid in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split():
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat(5)
        return ticks / os.sysconf("SC_CLK_TCK")

    def memory_mb(self, name: str) -> list[dict]:
        """Each worker's peak RSS (VmHWM) and PSS, and the part it shares, in MB.

        RSS counts every page a worker touches, including those it shares with the other
        workers (with --preload: what the master loaded); PSS splits each shared page between
        the processes sharing it, so adding a worker costs about its PSS.
        """
        master = self.masters[name]
        found = []
        for pid in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()

            def kb(field: str, text: str) -> float:
                return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1)) / 1024

            found.append({"peak_rss": kb("VmHWM", status), "pss": kb("Pss", rollup),
                          "shared": kb("Shared_Clean", rollup) + kb("Shared_Dirty", rollup)})
        return found


def send(url: str, request, token: str = TOKEN) -> int:
    """Send one signed request with urllib (seeding, not measuring); its status."""
    from twilio.request_validator import RequestValidator

    signature = request.signature(RequestValidator(token))
    with urlopen(Request(url + request.path, request.body(), {"X-Twilio-Signature": signature,
                                                              "Content-Type": "application/x-www-form-urlencoded"}),
                 timeout=10) as answer:
        return answer.status
