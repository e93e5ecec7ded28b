"""Serve the published revision from Redis, and follow it when a new one is published.

Used instead of `bundle.Published` (which follows the files on disk) when the console is
on (`HOTLINE_CONSOLE=on`). It offers the same `current()` and `bundle`.

Rules this module keeps:
- Every process on every machine serves the revision Redis names as published. Each
  process looks at that name once every `HOTLINE_RELOAD_SECONDS`, in a thread of its own
  (one GET), and loads a new revision there too: a webhook never waits for a check and
  never makes an extra Redis round trip. (With 0 seconds, the look is made on every
  request instead, for tests and development.)
- A revision is loaded by writing its files to a private temporary folder and running
  `run_check` on it, the same check as `python -m hotline check`; a revision that fails
  it (which publishing never allows) is not served and the log says why.
- On first start with nothing published, the `flows/` and `locales/` folders become
  revision 1, if they pass the check. Later edits on disk are not served: they reach
  callers through `flask hotline revisions import`, which checks them first.
- If Redis cannot be reached at start-up, the files on disk are served (checked as
  always) until the published revision can be read: the hotline always answers.
- Recordings: a revision with a manifest (`recording_blobs.MANIFEST_FILE`, written by the
  console) is served with exactly those recordings, written from Redis into a folder of
  this process's own (one per revision), so every machine plays the same ones. A revision
  without one uses the audio folder on disk, as without the console.
- That folder is removed when its process exits (`own_folder`). Under gunicorn --preload the
  master makes one while the app is built and each worker its own when it loads a newer
  revision; a forked worker inherits the master's exit handlers, so each removal is bound
  to the process id that made the folder: neither removes the other's.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

import redis

from . import metrics
from .authoring.checks import Report, run_check
from .authoring.recordings import Recordings
from .bundle import Bundle
from .flow.loader import FlowError
from .state.recording_blobs import RecordingBlobs, read_manifest
from .state.revisions import RevisionStore, Stale, read_files, write_files

log = logging.getLogger("hotline.live")
SEED_AUTHOR = "(files)"
SEED_NOTE = "The flows/ and locales/ folders as they were at first start."
CACHE_SIZE = 12
_cache: OrderedDict[tuple, Report] = OrderedDict()
_cache_lock = threading.Lock()


def digest(files: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(files, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def own_folder(prefix: str) -> Path:
    """A new temporary folder of this process's own, removed when this process exits."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(_remove_if_made_here, folder, os.getpid())
    return folder


def _remove_if_made_here(folder: Path, pid: int) -> None:
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)


def check_files(files: dict[str, str], audio: tuple[str, str] | None = None,
                blobs: RecordingBlobs | None = None) -> Report:
    """`run_check` on a revision's files, written to a temporary folder for it; the
    problems name the files as the revision does (`flows/hotline.yaml`).

    The last few reports are remembered by the files' content: the console looks at the
    same versions again and again, and a process loading a revision it has just published
    (or checked in the console) does not check it twice. Given the `blobs`, a revision's
    own recordings (its manifest) are checked, not the audio folder's."""
    key = (digest(files), audio, blobs is not None)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    report = _check(files, audio, blobs)
    with _cache_lock:
        _cache[key] = report
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return report


def _check(files: dict[str, str], audio: tuple[str, str] | None, blobs: RecordingBlobs | None) -> Report:
    with tempfile.TemporaryDirectory(prefix="hotline-revision-") as root:
        flows_dir, locales_dir = write_files(files, root)
        recordings = None
        if audio:
            folder, manifest = audio[0], read_manifest(files)
            if manifest is not None and blobs is not None:
                folder = Path(root) / "recorded"
                blobs.materialise(manifest, folder)
            recordings = Recordings(folder, audio[1])
        report = run_check(flows_dir, locales_dir, recordings)
    prefix = str(Path(root)) + os.sep
    problems = tuple(replace(p, file=p.file.removeprefix(prefix)) for p in report.problems)
    return replace(report, problems=problems)


class LiveRevisions:
    """Holds the bundle of the published revision; `current()` is all a webhook calls."""

    #: What /healthz says of the flows (as `Published` does for files on disk).
    SERVED = "served as published"
    REFUSED = "the published revision fails the check or is missing: the last good version is served"

    def __init__(self, revisions: RevisionStore, flows_dir, locales_dir, every: float,
                 audio: tuple[str, str] | None = None):
        self.revisions, self.every, self.audio = revisions, every, audio
        self.blobs = RecordingBlobs(revisions.client)
        self._audio_root: tuple[int, Path] | None = None  # (process id, its folder of recordings)
        self.flows_dir, self.locales_dir = Path(flows_dir), Path(locales_dir)
        self._lock = threading.Lock()
        self._thread_pid: int | None = None
        self._refused: int | None = None  # a published revision that could not be served
        try:
            self.bundle = self._start()
        except redis.RedisError as exc:
            log.warning("Redis cannot be reached (%s): serving flows/ and locales/ from disk until the "
                        "published revision can be read", exc.__class__.__name__)
            self.bundle = self._from_disk()

    def _start(self) -> Bundle:
        number = self.revisions.published_number()
        if number is None:
            files = read_files(self.flows_dir, self.locales_dir)
            report = check_files(files, self.audio, self.blobs)
            if report.errors:
                raise FlowError(report.errors)
            try:
                revision = self.revisions.publish(files, SEED_AUTHOR, SEED_NOTE, expected=None)
                log.info("published flows/ and locales/ as revision %d", revision.number)
                return self._bundle(report, revision.number)
            except Stale as stale:  # another process seeded first
                number = stale.published
        bundle = self.load(number)
        if bundle is None:
            log.error("revision %s does not pass the check: serving flows/ and locales/ from disk", number)
            self._refused = number
            return self._from_disk()
        return bundle

    @property
    def refused(self) -> bool:
        """The revision named as published could not be served: an older version is."""
        return self._refused is not None

    def _from_disk(self) -> Bundle:
        report = check_files(read_files(self.flows_dir, self.locales_dir), self.audio)
        if report.errors:
            raise FlowError(report.errors)
        return self._bundle(report, None)

    def _bundle(self, report: Report, number: int | None, files: dict[str, str] | None = None) -> Bundle:
        recordings = None
        if self.audio:
            manifest = read_manifest(files or {})
            folder = self.audio[0] if manifest is None else self._recorded(number, manifest)
            recordings = Recordings(folder, self.audio[1])
        return Bundle(report.flows, report.catalogues, ("revision", number), recordings, report.alerts, number)

    def load(self, number: int) -> Bundle | None:
        """The bundle of revision `number`, or None (logged) if it is missing or fails the check."""
        revision = self.revisions.get(number)
        if revision is None:
            log.error("revision %d is named as published but is not in Redis", number)
            return None
        report = check_files(revision.files, self.audio, self.blobs)
        if report.errors:
            for problem in report.errors:
                log.warning("revision %d: %s", number, problem)
            return None
        return self._bundle(report, number, revision.files)

    def _recorded(self, number: int | None, manifest: dict[str, str]) -> Path:
        """Revision `number`'s recordings written into this process's folder for it; the
        folders of older revisions but the one served until now are removed."""
        if self._audio_root is None or self._audio_root[0] != os.getpid():
            self._audio_root = (os.getpid(), own_folder("hotline-recordings-"))
        root = self._audio_root[1]
        folder = root / str(number)
        lost = self.blobs.materialise(manifest, folder)
        if lost:
            log.error("revision %s names %d recordings Redis does not have; those sentences are spoken or "
                      "put through to a person", number, len(lost))
        serving = getattr(getattr(self, "bundle", None), "revision", None)
        for old in root.iterdir():
            if old.name not in (str(number), str(serving)):
                shutil.rmtree(old, ignore_errors=True)
        return folder

    def adopt(self, number: int) -> None:
        """Serve revision `number` now in this process (the console calls it after publishing)."""
        bundle = self.load(number)
        if bundle is not None:
            self.bundle = bundle

    def current(self) -> Bundle:
        if self.every == 0:
            self.follow()
        elif self._thread_pid != os.getpid():
            self._start_thread()
        return self.bundle

    def follow(self) -> None:
        """Look at the published revision once, and load it if it is new."""
        if not self._lock.acquire(blocking=False):
            return
        try:
            number = self.revisions.published_number()
            if number is not None and number not in (self.bundle.revision, self._refused):
                bundle = self.load(number)
                if bundle is None:
                    self._refused = number
                    metrics.RELOADS.labels("refused").inc()
                else:
                    self.bundle, self._refused = bundle, None
                    metrics.RELOADS.labels("served").inc()
                    log.info("now serving revision %d", number)
        except redis.RedisError as exc:
            log.warning("could not look for a new revision (%s); still serving revision %s",
                        exc.__class__.__name__, self.bundle.revision)
        except Exception:  # noqa: BLE001 - following must never stop the hotline answering
            log.exception("could not load the published revision; still serving revision %s", self.bundle.revision)
        finally:
            self._lock.release()

    def _start_thread(self) -> None:
        # Started in the process that serves (a gunicorn worker forks after the app is built).
        with self._lock:
            if self._thread_pid == os.getpid():
                return
            self._thread_pid = os.getpid()
        threading.Thread(target=self._watch, name="hotline-revisions", daemon=True).start()

    def _watch(self) -> None:
        while True:
            time.sleep(self.every)
            self.follow()
