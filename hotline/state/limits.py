"""Flood and toll-fraud limits: how many texts and calls one number, and everyone, may send.

Rules this module keeps:
- Counted in Redis in the same round trip that reads the session (`SessionStore.read`),
  keyed by the number's keyed hash (never the number), each counter expiring with its
  window.
- Past a texter's own limit they get one polite reply, then silence. Past the overall
  limit (a flood from many numbers), each number gets a notice to its first text of the
  window that says the line is busy (never "you sent many messages"), then silence.
- A withheld caller id ("anonymous", "restricted" ...) is many people, not one number: it
  counts only in the overall limit.
- Consent and emergencies come first (see `service`): STOP is kept past any limit, and
  emergency words get the overdose steps, once per number every `SOS_SECONDS`.
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
LIMIT_SMS_BUSY = N_(
    "This line is getting too many messages right now. Please text again later. "
    "If someone is not breathing or will not wake up, call {emergency} now."
)
LIMIT_VOICE = N_(
    "This line has had too many calls. If someone is not breathing or will not wake up, "
    "hang up and call {emergency} now. Please call again later."
)


#: Past a limit, emergency words still get the overdose steps, once per number this often.
SOS_SECONDS = 300


class Verdict(Enum):
    OK = "ok"  # answer as usual
    WARN = "warn"  # the one polite reply
    BUSY = "busy"  # the overall limit: the one notice that the line is busy
    QUIET = "quiet"  # nothing (SMS) or the emergency advice only (voice)


@dataclass(frozen=True)
class Limits:
    window: int  # seconds
    per_number: int
    total: int

    def counters(self, channel: str, digest: str | None) -> list[tuple[str, int]]:
        """(key, TTL) of this number's counter (none for a withheld number: `digest` None) and
        everyone's, for `SessionStore.read`."""
        everyone = (f"{PREFIX}:rate:{channel}", self.window)
        return [(f"{PREFIX}:rate:{channel}:{digest}", self.window), everyone] if digest else [everyone]

    def verdict(self, counts: tuple[int, ...]) -> Verdict:
        """The verdict on (this number's count, everyone's), or (everyone's,) for a withheld number."""
        *mine, everyone = counts
        if mine and mine[0] > self.per_number:
            return Verdict.WARN if mine[0] == self.per_number + 1 else Verdict.QUIET
        if everyone > self.total:
            return Verdict.BUSY if not mine or mine[0] == 1 else Verdict.QUIET
        return Verdict.OK
