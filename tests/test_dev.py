"""`./dev` on a machine like a fresh Debian or Ubuntu one: the system's Python refuses pip
(PEP 668), so everything goes into a project-local `.venv`.

The "system" Python here is the interpreter running the suite, copied into a prefix of its own
whose standard library carries an EXTERNALLY-MANAGED marker: pip decides by that file
(`sysconfig.get_path("stdlib")/EXTERNALLY-MANAGED`, outside a virtual environment), exactly
as on Debian. Creating the venv and installing the pinned requirements into it is real, so
this test takes a while (mostly pip downloading).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pip
import pytest
import redis

from .conftest import FIXTURE, ROOT
from .servers import free_port

PROJECT_FILES = ("dev", "wsgi.py", "requirements.txt", "babel.cfg", "hotline", "flows", "locales", "audio")


def externally_managed_python(prefix: Path) -> Path:
    """A Python whose stdlib is marked externally managed, with nothing installed in it."""
    stdlib = Path(sysconfig.get_path("stdlib"))
    (prefix / "bin").mkdir(parents=True)
    python = prefix / "bin" / "python3"
    shutil.copy2(sys._base_executable, python)  # a copy (not a link): its own prefix is `prefix`
    lib = prefix / "lib" / stdlib.name
    lib.mkdir(parents=True)
    for entry in stdlib.iterdir():
        if entry.name != "site-packages":
            (lib / entry.name).symlink_to(entry)
    (lib / "site-packages").mkdir()
    (lib / "EXTERNALLY-MANAGED").write_text(
        "[externally-managed]\nError=This Python belongs to the system: use a virtual environment.\n")
    return python


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HOTLINE_", "REDIS_", "TWILIO_", "VIRTUAL_ENV", "PYTHON"))}
    return {**env, **extra}


def wait_for(url: str, process: subprocess.Popen, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "./dev serve stopped"
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                return answer.read()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url} in {seconds} s")


def shutdown_quietly(port: int) -> None:
    with contextlib.suppress(redis.RedisError):
        redis.Redis(port=port, socket_connect_timeout=1).shutdown(nosave=True)


def test_dev_serve_works_with_an_externally_managed_python_and_says_how_to_stop_its_redis(tmp_path):
    python = externally_managed_python(tmp_path / "system")
    refused = subprocess.run([python, "-m", "pip", "install", "--dry-run", "six"], capture_output=True, text=True,
                             env={**clean_env(), "PYTHONPATH": str(Path(pip.__file__).parent.parent)}, timeout=120)
    assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr, "pip sees the marker"
    project = tmp_path / "project"
    project.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for name in PROJECT_FILES:  # the fixture's content, not the shipped demo's
        source = FIXTURE / name if name in ("flows", "locales") else ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=ignore)
        else:
            shutil.copy2(source, project / name)
    redis_port, web_port = free_port(), free_port()
    log = (tmp_path / "dev.log").open("w+")
    env = clean_env(PYTHON=str(python), REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", PORT=str(web_port))
    serving = subprocess.Popen(["./dev", "serve"], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    stop = None
    try:
        landing = wait_for(f"http://127.0.0.1:{web_port}/", serving, 400)
        assert b"Harm Reduction Hotline" in landing and b"/healthz" in landing
        said = Path(log.name).read_text()
        stop = re.search(r"stop it with: (redis-cli -p (\d+) shutdown)", said)
        assert stop and stop.group(2) == str(redis_port), said
        assert list((python.parent.parent / "lib").glob("*/site-packages/*")) == [], "nothing in the system Python"
        flask_home = subprocess.run([project / ".venv" / "bin" / "python", "-c", "import flask; print(flask.__file__)"],
                                    capture_output=True, text=True, check=True).stdout
        assert flask_home.startswith(str(project / ".venv")), "the requirements are in the project's .venv"
    finally:
        os.killpg(serving.pid, signal.SIGINT)  # Ctrl-C: ./dev, the web server and the alerts worker
        serving.wait(timeout=30)
        if stop:  # the command ./dev gave, as a developer would type it
            subprocess.run(stop.group(1).split(), check=True, capture_output=True, timeout=30)
        else:  # the test failed: still leave no server behind
            shutdown_quietly(redis_port)
    with pytest.raises(redis.ConnectionError):  # stopped by the command ./dev printed
        redis.Redis(port=redis_port, socket_connect_timeout=1).ping()
    # A Redis named elsewhere that does not answer: said plainly, and no local server started.
    # (127.0.0.3 is loopback, so nothing leaves this machine, but it is not the local server ./dev would start.)
    elsewhere = free_port()
    done = subprocess.run(["./dev", "serve"], cwd=project, capture_output=True, text=True, timeout=120,
                          env={**env, "REDIS_URL": f"redis://127.0.0.3:{elsewhere}/0"})
    assert done.returncode == 1
    assert f"no Redis answers at 127.0.0.3:{elsewhere}" in done.stderr and "starting" not in done.stderr
    with pytest.raises(redis.ConnectionError):  # no local redis-server was started for it
        redis.Redis(port=elsewhere, socket_connect_timeout=1).ping()
