"""An alert's progress as it may be shown, in the console and by `alerts status` alike.

Rules this module keeps:
- A sending's size ("subscribers it is for") is shown as its reach when it began: worked out
  from the subscriber figures as shown then (`desk.run_reach`, kept beside the counts), so
  exact when every cell it counted was shown and otherwise the range the compose page gave.
  Its exact size beside a suppressed cell would give that cell back by subtraction (all
  areas against the table; all areas against all but one), as the reach's own rule says.
- A sending whose reach was exact shows every count as it is: each subscriber it counted is
  one of at least HOTLINE_SMALL_CELLS in their area and language, so "1 failed" singles
  nobody out, and its size is a sum of figures everybody already sees.
- A sending that counted a suppressed cell never shows a count that adds up to its size:
  queued, sent and delivered are `HIDDEN`; how far it got is shown in tenths, and not at all
  when its whole reach is under the limit. Every other count (undelivered, failed, each
  reason for not sending, opted out since) is 0, `FEWER` (1 to limit - 1, by
  `usage.suppress.hidden`) or `MANY`: so "nothing failed", "a few failed" and "many failed"
  stay readable, and no failure count, all of them failing included, gives the size back.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..usage.suppress import hidden
from . import broadcasts as bc
from .subscriptions import Reach

PROGRESS = ("total", "queued", "sent", "delivered", "undelivered", "failed")
NOT_SENT = ("opted_out", "unsubscribed", "not_mobile", "gone", "error")
#: The counts that, with the others, add up to a sending's size.
BULK = ("queued", "sent", "delivered")
#: How a count is shown when it may not be shown as it is.
FEWER, MANY, HIDDEN = "fewer", "many", "hidden"


@dataclass(frozen=True)
class Progress:
    broadcast: bc.Broadcast
    counts: dict[str, int]
    limit: int  # HOTLINE_SMALL_CELLS

    @property
    def opted_out_since(self) -> int:
        return sum(self.counts.get(k, 0) for k in ("opted_out", "unsubscribed", "left"))

    @property
    def handled(self) -> int:
        """Subscribers dealt with so far (texted, or found unable or unwilling to be)."""
        return sum(self.counts.get(k, 0) for k in ("queued", "sent", "delivered", "undelivered", "failed", *NOT_SENT))

    @property
    def size(self) -> Reach | None:
        """The sending's reach when it began (None: it has not begun)."""
        if "low" not in self.counts:
            return None
        return Reach(self.counts["low"], self.counts["high"], self.limit)

    @property
    def exact(self) -> bool:
        """May every count be shown as it is? Before it begins there is nothing to hide."""
        return "total" not in self.counts or (self.size is not None and self.size.exact)

    def shown(self, name: str) -> int | str | Reach:
        """Count `name` (or "opted_out_since") as it may be shown: the number, the size's reach,
        or `HIDDEN`, `FEWER`, `MANY`."""
        n = self.opted_out_since if name == "opted_out_since" else self.counts.get(name, 0)
        if self.exact:
            return n
        if name == "total":
            return self.size or HIDDEN
        if name in BULK:
            return HIDDEN
        if n == 0:
            return 0
        return FEWER if hidden(n, self.limit) else MANY

    @property
    def tenths(self) -> int | None:
        """How far a sending that hides its counts got, in whole tens of percent (None: not
        shown, for one whose every count is shown, or whose whole reach is under the limit)."""
        total = self.counts.get("total", 0)
        if self.exact or not total or self.size is None or self.size.small:
            return None
        return 10 * (10 * self.handled // total)
