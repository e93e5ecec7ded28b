"""Real servers for the tests that need them: a private redis-server, gunicorn, signed HTTP.

Every port is found free by binding port 0, never fixed: other suites run at the same time.
A test that pauses or stops a Redis starts its own (`RedisServer`), never the shared one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
import redis
from twilio.request_validator import RequestValidator

from .conftest import PUBLIC_URL, ROOT, SETTINGS, TOKEN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.05)
    pytest.fail(f"{what} did not come up within {seconds:.0f} s")


def stop(processes) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class RedisServer:
    """A private redis-server that a test can stop, start again on the same port, or pause."""

    def __init__(self, directory=None, options: tuple[str, ...] = ("--appendonly", "no")):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.directory, self.options = directory, options

    def start(self) -> None:
        where = ["--dir", str(self.directory)] if self.directory else []
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *where, *self.options],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, so only what is already on disk survives."""
        self.process.kill()
        self.process.wait(timeout=10)

    def pause(self) -> None:
        """SIGSTOP: the server still accepts connections, and answers nothing: a stall."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)


#: The server the real-server tests run the hotline under: gunicorn (the default, as in
#: production), or `HOTLINE_TEST_SERVER=granian` to run them once under granian (docs/deploy.md).
SERVER = os.environ.get("HOTLINE_TEST_SERVER", "gunicorn")


def server_command(port: int, workers: int) -> list[str]:
    if SERVER == "granian":
        return [sys.executable, "-m", "granian", "--interface", "wsgi", "--workers", str(workers), "--host",
                "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-ws", "wsgi:app"]
    return [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--log-level", "warning", "wsgi:app"]


@contextlib.contextmanager
def gunicorn(settings: dict, workers: int = 2):
    """The hotline under gunicorn (sync workers, as in production; or `SERVER`) with these
    settings; yields its port."""
    port = free_port()
    env = {**os.environ, **SETTINGS, **settings}
    process = subprocess.Popen(server_command(port, workers), cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(lambda: urlopen(f"http://127.0.0.1:{port}/healthz").status == 200, f"{SERVER} on {port}")
        yield port
    finally:
        stop([process])


def post(port: int, path: str, params: dict) -> ET.Element:
    """A signed webhook over real HTTP; the answer parsed as TwiML."""
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC_URL + path, params)
    request = Request(f"http://127.0.0.1:{port}{path}", urlencode(params).encode(),
                      headers={"X-Twilio-Signature": signature})
    try:
        with urlopen(request, timeout=10) as response:
            assert response.status == 200
            return ET.fromstring(response.read())
    except HTTPError as error:  # pragma: no cover - the assertion below explains it
        pytest.fail(f"{path} answered {error.code}")
