"""The benchmark: the hotline's webhooks against a bare Flask app and a ceiling app, on this machine.

    python bench/run.py [--workers 2] [--seconds 4] [--rounds 3] [--server gunicorn|granian] [--quick]

In one run it starts its own redis-server and four apps with the same server settings
(`bench.servers`): the hotline in production mode, the ceiling app (`bench/ceiling.py`: the
least a signed, stateful Flask webhook can do), the bare Flask baseline and a stateless IVR
of the kind Twilio's tutorial builds. wrk (`bench/wrk.py`) then sends each scenario of
`bench.scenarios` (a new call's first webhook, a later call step, a text from a new number,
from a known number, and the whole-conversation mix) to each app in turn, round after
round (other work on the machine slows all alike, and the median of each round's ratio is
reported). It counts Redis's round trips (under MONITOR) and CPU per webhook per scenario,
each worker's peak RSS and PSS, runs 50 paced conversations for latency, times `python -m
hotline check` on a generated 1,000-node, 6-language flow set, and counts instructions per
webhook under callgrind (`bench.instructions`; not with --quick). Last, the "Redis stalled"
run (`bench/stall.py`): Redis stopped with SIGSTOP while new calls keep arriving, to see
that every caller still gets the safe answer at once. It prints the figures and whether
each target is met, and exits 1 if any request failed. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scenarios, wrk  # noqa: E402 - after the path is set
from bench.check import time_check  # noqa: E402
from bench.figures import stats_memory  # noqa: E402
from bench.profile import TOKEN  # noqa: E402
from bench.report import report  # noqa: E402
from bench.servers import Servers, send  # noqa: E402

SETTLE = 0.3  # seconds
OTHERS = ("baseline", "ceiling")  # measured beside the hotline in every scenario; the IVR in call_step only


def missing_prerequisites(args) -> list[str]:
    problems = []
    for program, package in (("redis-server", "redis-server"), ("wrk", "wrk")):
        if not shutil.which(program):
            problems.append(f"{program} is not installed (Debian/Ubuntu: apt-get install -y {package})")
    if not args.quick and not args.no_instructions and not shutil.which("valgrind"):
        problems.append("valgrind is not installed (apt-get install -y valgrind), or pass --no-instructions")
    modules = ("gunicorn", "flask", "twilio", "redis", "babel", "yaml", *(("granian",) * (args.server == "granian")))
    for module in modules:
        try:
            __import__(module)
        except ImportError:
            problems.append(f"Python package '{module}' is missing (python3 -m pip install -r requirements-dev.txt)")
    return problems


class Paced:
    """The asyncio load generator (`bench/load.py`) for paced conversations: at 46 webhooks a
    second its own cost does not matter, and it plays each conversation in order."""

    def __init__(self):
        self.count = 0

    def __call__(self, port: int, conversations: int, seconds: float, think_ms: float, check=True) -> dict:
        self.count += 1
        command = [sys.executable, "-m", "bench.load", "--port", str(port), "--conversations", str(conversations),
                   "--seconds", str(seconds), "--think-ms", str(think_ms), "--token", TOKEN,
                   "--first", str(self.count * 1_000_000)]
        done = subprocess.run(command + ([] if check else ["--no-check"]), cwd=ROOT, capture_output=True,
                              text=True, check=False)
        if done.returncode:
            raise SystemExit(f"bench: the load generator failed:\n{done.stderr}")
        return json.loads(done.stdout)


class Bench:
    def __init__(self, args, servers: Servers, directory: Path):
        self.args, self.servers, self.directory = args, servers, directory
        self.files, self.seeds = {}, {}

    def prepare(self, count: int) -> None:
        """Build, sign and write each scenario's requests, and seed the hotline once to take
        a snapshot of what the seed leaves in Redis (put back before each measured run)."""
        for name in self.args.scenarios:
            scenario = scenarios.build(name, min(count, 30_000))
            self.files[name] = self.directory / f"{name}.bin"
            wrk.write_requests(self.files[name], scenario.requests, TOKEN, self.servers.ports["hotline"])
            self.servers.redis.flushdb()
            for request in scenario.seed:
                status = send(self.servers.url("hotline", ""), request)
                if status != 200:
                    raise SystemExit(f"bench: seeding {name} got HTTP {status}")
            self.seeds[name] = self.servers.snapshot()

    def run(self, app: str, name: str, seconds: float, connections: int = wrk.CONNECTIONS) -> dict:
        servers = self.servers
        if app == "hotline":
            servers.restore(self.seeds[name])
        elif app == "ceiling":
            servers.ceiling_redis.flushdb()
        servers.redis.config_resetstat()
        cpu, app_cpu = servers.redis_cpu(), servers.workers_cpu(app)
        found = wrk.run(servers.ports[app], self.files[name], seconds, check=app == "hotline",
                        connections=connections)
        # wrk stops sending at its deadline, but the requests already queued at the app are
        # still answered: let them finish before anything is counted or the next run starts.
        time.sleep(SETTLE)
        webhooks = max(found["requests"], 1)
        found["redis_cpu_us"] = (servers.redis_cpu() - cpu) / webhooks * 1e6
        found["app_cpu_us"] = (servers.workers_cpu(app) - app_cpu) / webhooks * 1e6
        found["commands"] = {command: calls / webhooks for command, calls in servers.command_calls().items()}
        return found

    def rounds(self) -> dict:
        found = {name: [] for name in self.args.scenarios}
        for number in range(self.args.rounds):
            for name in self.args.scenarios:
                apps = [*OTHERS, *(("ivr",) * (name == "call_step")), "hotline"]
                apps = apps[number % len(apps):] + apps[:number % len(apps)]  # no app always first
                found[name].append({app: self.run(app, name, self.args.seconds) for app in apps})
        return found

    def trips(self) -> dict:
        """Round trips per hotline webhook, per scenario, on a short separate run under MONITOR
        (one connection: the request still in flight when wrk stops adds at most 1 to the
        commands of some hundreds of webhooks)."""
        found = {}
        for name in self.args.scenarios:
            self.servers.restore(self.seeds[name])
            run, seen = self.servers.monitored(lambda name=name: wrk.run(
                self.servers.ports["hotline"], self.files[name], 2, check=True, connections=1))
            time.sleep(SETTLE)
            direct, scripted = {}, {}
            for source, command in seen:
                table = scripted if source == "lua" else direct
                table[command] = table.get(command, 0) + 1
            webhooks = max(run["requests"], 1)
            found[name] = {"webhooks": run["requests"], "errors": run["errors"],
                           "per_webhook": sum(direct.values()) / webhooks,
                           "direct": {k: v / webhooks for k, v in sorted(direct.items())},
                           "in_scripts": {k: v / webhooks for k, v in sorted(scripted.items())}}
        return found


def stalled(servers: Servers, args) -> dict:
    """The "Redis stalled" run: new calls at `--stall-rate` a second for `--stall-seconds`
    while the benchmark's redis-server is stopped (SIGSTOP), then resumed."""
    command = [sys.executable, "-m", "bench.stall", "--port", str(servers.ports["hotline"]),
               "--redis-pid", str(servers.processes[0].pid), "--rate", str(args.stall_rate),
               "--seconds", str(args.stall_seconds), "--token", TOKEN, "--first", "9000000"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"bench: the stall run failed:\n{done.stderr}")
    return json.loads(done.stdout)


def benchmark(args) -> dict:
    result = {"load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as directory, Servers(args) as servers:
        bench, paced = Bench(args, servers, Path(directory)), Paced()
        # Warm every app up, and size the request lists from the hotline's pace: every
        # measured request must be new to it (a repeat is answered from memory).
        bench.prepare(3000)
        for app in ("baseline", "ceiling", "ivr", "hotline"):
            warm = bench.run(app, "mix", 1.0)
        bench.prepare(int(max(warm["rps"], 500) * 2.5 * args.seconds))
        result["rounds"] = bench.rounds()
        result["figures_memory"] = stats_memory(servers.redis)  # what the last measured hotline run counted
        result["trips"] = bench.trips()
        servers.redis.flushdb()
        result["paced"] = paced(servers.ports["hotline"], args.conversations, args.latency_seconds, args.think_ms)
        result["paced_base"] = paced(servers.ports["baseline"], args.conversations, args.latency_seconds,
                                     args.think_ms, check=False)
        result["memory"] = {app: servers.memory_mb(app) for app in ("hotline", "ceiling", "baseline")}
        result["stall"] = stalled(servers, args)
    result["check"] = time_check(args.nodes, args.languages)
    if not (args.quick or args.no_instructions):
        from bench.instructions import count_all

        with Servers(args) as servers:  # only its Redis is used: callgrind runs the apps in-process
            base = servers.redis_url[:-1]
            result["instructions"] = count_all(
                lambda app: base + str(2 + ("hotline", "ceiling", "baseline").index(app)),
                args.webhooks, names=args.scenarios, hotline_dir=args.hotline_dir)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="workers for each app (default 2)")
    parser.add_argument("--server", choices=("gunicorn", "granian"), default="gunicorn",
                        help="gunicorn sync workers (default), or granian's WSGI workers")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each measured run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every app in every scenario")
    parser.add_argument("--scenarios", nargs="+", choices=scenarios.NAMES, default=list(scenarios.NAMES))
    parser.add_argument("--conversations", type=int, default=50, help="conversations for the latency run")
    parser.add_argument("--think-ms", type=float, default=1000.0,
                        help="mean pause between a conversation's steps in the latency run (default 1000)")
    parser.add_argument("--latency-seconds", type=float, default=15.0, help="length of the latency run")
    parser.add_argument("--stall-seconds", type=float, help="how long Redis is stopped (SIGSTOP; default 30, 5 quick)")
    parser.add_argument("--stall-rate", type=float, default=4.0, help="new calls a second while it is stopped")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--languages", type=int, default=6)
    parser.add_argument("--webhooks", type=int, default=60, help="webhooks per scenario counted under callgrind")
    parser.add_argument("--no-instructions", action="store_true", help="skip the callgrind counts")
    parser.add_argument("--no-preload", dest="preload", action="store_false",
                        help="gunicorn: load the apps in each worker instead of once in the master")
    parser.add_argument("--hotline-dir", type=Path, default=ROOT,
                        help="serve the hotline from this checkout instead (before/after figures)")
    parser.add_argument("--quick", action="store_true",
                        help="1 round of 2 s, no callgrind: a smoke run in about a minute, not figures")
    parser.add_argument("--json", help="also write every figure to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds, args.seconds, args.latency_seconds = 1, 2.0, 5.0
    if args.stall_seconds is None:
        args.stall_seconds = 5.0 if args.quick else 30.0
    problems = missing_prerequisites(args)
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
