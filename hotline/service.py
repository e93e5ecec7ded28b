"""The hotline as one object: load a session, step the engine, save, render.

This is where the pure engine meets its adapters (Redis store, TwiML renderers, the
clock, the text sender). The web layer only parses requests into engine inputs and hands
back what this returns. The caller's number comes with each request when a text must be
sent, and is never stored.

Rendering depends only on the actions and on the bundle of flows and catalogues being
served, which never changes once published, so each process remembers the TwiML of the
action sequences it has rendered for the current bundle (forgotten when a new one is
published): a flow has a few hundred distinct answers, and building and serialising the
XML was the largest share of a webhook's own time (see docs/deploy.md, "Profile").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from babel import Locale
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from . import messaging
from .bundle import Bundle, Published
from .channels.sms import render_sms
from .channels.voice import VoiceUrls, render_voice
from .config import Config
from .flow import phrases
from .flow.engine import begin, step
from .flow.events import Input, Message, Say, SendText, text
from .flow.model import FlowSet
from .i18n import Catalogues
from .store import SessionStore

TROUBLE_DIAL_TIMEOUT = 30
RENDER_CACHE = 1024  # remembered answers per channel and process (a few kB each)
SCREEN_TIMEOUT = 8  # seconds the person answering a screened transfer has to press 1
ACCEPT_KEY = "1"
_TOLD = {
    messaging.SENT: phrases.TEXT_SENT, messaging.OPTED_OUT: phrases.TEXT_OPTED_OUT,
    messaging.NOT_MOBILE: phrases.TEXT_NOT_MOBILE, messaging.FAILED: phrases.TEXT_FAILED,
}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Hotline:
    config: Config
    published: Published
    store: SessionStore
    texts: messaging.TextSender | None = None
    clock: Callable[[], dt.datetime] = field(default=utc_now)
    _renderers: tuple = field(default=(None, {}), init=False, repr=False)

    @property
    def flows(self) -> FlowSet:
        """The flows being served now (a request uses `published.current()` once instead)."""
        return self.published.bundle.flows

    @property
    def catalogues(self) -> Catalogues:
        return self.published.bundle.catalogues

    def answer_call(self, call_sid: str, event: Input, caller: str = "") -> str:
        """Voice TwiML for the next step of call `call_sid`; texts asked for go to `caller`."""
        bundle = self.published.current()
        change = _stepper(bundle.flows, "voice", event, self.clock())
        actions = self.store.update(self.store.call_key(call_sid), "voice", change)
        return self._renderer(bundle, "voice")(self._deliver(bundle, actions, caller))

    def answer_text(self, number: str, body: str) -> str:
        """Messaging TwiML answering `body` from `number` (neither is stored)."""
        bundle = self.published.current()
        change = _stepper(bundle.flows, "sms", Message(body), self.clock())
        actions = self.store.update(self.store.texter_key(number), "sms", change)
        return self._renderer(bundle, "sms")(actions)

    def _renderer(self, bundle: Bundle, channel: str):
        """`render_voice` or `render_sms` for `bundle`, remembering answers already rendered."""
        if self._renderers[0] is not bundle:
            self._renderers = (bundle, {
                name: lru_cache(maxsize=RENDER_CACHE)(partial(render, catalogues=bundle.catalogues, flows=bundle.flows))
                for name, render in (("voice", render_voice), ("sms", render_sms))
            })
        return self._renderers[1][channel]

    def call_ended(self, call_sid: str) -> None:
        """Forget a finished call at once instead of waiting for its TTL."""
        self.store.forget(self.store.call_key(call_sid))

    # -- texts sent during a call ---------------------------------------------------

    def _deliver(self, bundle: Bundle, actions, caller: str) -> tuple:
        """Send each text the engine asked for; say in its place whether it went."""
        return tuple(
            Say(text(self.send_text(bundle, caller, action)), action.lang) if isinstance(action, SendText) else action
            for action in actions
        )

    def send_text(self, bundle: Bundle, caller: str, action: SendText) -> str:
        """Text the lines to the caller, unless they opted out; the phrase to tell them."""
        if self.texts is None or not caller:
            return phrases.TEXT_FAILED
        try:
            if self.store.is_opted_out(caller):
                return phrases.TEXT_OPTED_OUT
        except Exception:  # noqa: BLE001 - not knowing means not texting
            return phrases.TEXT_FAILED
        variables = bundle.flows.variables
        body = "\n".join(bundle.catalogues.render(line, action.lang, variables)[0] for line in action.lines)
        return _TOLD[self.texts.send(caller, body)]

    # -- screening: what the person answering a transfer hears ----------------------

    def screen_call(self, lang: str) -> str:
        """"Hotline call, Spanish speaker. Press 1 to accept." in the hotline's source
        language, twice; no key (a voicemail box) hangs up that leg, not the caller."""
        source = self.flows.languages.source
        code = lang if lang in self.flows.languages.languages else source
        name = Locale.parse(code).get_display_name(source) or code
        words, spoken = self.catalogues.render(text(phrases.SCREEN_WHISPER, language=name), source, {})
        language = self.flows.languages.languages[spoken]
        response = VoiceResponse()
        gather = response.gather(input="dtmf", num_digits=1, timeout=SCREEN_TIMEOUT, finish_on_key="",
                                 action=f"{VoiceUrls.screen}/answer", method="POST")
        for _ in range(2):
            gather.say(words, voice=language.voice, language=language.say_language)
        response.hangup()
        return str(response)

    def screen_answer(self, digits: str) -> str:
        """1 connects the call (the TwiML ends); anything else hangs up the answering leg."""
        response = VoiceResponse()
        if digits == ACCEPT_KEY:
            source = self.flows.languages.source
            words, spoken = self.catalogues.render(text(phrases.SCREEN_ACCEPTED), source, {})
            language = self.flows.languages.languages[spoken]
            response.say(words, voice=language.voice, language=language.say_language)
        else:
            response.hangup()
        return str(response)

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


def _stepper(flows: FlowSet, channel: str, event: Input, now: dt.datetime):
    def change(session):
        return step(flows, session or begin(flows, channel), event, now)

    return change
