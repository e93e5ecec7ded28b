"""The folders a serving process makes for itself are gone when it stops.

With the console on, each process writes the published revision's recordings into a folder of
its own under the temporary directory. Under gunicorn --preload the master makes one while the
app is built and every worker makes its own when it loads a newer revision; a stopped server
must leave none behind (a busy line publishes often, and restarts would fill the disk).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.request import urlopen

from hotline.state.recording_blobs import MANIFEST_FILE, RecordingBlobs
from hotline.state.revisions import RevisionStore, read_files

from .conftest import FIXTURE, ROOT, SETTINGS
from .servers import free_port, stop, wait_for

STEM = "0123456789ab"  # a recording's name in a manifest: a content hash's first 12 digits


def publish_with_recording(client, sound: bytes, expected: int | None) -> int:
    files = read_files(FIXTURE / "flows", FIXTURE / "locales")
    manifest = {f"ht/{STEM}.mp3": RecordingBlobs(client).put(sound)}
    files[MANIFEST_FILE] = json.dumps(manifest)
    return RevisionStore(client).publish(files, "test", "with a recording", expected=expected).number


def recording_folders(tmp: os.PathLike) -> list[str]:
    return sorted(name for name in os.listdir(tmp) if name.startswith("hotline-recordings-"))


def test_a_stopped_server_leaves_no_folder_of_recordings(redis_client, tmp_path):
    first = publish_with_recording(redis_client, b"ID3 first", expected=None)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = free_port()
    env = {**os.environ, **SETTINGS, "HOTLINE_CONSOLE": "on", "HOTLINE_RELOAD_SECONDS": "0", "TMPDIR": str(tmp)}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--preload", "--workers", "2", "--bind",
                               f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: urlopen(f"http://127.0.0.1:{port}/healthz").status == 200, f"gunicorn on {port}")
        assert len(recording_folders(tmp)) == 1, "the master's, made while the app was built"
        publish_with_recording(redis_client, b"ID3 second", expected=first)
        for _ in range(20):  # each worker looks on every request, and loads the new revision into its own
            urlopen(f"http://127.0.0.1:{port}/healthz").read()
        assert len(recording_folders(tmp)) >= 2, "a worker that loaded the new revision made its own"
    finally:
        stop([server])
    assert server.returncode == 0
    assert recording_folders(tmp) == []
