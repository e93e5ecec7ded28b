"""The hotline as one object: load a session, step the engine, save, render.

This is where the pure engine meets its adapters (Redis store, TwiML renderers). The web
layer only parses requests into engine inputs and hands back what this returns.

Rules this module keeps:
- At most two Redis round trips per webhook (read with the flood counters; write).
- A request Twilio repeats (same MessageSid; same CallSid and turn) gets the reply it got
  the first time and does not move the conversation on twice. Each voice answer's action
  URLs carry the turn (`n`) and the caller's language (`lang`), so the repeat can be
  recognised, and so a caller's language is known even when Redis is not.
- FORGET (and its translations) is answered here, before the engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from .channels.sms import render_sms
from .channels.voice import VoiceUrls, render_voice
from .config import Config
from .flow import phrases
from .flow.engine import begin, step
from .flow.events import Input, Message, Start, text
from .flow.model import FlowSet
from .forget import ForgetWords
from .i18n import Catalogues
from .limits import LIMIT_SMS, LIMIT_VOICE, Limits, Verdict
from .store import SessionStore

TROUBLE_DIAL_TIMEOUT = 30
START_TURN = "0"  # the turn of a call's first webhook, which has no `n` in its URL


@dataclass
class Hotline:
    config: Config
    flows: FlowSet
    catalogues: Catalogues
    store: SessionStore
    forget_words: ForgetWords = field(init=False)
    limits: dict[str, Limits] = field(init=False)

    def __post_init__(self):
        languages = self.flows.languages
        self.forget_words = ForgetWords(self.catalogues, languages.languages, languages.source)
        window = self.config.HOTLINE_LIMIT_WINDOW
        self.limits = {
            "call": Limits(window, self.config.HOTLINE_CALLS_PER_NUMBER, self.config.HOTLINE_CALLS_TOTAL),
            "sms": Limits(window, self.config.HOTLINE_TEXTS_PER_NUMBER, self.config.HOTLINE_TEXTS_TOTAL),
        }

    # -- calls ------------------------------------------------------------------------

    def answer_call(self, call_sid: str, event: Input, caller: str = "", turn: str | None = None) -> str:
        """Voice TwiML for the next step of call `call_sid` (`turn`: the `n` of the URL called)."""
        counters = self.limits["call"].counters("call", self.store.digest(caller)) if isinstance(event, Start) else ()

        def change(read):
            if counters and self.limits["call"].verdict(read.counts) is not Verdict.OK:
                return None, self._voice_notice(LIMIT_VOICE, self.trouble_langs(), transfer=False)
            session, actions = step(self.flows, read.session or begin(self.flows, "voice"), event)
            query = urlencode({"n": read.version + 1, "lang": session.lang})
            urls = VoiceUrls(step=f"{VoiceUrls.step}?{query}", dial=f"{VoiceUrls.dial}?{query}")
            return session, render_voice(actions, self.catalogues, self.flows, urls)

        return self.store.update(self.store.call_key(call_sid), "voice", change, turn and f"turn:{turn}", counters)

    def call_ended(self, call_sid: str) -> None:
        """Forget a finished call at once instead of waiting for its TTL."""
        self.store.forget(self.store.call_key(call_sid))

    # -- texts ------------------------------------------------------------------------

    def answer_text(self, number: str, body: str, message_sid: str | None = None) -> str:
        """Messaging TwiML answering `body` from `number` (neither is stored)."""
        digest = self.store.digest(number)
        key, limits = self.store.texter_key(number), self.limits["sms"]
        counters = limits.counters("sms", digest)
        forget_lang = self.forget_words.match(body)
        if forget_lang:  # counted like any text, so that FORGET cannot flood either
            read = self.store.read(key, counters)
            verdict = limits.verdict(read.counts)
            if verdict is not Verdict.OK:
                return self._limited_text(verdict, read.session)
            self.store.forget(key)
            return self._sms([(self.forget_words.reply(), forget_lang)])

        def change(read):
            verdict = limits.verdict(read.counts)
            if verdict is not Verdict.OK:
                return None, self._limited_text(verdict, read.session)
            session, actions = step(self.flows, read.session or begin(self.flows, "sms"), Message(body))
            return session, render_sms(actions, self.catalogues, self.flows)

        return self.store.update(key, "sms", change, message_sid and f"sms:{message_sid}", counters)

    def _limited_text(self, verdict: Verdict, session) -> str:
        if verdict is Verdict.QUIET:
            return str(MessagingResponse())
        langs = [session.lang] if session else self.trouble_langs()
        return self._sms([(text(LIMIT_SMS), lang) for lang in langs])

    def _sms(self, texts) -> str:
        variables = {**self.flows.variables, "fallback": self.flows.spoken(self.flows.fallback_number)}
        response = MessagingResponse()
        response.message("\n".join(self.catalogues.render(t, lang, variables)[0] for t, lang in texts))
        return str(response)

    # -- when something is broken ---------------------------------------------------

    def trouble_langs(self, lang: str | None = None) -> list[str]:
        """`lang` if it is one the hotline speaks, else two languages for a caller not yet known."""
        codes = self.flows.languages.languages
        if lang in codes:
            return [lang]
        default, source = self.flows.languages.default, self.flows.languages.source
        return list(dict.fromkeys([default, source, *codes]))[:2]

    def trouble_call(self, lang: str | None = None) -> str:
        """The emergency advice, then a transfer to the fallback line, then a goodbye."""
        return self._voice_notice(phrases.TROUBLE_VOICE, self.trouble_langs(lang), transfer=True)

    def trouble_text(self) -> str:
        return self._sms([(text(phrases.TROUBLE_SMS), lang) for lang in self.trouble_langs()])

    def _voice_notice(self, msgid: str, langs: list[str], transfer: bool) -> str:
        response = VoiceResponse()
        for lang in langs:
            words, spoken = self.catalogues.render(text(msgid), lang, self.flows.variables)
            language = self.flows.languages.languages[spoken]
            response.say(words, voice=language.voice, language=language.say_language)
        if transfer:
            response.dial(timeout=TROUBLE_DIAL_TIMEOUT).number(self.flows.fallback_number)
        response.hangup()
        return str(response)
