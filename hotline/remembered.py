"""What each process remembers of the bundle it serves, so that a webhook repeats no work
another webhook already did.

Rendering and the engine's step depend only on their inputs and on the bundle, which never
changes once published: building and serialising the XML was the largest share of a
webhook's own time (see docs/deploy.md, "Profile"), and the step the next largest.

Rules this module keeps:
- One `Remembered` per bundle: the service replaces it when a new bundle is published, so
  nothing of older flows or catalogues is ever answered.
- Everything remembered is bounded, and none of it is a number, a body or a CallSid.
"""

from __future__ import annotations

from functools import cached_property, lru_cache, partial

from .bundle import Bundle
from .channels.sms import reply_lines
from .channels.voice import render_voice
from .flow.memo import StepMemo
from .texting.forget import ForgetWords

RENDER_CACHE = 4096  # remembered answers per channel and process (a few kB each)


class Remembered:
    """For one bundle: `voice(actions, urls=)` (TwiML), `sms(actions)` (an SMS reply's lines,
    before pages), `step(session, input, now)` (the engine's) and the FORGET words."""

    def __init__(self, bundle: Bundle):
        self.bundle = bundle
        self.voice = Renders(partial(
            render_voice, catalogues=bundle.catalogues, flows=bundle.flows, recordings=bundle.recordings))
        self.sms = Renders(partial(reply_lines, catalogues=bundle.catalogues, flows=bundle.flows))
        self.step = StepMemo(bundle.flows)

    @cached_property
    def forget(self) -> ForgetWords:
        languages = self.bundle.flows.languages
        return ForgetWords(self.bundle.catalogues, languages.languages, languages.source)


class Renders:
    """`render(actions, **options)` remembered: first by the identity of `actions`, then by
    their value. A remembered step (`flow.memo`) hands back the very tuple it gave before, so
    its answer is found without hashing every action and text in it again."""

    def __init__(self, render, size: int = RENDER_CACHE):
        self.size = size
        self._render = lru_cache(maxsize=size)(render)
        #: (id(actions), *options) -> (actions, answer). Keeping `actions` keeps it alive, so
        #: no other object can have its id while it is here.
        self._seen: dict = {}

    def __call__(self, actions, **options):
        key = (id(actions), *options.values())
        seen = self._seen.get(key)
        if seen is not None:
            return seen[1]
        answer = self._render(actions, **options)
        if len(self._seen) >= self.size:
            self._seen.clear()
        self._seen[key] = (actions, answer)
        return answer
