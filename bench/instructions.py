"""Instructions per webhook, counted by valgrind: a figure other work on the machine cannot move.

    python -m bench.instructions [--webhooks 100] [--redis-url redis://127.0.0.1:6379/9] [--baseline]

Times on a shared machine wander by 10-30 % from one minute to the next, more than most
single optimisations are worth. Instructions do not: `valgrind --tool=callgrind` counts them
the same for the same code and inputs. This runs the in-process replay of `bench.profile`
twice under callgrind, once warming up only and once also answering `--webhooks` signed
webhooks, and prints the difference per webhook: the app's own work (Flask, the signature,
the store's client side, the engine, rendering), without the kernel's (sockets) or Redis's.
`--baseline` counts the bare Flask app of `bench/baseline.py` instead. Each run takes a
minute or two (valgrind is slow); the Redis database given is flushed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run under valgrind: build the app, warm it up, then answer the first `count` of `total`
# prepared webhooks (they are prepared, and signed, in both runs, so only answering differs).
_REPLAY = """
import sys
from bench.profile import environs, production_app, replay
count, total, url, baseline = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
if baseline:
    from bench.baseline import app
else:
    import logging
    logging.disable(logging.WARNING)
    app = production_app(url)
replay(app, environs(15, first=10**6))
prepared = environs(total // 9 + 1, first=5 * 10**6)[:total]
if count:
    replay(app, prepared[:count])
"""


def instructions(count: int, total: int, url: str, baseline: bool) -> int:
    with tempfile.TemporaryDirectory() as directory:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={directory}/out", sys.executable, "-c",
                   _REPLAY, str(count), str(total), url, "1" if baseline else "0"]
        done = subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
                              capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise SystemExit(f"bench: the replay under valgrind failed:\n{done.stderr[-3000:]}")
    return int(found.group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--webhooks", type=int, default=100)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9", help="a database this may flush")
    parser.add_argument("--baseline", action="store_true", help="count the bare Flask baseline instead")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind"):
        print("bench: valgrind is not installed (Debian/Ubuntu: apt-get install -y valgrind)", file=sys.stderr)
        return 2
    warm = instructions(0, args.webhooks, args.redis_url, args.baseline)
    answered = instructions(args.webhooks, args.webhooks, args.redis_url, args.baseline)
    name = "baseline (bare Flask)" if args.baseline else "hotline"
    print(f"{name}: {(answered - warm) / args.webhooks / 1000:,.0f} thousand instructions per webhook "
          f"({args.webhooks} webhooks)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
