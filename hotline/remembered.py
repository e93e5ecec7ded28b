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
        self.voice = lru_cache(maxsize=RENDER_CACHE)(partial(
            render_voice, catalogues=bundle.catalogues, flows=bundle.flows, recordings=bundle.recordings))
        self.sms = lru_cache(maxsize=RENDER_CACHE)(partial(
            reply_lines, catalogues=bundle.catalogues, flows=bundle.flows))
        self.step = StepMemo(bundle.flows)

    @cached_property
    def forget(self) -> ForgetWords:
        languages = self.bundle.flows.languages
        return ForgetWords(self.bundle.catalogues, languages.languages, languages.source)
