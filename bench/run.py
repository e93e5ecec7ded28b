"""The benchmark: the hotline under gunicorn against a bare-Flask baseline, on this machine.

    python bench/run.py [--workers 2] [--seconds 8] [--rounds 3] [--quick]

In one run it starts its own redis-server (nothing saved to disk), the hotline under
gunicorn in production mode (signatures checked), and the baseline (`bench/baseline.py`)
with the same gunicorn settings. A separate load-generator process (`bench/load.py`) then
plays signed conversations against each, alternately, round after round (other work on
the machine slows both alike, and the median ratio is reported), then 50 paced
conversations for latency. It reads Redis's INFO commandstats around every hotline round,
each worker's peak RSS, and times loading a generated 1,000-node, 6-language flow set.
Last, the "Redis stalled" run (`bench/stall.py`): Redis stopped with SIGSTOP while new calls
keep arriving, to see that every caller still gets the safe answer at once.
It prints the figures and whether each target is met, and exits 1 if any request failed.
Nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TOKEN = "bench-auth-token"
TARGETS = {"ratio": 0.7, "p99_ms": 25.0, "round_trips": 2.0, "check_s": 2.0, "rss_mb": 100.0,
           "stall_p99_ms": 1000.0, "recovery_s": 1.0}
#: Commands the benchmark itself sends to its Redis; not the hotline's.
OWN_COMMANDS = {"info", "config|resetstat", "flushdb", "ping"}


def missing_prerequisites() -> list[str]:
    problems = []
    if not shutil.which("redis-server"):
        problems.append("redis-server is not installed (Debian/Ubuntu: apt-get install -y redis-server)")
    for module in ("gunicorn", "flask", "twilio", "redis", "babel", "yaml"):
        try:
            __import__(module)
        except ImportError:
            problems.append(f"Python package '{module}' is missing (python3 -m pip install -r requirements.txt)")
    return problems


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def wait_until(check, what: str, seconds: float = 15.0) -> None:
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
    """redis-server, the hotline and the baseline, started and always stopped together."""

    def __init__(self, args):
        self.args, self.processes = args, []
        # A password keeps any other program that finds this port out of the command counts.
        self.password = secrets.token_hex(8)
        self.redis_url = f"redis://:{self.password}@127.0.0.1:{args.redis_port}/0"
        self.hotline_port, self.baseline_port = args.port, args.port + 1

    def __enter__(self):
        for port in (self.args.redis_port, self.hotline_port, self.baseline_port):
            if not port_free(port):
                raise SystemExit(f"bench: port {port} is in use; choose others with --port / --redis-port")
        try:
            return self.start_all()
        except BaseException:
            self.__exit__()
            raise

    def start_all(self):
        self.start(["redis-server", "--port", str(self.args.redis_port), "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--loglevel", "warning", "--requirepass", self.password])
        import redis

        self.redis = redis.Redis.from_url(self.redis_url)
        wait_until(self.redis.ping, "redis-server")
        env = {**os.environ, "HOTLINE_ENV": "production", "REDIS_URL": self.redis_url, "TWILIO_AUTH_TOKEN": TOKEN,
               "HOTLINE_SECRET": secrets.token_hex(16), "HOTLINE_PUBLIC_URL": "https://hotline.example.org"}
        self.hotline = self.gunicorn("wsgi:app", self.hotline_port, env, cwd=self.args.hotline_dir)
        self.baseline = self.gunicorn("bench.baseline:app", self.baseline_port, env)
        wait_until(lambda: b'"redis":true' in urlopen(f"http://127.0.0.1:{self.hotline_port}/healthz").read(),
                   "the hotline")
        wait_until(lambda: urlopen(Request(f"http://127.0.0.1:{self.baseline_port}/x", b"a=1")).status == 200,
                   "the baseline")
        return self

    def gunicorn(self, app: str, port: int, env: dict, cwd: Path = ROOT):
        preload = ["--preload"] if self.args.preload else []
        return self.start([sys.executable, "-m", "gunicorn", "--workers", str(self.args.workers),
                           "--worker-class", "sync", *preload, "--bind", f"127.0.0.1:{port}",
                           "--log-level", "warning", app], env=env, cwd=cwd)

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

    def memory_mb(self, master) -> list[dict]:
        """Each worker's peak RSS (VmHWM) and, now, its PSS and the part it shares, in MB.

        RSS counts every page a worker touches, including those it shares with the other
        workers (with --preload: what the master loaded, such as the ZIP-code table); PSS
        splits each shared page between the processes sharing it, so adding a worker costs
        about its PSS.
        """
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
        found = []
        for pid in children:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()

            def kb(name: str, text: str) -> float:
                return int(re.search(rf"^{name}:\s+(\d+) kB", text, re.M).group(1)) / 1024

            found.append({"peak_rss": kb("VmHWM", status), "pss": kb("Pss", rollup),
                          "shared": kb("Shared_Clean", rollup) + kb("Shared_Dirty", rollup)})
        return found


class Runs:
    """Load-generator runs, each in its own process, numbered so ids never repeat."""

    def __init__(self, args):
        self.args, self.count = args, 0

    def __call__(self, port: int, conversations: int, seconds: float, think_ms: float = 0, check=True) -> dict:
        self.count += 1
        command = [sys.executable, "-m", "bench.load", "--port", str(port), "--conversations", str(conversations),
                   "--seconds", str(seconds), "--think-ms", str(think_ms), "--token", TOKEN,
                   "--first", str(self.count * 1_000_000)]
        if not check:
            command.append("--no-check")
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"bench: the load generator failed:\n{done.stderr}")
        return json.loads(done.stdout)


def count_round_trips(servers, runs, args) -> dict:
    """Round trips per webhook, counted exactly on a short separate run under MONITOR.

    MONITOR shows every command with where it came from: a client, or `lua` for one a
    script ran (INFO commandstats counts those too, but they cost no round trip). It slows
    Redis, so it is never on during the measured runs.
    """
    servers.redis.flushdb()
    seen, ready, stop = [], threading.Event(), threading.Event()

    def listen():
        with servers.redis.monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                if stop.is_set():
                    return
                seen.append((command.get("client_type"), command["command"].split(" ", 1)[0].lower()))

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    ready.wait(10)
    run = runs(servers.hotline_port, args.saturate, 3)
    stop.set()
    servers.redis.ping()  # wakes the listener up to see `stop`
    listener.join(10)
    direct, scripted = {}, {}
    for source, name in seen:
        table = scripted if source == "lua" else direct
        table[name] = table.get(name, 0) + 1
    webhooks = max(run["requests"], 1)
    return {"webhooks": run["requests"], "errors": run["errors"],
            "per_webhook": sum(direct.values()) / webhooks,
            "direct": {k: v / webhooks for k, v in sorted(direct.items())},
            "in_scripts": {k: v / webhooks for k, v in sorted(scripted.items())}}


def stalled(servers, runs, args) -> dict:
    """The "Redis stalled" run: new calls at `--stall-rate` a second for `--stall-seconds`
    while the benchmark's redis-server is stopped (SIGSTOP), then resumed."""
    runs.count += 1
    command = [sys.executable, "-m", "bench.stall", "--port", str(servers.hotline_port),
               "--redis-pid", str(servers.processes[0].pid), "--rate", str(args.stall_rate),
               "--seconds", str(args.stall_seconds), "--token", TOKEN, "--first", str(runs.count * 1_000_000)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"bench: the stall run failed:\n{done.stderr}")
    return json.loads(done.stdout)


def command_calls(client) -> dict[str, int]:
    stats = client.info("commandstats")
    return {name.removeprefix("cmdstat_"): value["calls"] for name, value in stats.items()
            if name.removeprefix("cmdstat_") not in OWN_COMMANDS}


def time_check(nodes: int, languages: int) -> dict:
    """Generate the flow set, then time `python -m hotline check` on it (start-up included)."""
    from bench.flowset import generate

    with tempfile.TemporaryDirectory() as directory:
        generate(directory, nodes, languages)
        command = [sys.executable, "-m", "hotline", "--flows", directory, "--locales", f"{directory}/locales", "check"]
        walls = []
        for _ in range(3):
            began = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
            walls.append(time.perf_counter() - began)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-200:]
    return {"nodes": nodes, "languages": languages, "wall_s": round(statistics.median(walls), 3),
            "exit": done.returncode, "summary": summary}


def benchmark(args) -> dict:
    runs, result = Runs(args), {"load_before": os.getloadavg()[0]}
    with Servers(args) as servers:
        runs(servers.baseline_port, args.saturate, 2, check=False)  # warm up both
        runs(servers.hotline_port, args.saturate, 2)
        rounds, commands, webhooks = [], {}, 0
        for _ in range(args.rounds):
            base = runs(servers.baseline_port, args.saturate, args.seconds, check=False)
            servers.redis.flushdb()
            servers.redis.config_resetstat()
            hot = runs(servers.hotline_port, args.saturate, args.seconds)
            for name, calls in command_calls(servers.redis).items():
                commands[name] = commands.get(name, 0) + calls
            webhooks += hot["requests"]
            rounds.append((base, hot))
        servers.redis.flushdb()
        paced = runs(servers.hotline_port, args.conversations, args.latency_seconds, think_ms=args.think_ms)
        paced_base = runs(servers.baseline_port, args.conversations, args.latency_seconds,
                          think_ms=args.think_ms, check=False)
        result["trips"] = count_round_trips(servers, runs, args)
        result["memory"] = {"hotline": servers.memory_mb(servers.hotline),
                            "baseline": servers.memory_mb(servers.baseline)}
        result["stall"] = stalled(servers, runs, args)
    result.update(rounds=rounds, paced=paced, paced_base=paced_base, webhooks=webhooks,
                  commands={name: calls / max(webhooks, 1) for name, calls in sorted(commands.items())},
                  check=time_check(args.nodes, args.languages))
    result["round_trips"] = result["trips"]["per_webhook"]
    return result


def report(args, result: dict) -> bool:
    """Print the figures and targets; True if no request failed."""
    rounds = result["rounds"]
    ratios = [hot["rps"] / base["rps"] for base, hot in rounds]
    ratio = statistics.median(ratios)
    errors = sum(hot["errors"] + base["errors"] for base, hot in rounds)
    errors += result["paced"]["errors"] + result["paced_base"]["errors"] + result["trips"]["errors"]
    paced, check = result["paced"], result["check"]
    memory = result["memory"]["hotline"]
    pss, peak = max(m["pss"] for m in memory), max(m["peak_rss"] for m in memory)

    def line(name, run):
        print(f"  {name:<30} {run['rps']:>8.0f} req/s  p50 {run['p50_ms']:>6.1f}  p95 {run['p95_ms']:>6.1f}  "
              f"p99 {run['p99_ms']:>6.1f} ms  errors {run['errors']}  (client used {run['client_cpu']:.0%} of a core)")
        for reason in run["reasons"]:
            print(f"      {reason}")

    print(f"\nhotline benchmark: {args.workers} sync gunicorn workers each{' (--preload)' * args.preload}, "
          f"{os.cpu_count()} cores, load average {result['load_before']:.2f} before the start")
    if result["load_before"] > 0.5:
        print("  Other work is running on this machine: both apps are slowed by it, latency most.")
    print(f"\nThroughput: {args.saturate} conversations back to back, {args.seconds:g} s per run, "
          f"{args.rounds} rounds")
    for i, (base, hot) in enumerate(rounds, start=1):
        line(f"round {i} baseline (bare Flask)", base)
        line(f"round {i} hotline", hot)
    print(f"  hotline / baseline: {', '.join(f'{r:.2f}' for r in ratios)} (median {ratio:.2f})")
    pause = f"{args.think_ms / 2:g}-{args.think_ms * 1.5:g} ms"
    print(f"\nLatency: {args.conversations} conversations, each pausing {pause} between steps "
          "(a caller listens for seconds)")
    line("hotline", paced)
    line("baseline (bare Flask)", result["paced_base"])
    print(f"\nRedis commands per hotline webhook ({result['webhooks']} webhooks; INFO commandstats, "
          "including those run inside Lua scripts):")
    print("  " + ", ".join(f"{name} {calls:.2f}" for name, calls in result["commands"].items()))
    trips = result["trips"]
    print(f"Round trips per webhook ({trips['webhooks']} webhooks under MONITOR): {trips['per_webhook']:.2f} = "
          + " + ".join(f"{name} {n:.2f}" for name, n in trips["direct"].items())
          + "; inside those scripts: " + ", ".join(f"{name} {n:.2f}" for name, n in trips["in_scripts"].items()))
    print("\nMemory per worker, MB (peak RSS / PSS / shared with the other processes):")
    for name, found in result["memory"].items():
        print(f"  {name:<9} " + "; ".join(f"{m['peak_rss']:.1f} / {m['pss']:.1f} / {m['shared']:.1f}" for m in found))
    print(f"\nCoordinators' check (python -m hotline check) of a generated flow set of {check['nodes']} nodes in "
          f"{check['languages']} languages: {check['wall_s']:.2f} s, median of 3, Python start-up included "
          f"(it said: {check['summary']})")
    stall = result["stall"]
    print(f"\nRedis stalled (SIGSTOP) for {args.stall_seconds:g} s while {args.stall_rate:g} new calls a second "
          f"arrived: {stall['calls']} calls, {stall['safe_answers']} got the safe answer, "
          f"p50 {stall['p50_ms']:.1f}  p99 {stall['p99_ms']:.1f}  max {stall['max_ms']:.1f} ms, "
          f"{stall['over_15s']} answered after Twilio's 15 s, {stall['unanswered']} unanswered; "
          f"normal service {stall['recovered_after_s']} s after Redis resumed")
    print(f"\nErrors: {errors}")
    print("\nTargets:")
    for met, text in (
        (ratio >= TARGETS["ratio"], f"throughput >= {TARGETS['ratio']}x the bare-Flask baseline: {ratio:.2f}x"),
        (paced["p99_ms"] < TARGETS["p99_ms"],
         f"p99 < {TARGETS['p99_ms']:g} ms with {args.conversations} conversations: {paced['p99_ms']:.1f} ms"),
        (result["round_trips"] <= TARGETS["round_trips"],
         f"<= {TARGETS['round_trips']:g} Redis round trips per webhook: {result['round_trips']:.2f}"),
        (check["wall_s"] < TARGETS["check_s"] and check["exit"] == 0,
         f"1,000-node, 6-language flow set checked in < {TARGETS['check_s']:g} s: {check['wall_s']:.2f} s"),
        (pss < TARGETS["rss_mb"], f"< {TARGETS['rss_mb']:g} MB per worker: PSS {pss:.1f} MB at most "
         f"(peak RSS {peak:.1f} MB, counting pages shared with the other workers)"),
        (stall["p99_ms"] < TARGETS["stall_p99_ms"] and stall["over_15s"] == 0 and stall["unanswered"] == 0,
         f"Redis stalled: p99 < {TARGETS['stall_p99_ms']:g} ms and no caller past 15 s: "
         f"p99 {stall['p99_ms']:.1f} ms, {stall['over_15s']} past 15 s"),
        (stall["recovered_after_s"] is not None and stall["recovered_after_s"] <= TARGETS["recovery_s"],
         f"normal service within {TARGETS['recovery_s']:g} s of Redis resuming: {stall['recovered_after_s']} s"),
        (errors == 0, f"no errors: {errors}"),
    ):
        print(f"  [{'met' if met else 'NOT MET'}] {text}")
    return errors == 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers for each app (default 2)")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each measured run")
    parser.add_argument("--rounds", type=int, default=3, help="baseline/hotline throughput rounds")
    parser.add_argument("--saturate", type=int, default=16, help="conversations for the throughput runs")
    parser.add_argument("--conversations", type=int, default=50, help="conversations for the latency run")
    parser.add_argument("--think-ms", type=float, default=1000.0,
                        help="mean pause between a conversation's steps in the latency run (default 1000)")
    parser.add_argument("--latency-seconds", type=float, default=15.0, help="length of the latency run")
    parser.add_argument("--port", type=int, default=8711, help="hotline port; the baseline uses the next one")
    parser.add_argument("--redis-port", type=int, default=6391, help="port for the benchmark's own redis-server")
    parser.add_argument("--stall-seconds", type=float, help="how long Redis is stopped (SIGSTOP; default 30, 5 quick)")
    parser.add_argument("--stall-rate", type=float, default=4.0, help="new calls a second while it is stopped")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--languages", type=int, default=6)
    parser.add_argument("--no-preload", dest="preload", action="store_false",
                        help="load the apps in each worker instead of once in the gunicorn master")
    parser.add_argument("--hotline-dir", type=Path, default=ROOT,
                        help="serve the hotline from this checkout instead (before/after figures)")
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s: a smoke run, not figures")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.latency_seconds = 1, 3.0, 5.0
    if args.stall_seconds is None:
        args.stall_seconds = 5.0 if args.quick else 30.0
    problems = missing_prerequisites()
    if problems:
        print("bench: cannot run:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    result = benchmark(args)
    ok = report(args, result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
