"""Engine steps remembered: the engine is pure, so a step it has taken once gives the same
(session, actions, measures) every time the same session meets the same input.

Most webhooks are the same few steps (a new call at the language menu, "1" at the main
menu), and the engine's step was a tenth of a webhook's own work although the answer then
came from the render cache.

Rules this module keeps:
- One memo per flow set (`StepMemo(flows)`): a newly published bundle starts empty, so a
  remembered step is never one of other flows.
- A step that read the clock (opening hours) is never remembered: its answer depends on
  the moment.
- Bounded (least recently used first out), and what a person typed or said is kept only
  as a digest, never as written.
- Safe for threaded servers: one lock around the memo's order.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from .engine import clocked_step
from .events import Message, Speech

SIZE = 4096  # remembered steps per process and bundle (a few hundred bytes each)


def _input_key(event):
    """`event` as a memo key: a text or speech by a digest of its words."""
    if isinstance(event, Message):
        return Message, hashlib.blake2b(event.body.encode(), digest_size=16).digest(), event.media
    if isinstance(event, Speech):
        return Speech, hashlib.blake2b(event.words.encode(), digest_size=16).digest(), event.confidence
    return event


class LastUsed(OrderedDict):
    """A memo of at most `size` answers, the least recently used first out; one lock around
    its order, so threads of one process can share it."""

    def __init__(self, size: int):
        super().__init__()
        self.size, self._lock = size, threading.Lock()

    def find(self, key):
        """The answer kept for `key` (now the most recently used), or None."""
        with self._lock:
            found = self.get(key)
            if found is not None:
                self.move_to_end(key)
            return found

    def keep(self, key, answer) -> None:
        with self._lock:
            self[key] = answer
            if len(self) > self.size:
                self.popitem(last=False)


class StepMemo:
    """`counted_step` on one flow set, answering a step already taken from memory."""

    def __init__(self, flows, size: int = SIZE):
        self.flows = flows
        self._steps = LastUsed(size)

    def __call__(self, session, event, now=None):
        return self.clocked(session, event, now)[:3]

    def clocked(self, session, event, now=None):
        """(session, actions, measures, clocked), as `clocked_step` gives it; a step answered
        from memory did not read the clock."""
        key = (session, _input_key(event))
        found = self._steps.find(key)
        if found is None:
            found = clocked_step(self.flows, session, event, now)
            if not found[3]:
                self._steps.keep(key, found)
        return found
