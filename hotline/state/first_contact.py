"""A new call in one round trip instead of two.

A new call's first webhook is a large share of a busy hour's traffic, and the hotline's
answer to it is known before anything is read: the engine is pure, and what it says to a
number with no session, no opt-out and no remembered language is the same for everyone
(texts keep two round trips: `hotline.new_conversations` says why). So the service works
that answer out first (`First`: the session, the reply, the usage figures), and one script
(`scripts.FIRST`) reads as `SessionStore.read` does and, only if the read finds exactly that
case with no flood counter past its limit, writes it. Otherwise it returns the read, and the
update goes on as after any read: the counters are counted once either way, and what was
counted beforehand is counted again by the service's own change (`Counting.reset`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..flow.session import Session
from . import scripts
from .stored import request_digest


@dataclass(frozen=True)
class First:
    """The write for a new conversation of an unknown number: `session`, `reply`, and each
    flood counter's `limits` (in the order of the counters; past one, the service decides)."""

    session: Session
    reply: str
    limits: Sequence[int]

    def try_write(self, store, key: str, ttl: int, counters: Sequence[tuple[str, int]], people: tuple[str, str],
                  request_id: str | None, counting):
        """None if written, else the `Stored` read (one round trip either way)."""
        read: list = []

        def write(tally_keys: list, tally_args: list) -> bool:
            keys = [key, *people, *(name for name, _ in counters), *tally_keys]
            args = [2, request_digest(request_id) if request_id else "", *(seconds for _, seconds in counters),
                    *self.limits, self.session.to_json(), ttl, self.reply, *tally_args, len(counters)]
            found = store.breaker.call(store.run_script, scripts.FIRST, keys, args)
            if found == 1:
                return True
            read.append(found)
            return False

        if store.stats.carried(counting, write):
            return None
        return store.stored(key, read[0])

