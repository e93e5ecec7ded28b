"""Time the coordinators' check on a generated flow set, and what it leaves in memory.

    python -m bench.check [--nodes 1000] [--languages 6] [--rounds 3]

Prints JSON: `wall_s`, the median time of `python -m hotline check` on the set (Python
start-up and imports included: what a coordinator waits for) and its CPU time `cpu_s` (which
moves less with other work on the machine), and, from one fresh process
that runs the check the way a serving process does at start (`run_check`), `first_s` and
`again_s` (the same check once more, as at a reload with nothing changed; CPU seconds), that process's
RSS once the check is over (`rss_mb`) and its peak (`peak_mb`): a check that got faster by
keeping more must show here. `bench/run.py` reports `wall_s` beside the server figures.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .flowset import generate

ROOT = Path(__file__).resolve().parent.parent


def time_check(nodes: int, languages: int, rounds: int = 3) -> dict:
    """Generate the flow set, then time `python -m hotline check` on it, and one in-process check."""
    with tempfile.TemporaryDirectory() as directory:
        generate(directory, nodes, languages)
        command = [sys.executable, "-m", "hotline", "--flows", directory, "--locales", f"{directory}/locales", "check"]
        walls, cpus = [], []
        for _ in range(rounds):
            began, used = time.perf_counter(), _children_cpu()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
            walls.append(time.perf_counter() - began)
            cpus.append(_children_cpu() - used)
        inside = subprocess.run([sys.executable, "-m", "bench.check", "--in-process", directory], cwd=ROOT,
                                capture_output=True, text=True, check=True)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-200:]
    return {"nodes": nodes, "languages": languages, "wall_s": round(statistics.median(walls), 3),
            "cpu_s": round(statistics.median(cpus), 3), "exit": done.returncode, "summary": summary,
            **json.loads(inside.stdout)}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _megabytes(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def in_process(directory: str) -> dict:
    """Check `directory` twice in this process, as a serving process checks at start and reload."""
    import gc

    from hotline.authoring.checks import run_check

    began = time.process_time()
    run_check(directory, f"{directory}/locales")
    first = time.process_time()
    run_check(directory, f"{directory}/locales")
    again = time.process_time()
    gc.collect()
    return {"first_s": round(first - began, 3), "again_s": round(again - first, 3),
            "rss_mb": _megabytes("VmRSS"), "peak_mb": _megabytes("VmHWM")}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--languages", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3, help="runs of 'hotline check' (the median is printed)")
    parser.add_argument("--in-process", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:
        print(json.dumps(in_process(args.in_process)))
    else:
        print(json.dumps(time_check(args.nodes, args.languages, args.rounds)))


if __name__ == "__main__":
    main()
