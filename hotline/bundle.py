"""The flows and catalogues being served, and how an edit to them goes live without a restart.

Rules this module keeps:
- Flows and catalogues travel together as one immutable `Bundle`; a request takes the
  current bundle once and uses it throughout, and a reload replaces the whole bundle with
  one assignment. A request never sees new flows with old translations.
- At most once every `every` seconds (0: on every request) a request looks at the files'
  sizes and modification times. Only when they changed is the full coordinators' check
  run; a version with errors is not served: the last good one stays, and the log says why
  in `file:line: error: ...` lines. The same broken version is not checked twice.
- Recordings for languages Twilio cannot speak (hotline/authoring/recordings.py) travel in the bundle too,
  and adding one counts as an edit.
- Calls in progress carry on with the new bundle; a session whose node has gone restarts
  at the main menu in its own language (the engine's rule).
- Only one thread checks at a time; the others keep answering with the current bundle.
  Each server process (gunicorn worker) looks at the files for itself.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import metrics
from .authoring.checks import run_check
from .authoring.recordings import Recordings
from .flow.loader import FlowError
from .flow.model import FlowSet
from .i18n import Catalogues
from .outbound.plan import AlertsPlan

log = logging.getLogger("hotline.reload")


@dataclass(frozen=True)
class Bundle:
    flows: FlowSet
    catalogues: Catalogues
    stamp: tuple  # the files it was loaded from, as `stamp_of` sees them
    recordings: Recordings | None = None
    alerts: AlertsPlan | None = None  # flows/alerts.yaml (drug-supply alerts), if there is one
    revision: int | None = None  # the published revision it is (hotline.live), None: read from disk


def stamp_of(flows_dir: Path, locales_dir: Path, audio_dir: Path | None = None) -> tuple:
    """(file, modification time, size) of every flow file, catalogue and recording: changes when one is edited."""
    files = sorted(Path(flows_dir).glob("*.yaml")) + sorted(Path(locales_dir).glob("*/LC_MESSAGES/*.po"))
    if audio_dir is not None:
        files += sorted(Path(audio_dir).glob("*/*"))
    stamp = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        stamp.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamp)


class Published:
    """Holds the bundle being served and swaps in a checked new one when the files change."""

    def __init__(self, flows_dir, locales_dir, every: float, clock: Callable[[], float] = time.monotonic,
                 audio: tuple[str, str] | None = None):
        """`audio`: (folder of recordings, URL Twilio fetches them from), or None for none."""
        self.flows_dir, self.locales_dir, self.every, self.clock = Path(flows_dir), Path(locales_dir), every, clock
        self.audio_dir = Path(audio[0]) if audio else None
        self.audio_url = audio[1] if audio else ""
        bundle, errors = self._load(self._stamp())
        if bundle is None:
            raise FlowError(errors)
        self.bundle = bundle
        self._refused: tuple | None = None
        self._next_look = clock() + every
        self._lock = threading.Lock()

    #: What /healthz says of the flows: served as they are, or refused.
    SERVED, REFUSED = "served as on disk", "the files on disk fail the check: the last good version is served"

    @property
    def refused(self) -> bool:
        """The files on disk now fail the check: the last good version is being served."""
        return self._refused is not None

    def current(self) -> Bundle:
        """The bundle to answer this request with, after a look at the files when one is due."""
        if self.clock() >= self._next_look and self._lock.acquire(blocking=False):
            try:
                self._next_look = self.clock() + self.every
                stamp = self._stamp()
                if stamp not in (self.bundle.stamp, self._refused):
                    self._reload_safely(stamp)
            finally:
                self._lock.release()
        return self.bundle

    def _reload_safely(self, stamp: tuple) -> None:
        try:
            self.reload(stamp)
        except Exception:  # noqa: BLE001 - a failed reload must never stop the hotline answering
            self._refused = stamp
            log.exception("flows and catalogues NOT reloaded, still serving the last good version")

    def reload(self, stamp: tuple) -> bool:
        bundle, errors = self._load(stamp)
        if bundle is None:
            self._refused = stamp
            metrics.RELOADS.labels("refused").inc()
            log.warning("flows and catalogues NOT reloaded, still serving the last good version (%d error%s):",
                        len(errors), "s" * (len(errors) != 1))
            for problem in errors:
                log.warning("%s", problem)
            return False
        self.bundle, self._refused = bundle, None
        metrics.RELOADS.labels("served").inc()
        log.info("reloaded the edited flows and catalogues")
        return True

    def _stamp(self) -> tuple:
        return stamp_of(self.flows_dir, self.locales_dir, self.audio_dir)

    def _load(self, stamp: tuple):
        recordings = Recordings(self.audio_dir, self.audio_url) if self.audio_dir else None
        report = run_check(self.flows_dir, self.locales_dir, recordings)
        if report.errors:
            return None, report.errors
        return Bundle(report.flows, report.catalogues, stamp, recordings, report.alerts), []
