"""Flood and toll-fraud limits: how many texts and calls one number, and everyone, may send.

Rules this module keeps:
- Counted in Redis in the same round trip that reads the session (`SessionStore.read`),
  keyed by the number's keyed hash (never the number), each counter expiring with its
  window.
- Past a texter's own limit they get one polite reply, then silence. Past the overall
  limit (a flood from many numbers), each number gets the polite reply to its first text
  of the window, then silence.
- A caller past a limit is never left without the emergency advice: they hear it and a
  goodbye, but are not transferred (transfers are what toll fraud pays for).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..flow.phrases import N_
from .sessions import PREFIX

LIMIT_SMS = N_(
    "You have sent many messages. Please wait a while before you text again. "
    "If someone is not breathing or will not wake up, call {emergency} now."
)
LIMIT_VOICE = N_(
    "This line has had too many calls. If someone is not breathing or will not wake up, "
    "hang up and call {emergency} now. Please call again later."
)


class Verdict(Enum):
    OK = "ok"  # answer as usual
    WARN = "warn"  # the one polite reply
    QUIET = "quiet"  # nothing (SMS) or the emergency advice only (voice)


@dataclass(frozen=True)
class Limits:
    window: int  # seconds
    per_number: int
    total: int

    def counters(self, channel: str, digest: str) -> list[tuple[str, int]]:
        """(key, TTL) of this number's counter and everyone's, for `SessionStore.read`."""
        return [(f"{PREFIX}:rate:{channel}:{digest}", self.window), (f"{PREFIX}:rate:{channel}", self.window)]

    def verdict(self, counts: tuple[int, ...]) -> Verdict:
        mine, everyone = counts
        if mine > self.per_number:
            return Verdict.WARN if mine == self.per_number + 1 else Verdict.QUIET
        if everyone > self.total:
            return Verdict.WARN if mine == 1 else Verdict.QUIET
        return Verdict.OK
