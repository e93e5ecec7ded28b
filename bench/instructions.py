"""Instructions per webhook under callgrind, per scenario: a figure other work on the machine cannot move.

    python -m bench.instructions [--webhooks 100] [--redis-url redis://127.0.0.1:6379/9]
                                 [--apps hotline ceiling baseline] [--scenarios new_call ...]
                                 [--hotline-dir ../other-checkout]

Times on a shared machine wander by 10-30 % from one minute to the next, more than most
single optimisations are worth. Instructions do not: `valgrind --tool=callgrind` counts them
the same for the same code and inputs. For each app, one process under callgrind builds the
app and, for each scenario of `bench.scenarios`, replays its seed and a warm-up straight into
the WSGI callable, then answers `--webhooks` more of its signed webhooks between two marks
(`os.getpgrp()`, which nothing else here calls: callgrind dumps its counts before each, by
`--dump-before=getpgrp`). The count between the marks, divided by the webhooks, is the app's
own work per webhook (Flask, the form, the signature, the store's client side, the engine,
rendering), without the kernel's (sockets) or Redis's. The apps are counted side by side (one
process each); a run takes a minute or two. The Redis database given is flushed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .scenarios import NAMES

ROOT = Path(__file__).resolve().parent.parent
APPS = ("hotline", "ceiling", "baseline")
WARM = 24  # webhooks of each scenario answered before it is counted (first-use caches)

# Run under valgrind: build the app, then per scenario: seed and warm up, mark, answer, mark.
_REPLAY = """
import gc, logging, os, sys
import redis
from bench import scenarios
from bench.profile import PUBLIC_URL, TOKEN, environs_of, production_app, replay
which, url, count, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].split(",")
logging.disable(logging.WARNING)
if which == "baseline":
    from bench.baseline import app
elif which == "ceiling":
    from bench.ceiling import create_app
    app = create_app(url, TOKEN, PUBLIC_URL)
else:
    app = production_app(url)
gc.freeze()  # as wsgi.py does
client = redis.Redis.from_url(url)
for name in names:
    scenario = scenarios.build(name, %(warm)d + count)
    seed, warm = environs_of(scenario.seed), environs_of(scenario.requests[:%(warm)d])
    counted = environs_of(scenario.requests[%(warm)d:])
    client.flushdb()
    if seed:
        replay(app, seed)
    replay(app, warm)
    os.getpgrp()
    replay(app, counted)
    os.getpgrp()
"""


def count(app: str, url: str, webhooks: int, names: list[str], hotline_dir: Path = ROOT) -> dict[str, float]:
    """Thousands of instructions per webhook of `app`, per scenario; the hotline's package
    from `hotline_dir` (another checkout, for before/after figures), the benchmark from here."""
    with tempfile.TemporaryDirectory() as directory:
        where = Path(directory) / "code"
        where.mkdir()
        (where / "bench").symlink_to(ROOT / "bench")
        (where / "hotline").symlink_to(Path(hotline_dir).resolve() / "hotline")
        command = ["valgrind", "--tool=callgrind", "--dump-before=getpgrp", f"--callgrind-out-file={directory}/out",
                   sys.executable, "-c", _REPLAY % {"warm": WARM}, app, url, str(webhooks), ",".join(names)]
        done = subprocess.run(command, cwd=where, env={"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"},
                              capture_output=True, text=True, check=False)
        parts = {}
        for dump in Path(directory).glob("out.*"):
            found = re.search(r"^summary: (\d+)", dump.read_text(errors="replace"), re.M)
            parts[int(dump.suffix[1:])] = int(found.group(1)) if found else 0
    if done.returncode or len(parts) != 2 * len(names):
        raise SystemExit(f"bench: the {app} replay under valgrind failed:\n{done.stderr[-3000:]}")
    return {name: parts[2 * (i + 1)] / webhooks / 1000 for i, name in enumerate(names)}


def count_all(url_of, webhooks: int, apps=APPS, names=NAMES, hotline_dir: Path = ROOT) -> dict[str, dict[str, float]]:
    """`count` for each app at once, each on the Redis database `url_of(app)` (they are flushed)."""
    with ThreadPoolExecutor(len(apps)) as pool:
        found = {app: pool.submit(count, app, url_of(app), webhooks, list(names), hotline_dir) for app in apps}
    return {app: future.result() for app, future in found.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--webhooks", type=int, default=100, help="webhooks counted per scenario")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9",
                        help="a database this may flush (the next two numbers are used too)")
    parser.add_argument("--apps", nargs="+", choices=APPS, default=list(APPS))
    parser.add_argument("--scenarios", nargs="+", choices=NAMES, default=list(NAMES))
    parser.add_argument("--hotline-dir", type=Path, default=ROOT,
                        help="count the hotline package of this checkout instead (before/after figures)")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind"):
        print("bench: valgrind is not installed (Debian/Ubuntu: apt-get install -y valgrind)", file=sys.stderr)
        return 2
    base, _, db = args.redis_url.rpartition("/")
    found = count_all(lambda app: f"{base}/{int(db) + APPS.index(app)}", args.webhooks, args.apps, args.scenarios,
                      args.hotline_dir)
    print(f"thousands of instructions per webhook ({args.webhooks} webhooks per scenario, after {WARM} to warm up)")
    print(f"  {'scenario':<14}" + "".join(f"{app:>10}" for app in args.apps)
          + ("   hotline / ceiling" if {"hotline", "ceiling"} <= set(args.apps) else ""))
    both = "ceiling" in found and "hotline" in found
    for name in args.scenarios:
        ratio = f"   {found['hotline'][name] / found['ceiling'][name]:.2f}" if both else ""
        print(f"  {name:<14}" + "".join(f"{found[app][name]:>10,.0f}" for app in args.apps) + ratio)
    return 0


if __name__ == "__main__":
    sys.exit(main())
