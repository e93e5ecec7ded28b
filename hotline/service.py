"""The hotline as one object: load a session, step the engine, save, render.

This is where the pure engine meets its adapters (Redis store, TwiML renderers). The web
layer only parses requests into engine inputs and hands back what this returns.

Rendering depends only on the actions and on the flows and catalogues, which are loaded
once and never change, so each process remembers the TwiML of the action sequences it has
rendered: a flow has a few hundred distinct answers, and building and serialising the XML
was the largest share of a webhook's own time (see docs/deploy.md, "Profile").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache, partial

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from .channels.sms import render_sms
from .channels.voice import render_voice
from .config import Config
from .flow import phrases
from .flow.engine import begin, step
from .flow.events import Input, Message, text
from .flow.model import FlowSet
from .i18n import Catalogues
from .store import SessionStore

TROUBLE_DIAL_TIMEOUT = 30
RENDER_CACHE = 1024  # remembered answers per channel and process (a few kB each)


@dataclass
class Hotline:
    config: Config
    flows: FlowSet
    catalogues: Catalogues
    store: SessionStore
    _render: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._render = {
            channel: lru_cache(maxsize=RENDER_CACHE)(partial(render, catalogues=self.catalogues, flows=self.flows))
            for channel, render in (("voice", render_voice), ("sms", render_sms))
        }

    def answer_call(self, call_sid: str, event: Input) -> str:
        """Voice TwiML for the next step of call `call_sid`."""
        actions = self.store.update(self.store.call_key(call_sid), "voice", self._stepper("voice", event))
        return self._render["voice"](actions)

    def answer_text(self, number: str, body: str) -> str:
        """Messaging TwiML answering `body` from `number` (neither is stored)."""
        event = Message(body)
        actions = self.store.update(self.store.texter_key(number), "sms", self._stepper("sms", event))
        return self._render["sms"](actions)

    def call_ended(self, call_sid: str) -> None:
        """Forget a finished call at once instead of waiting for its TTL."""
        self.store.forget(self.store.call_key(call_sid))

    def _stepper(self, channel: str, event: Input):
        def change(session):
            return step(self.flows, session or begin(self.flows, channel), event)

        return change

    # -- when something is broken ---------------------------------------------------

    def trouble_langs(self) -> list[str]:
        """Languages for a safe message when the caller's own is not known."""
        codes = self.flows.languages.languages
        default, source = self.flows.languages.default, self.flows.languages.source
        return list(dict.fromkeys([default, source, *codes]))[:2]

    def trouble_call(self) -> str:
        """The emergency advice, then a transfer to the fallback line, then a goodbye."""
        response = VoiceResponse()
        for lang in self.trouble_langs():
            words, spoken = self.catalogues.render(text(phrases.TROUBLE_VOICE), lang, self.flows.variables)
            language = self.flows.languages.languages[spoken]
            response.say(words, voice=language.voice, language=language.say_language)
        response.dial(timeout=TROUBLE_DIAL_TIMEOUT).number(self.flows.fallback_number)
        response.hangup()
        return str(response)

    def trouble_text(self) -> str:
        variables = {**self.flows.variables, "fallback": self.flows.spoken(self.flows.fallback_number)}
        lines = [
            self.catalogues.render(text(phrases.TROUBLE_SMS), lang, variables)[0] for lang in self.trouble_langs()
        ]
        response = MessagingResponse()
        response.message("\n".join(lines))
        return str(response)
