"""A private, throw-away redis-server for the coordinators' simulator.

The simulator runs the hotline itself (`service.Hotline`), which keeps every conversation,
counter and opt-out in Redis. It must never touch the programme's own Redis (a simulated
STOP must not opt a real number out, nor a simulated flood fill the real counters), so it
gets a server of its own.

Rules this module keeps:
- One server per process, started at the first use, on a Unix socket in a new temporary
  folder (no port to collide with), keeping nothing on disk; stopped and its folder deleted
  when the process exits.
- No redis-server on the machine is a plain `NoRedisServer` saying how to install one.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import redis

START_SECONDS = 10
_server: dict = {}


class NoRedisServer(RuntimeError):
    """No redis-server can be started here; the message says how to get one."""


def scratch_url() -> str:
    """The `unix://` URL of this process's private redis-server, started if need be."""
    if "url" not in _server:
        _start()
    return _server["url"]


def _start() -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        raise NoRedisServer("the simulator runs the hotline itself, which keeps each conversation in Redis: "
                            "install redis-server (./dev serve does it on Debian and Ubuntu), then try again")
    folder = Path(tempfile.mkdtemp(prefix="hotline-simulator-"))
    socket = folder / "redis.sock"
    process = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"unix://{socket}"
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            redis.Redis.from_url(url, socket_timeout=1).ping()
            break
        except (redis.ConnectionError, FileNotFoundError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                shutil.rmtree(folder, ignore_errors=True)
                raise NoRedisServer(f"redis-server did not start for the simulator (exit code {process.poll()})") \
                    from None
            time.sleep(0.02)
    _server.update(url=url, process=process, folder=folder)
    atexit.register(_stop)


def _stop() -> None:
    process, folder = _server.pop("process", None), _server.pop("folder", None)
    _server.pop("url", None)
    if process is not None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
