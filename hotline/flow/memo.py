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


class StepMemo:
    """`counted_step` on one flow set, answering a step already taken from memory."""

    def __init__(self, flows, size: int = SIZE):
        self.flows, self.size = flows, size
        self._steps: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, session, event, now=None):
        return self.clocked(session, event, now)[:3]

    def clocked(self, session, event, now=None):
        """(session, actions, measures, clocked), as `clocked_step` gives it; a step answered
        from memory did not read the clock."""
        key = (session, _input_key(event))
        with self._lock:
            found = self._steps.get(key)
            if found is not None:
                self._steps.move_to_end(key)
                return found
        found = clocked_step(self.flows, session, event, now)
        if not found[3]:
            with self._lock:
                self._steps[key] = found
                if len(self._steps) > self.size:
                    self._steps.popitem(last=False)
        return found
