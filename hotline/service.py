"""The hotline as one object: load a session, step the engine, save, render.

This is where the pure engine meets its adapters (Redis store, TwiML renderers, the
clock, the text sender). The web layer only parses requests into engine inputs and hands
back what this returns. The caller's number comes with each request when a text must be
sent or a flood counted, and is never stored.

Rules this module keeps:
- At most two Redis round trips per webhook (read with the flood counters; write, which
  carries the usage figures: `counting`).
- A request Twilio repeats (same MessageSid; same CallSid and turn) gets the reply it got
  the first time, even late (`Stored.moved_past`), and never moves the conversation twice.
  Each voice answer's action URLs carry the turn (`n`) and the caller's language (`lang`),
  so a repeat is recognised, and a caller's language is known even when Redis is not.
- A request uses one published bundle (flows + catalogues) from start to end.
- FORGET (and its translations) is answered here, before the engine; then consent words
  (STOP, START, HELP), then alerts (JOIN, YES, ALERTS, LEAVE, REPORT: `outbound.texting`,
  when alerts are on) and pages ("MORE") in `text_reply`. Only an alerts command reads the
  texter's subscription; every other text costs what it did.
- What is kept about a number (opt-out, remembered language) is read and written with
  the conversation, in the same two round trips (`store.update(..., number=)`): on every
  text, and on a call at its start and when the caller chooses a language.
- Rendering and the engine's step depend only on their inputs and on the bundle, which
  never changes once published, so each process remembers the answers it has rendered and
  the steps it has taken for the current bundle (`remembered`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from twilio.twiml.messaging_response import MessagingResponse

from . import counting as count
from . import metrics, screening
from . import new_conversations as new
from .bundle import Bundle, Published
from .calltexts import CallTexts, CallTextSender
from .channels import messaging
from .channels.sms import render_sms, whole_texts
from .channels.voice import VoiceUrls, render_notice
from .config import Config
from .flow import phrases
from .flow.engine import begin
from .flow.events import Forget, Input, LanguageChosen, Say, Start, text
from .flow.model import FlowSet
from .flow.understand import EMERGENCY_WORDS
from .i18n import Catalogues
from .remembered import Remembered
from .state.endings import ended
from .state.limits import LIMIT_SMS, LIMIT_SMS_BUSY, LIMIT_VOICE, SOS_SECONDS, Limits, Verdict
from .state.sessions import PREFIX, SessionStore
from .texting import consent

log = logging.getLogger("hotline.service")
TROUBLE_DIAL_TIMEOUT = 30
START_TURN = "0"  # the turn of a call's first webhook, which has no `n` in its URL
_LIMITED_SMS = {Verdict.WARN: LIMIT_SMS, Verdict.BUSY: LIMIT_SMS_BUSY}


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Hotline:
    config: Config
    published: Published
    store: SessionStore
    texts: messaging.TextSender | None = None
    clock: Callable[[], dt.datetime] = field(default=utc_now)
    alerts: object | None = None  # outbound.alerts.Alerts when HOTLINE_ALERTS=on
    limits: dict[str, Limits] = field(init=False)
    call_texts: CallTextSender = field(init=False)
    _remembered: Remembered | None = field(init=False, default=None)

    def __post_init__(self):
        window = self.config.HOTLINE_LIMIT_WINDOW
        self.limits = {
            "call": Limits(window, self.config.HOTLINE_CALLS_PER_NUMBER, self.config.HOTLINE_CALLS_TOTAL),
            "sms": Limits(window, self.config.HOTLINE_TEXTS_PER_NUMBER, self.config.HOTLINE_TEXTS_TOTAL),
        }
        own_number = self.config.HOTLINE_NUMBER or self.flows.settings.hotline_number
        self.call_texts = CallTextSender(CallTexts.from_config(self.config, own_number), self.store, self.texts)

    @property
    def flows(self) -> FlowSet:
        """The flows being served now (a request uses `published.current()` once instead)."""
        return self.published.bundle.flows

    @property
    def catalogues(self) -> Catalogues:
        return self.published.bundle.catalogues

    def remembered(self, bundle: Bundle) -> Remembered:
        """What this process remembers of `bundle` (renders, steps), anew for each bundle."""
        kept = self._remembered
        if kept is None or kept.bundle is not bundle:
            kept = self._remembered = Remembered(bundle)
        return kept

    # -- calls ------------------------------------------------------------------------

    def answer_call(self, call_sid: str, event: Input, caller: str = "", turn: str | None = None) -> str:
        """Voice TwiML for the next step of call `call_sid` (`turn`: the `n` of the URL called);
        texts the caller asks for go to `caller`."""
        bundle, now = self.published.current(), self.clock()
        flows, limits, start = bundle.flows, self.limits["call"], isinstance(event, Start)
        withheld = self.store.is_withheld(caller)  # many people: counted only in the overall limit
        digest = None if withheld else self.store.digest(caller)
        counters = limits.counters("call", digest) if start else ()
        told: dict[str, str] = {}  # texts already sent in this request, should a conflict make it retry
        counting = self.store.stats.request(now, "voice", caller)

        def change(read):
            if read.moved_past(turn):  # a turn older than every one remembered: where the call is now
                return None, read.reply
            if counters and limits.verdict(read.counts) is not Verdict.OK:
                count.limited(counting, read.person.lang, caller, withheld)
                langs = self.trouble_langs(read.person.lang, bundle)  # their remembered language, if any
                return None, self._voice_notice(bundle, LIMIT_VOICE, langs)
            fresh = begin(flows, "voice", remembered=read.person.lang)
            session, asked, counted = self.remembered(bundle).step(read.session or fresh, event, now)
            chosen = [action.lang for action in asked if isinstance(action, LanguageChosen)]
            if any(isinstance(action, Forget) for action in asked):
                self.forget_number(caller)  # at each try of the update: erasing twice is harmless
            urls = VoiceUrls.at(read.version + 1, session.lang)
            actions, session = self.call_texts.deliver(bundle, asked, session, call_sid, turn, caller, told)
            count.call_step(counting, read, session, counted, asked, told, start, chosen, caller, withheld)
            twiml = self.remembered(bundle).voice(actions, urls=urls)
            if chosen:
                return session, twiml, read.person.update(lang=chosen[-1])
            if start:  # kept again from each call's start: "90 days after their last contact"
                return session, twiml, read.person
            return session, twiml

        # What is kept about the number is read at the start of a call only (a remembered
        # language); the steps after it need one plain read instead of a script.
        first = new.first_call(self.remembered(bundle), now, counting, caller, limits) if start and not withheld \
            else None
        return self.store.update(self.store.call_key(call_sid), "voice", change, turn and f"turn:{turn}", counters,
                                 number=caller, read_person=start, counting=counting, digest=digest, first=first)

    def forget_number(self, number: str) -> None:
        """FORGET (texted, said or pressed on a call): erase the texter conversation, the
        remembered language and any alerts subscription under `number`; never the opt-out
        (the line must not text someone who said STOP) nor the flood counter (which expires)."""
        people = self.store.person_keys(number)  # None for a withheld number: no language is kept
        self.store.forget(self.store.texter_key(number), *people[1:] if people else ())
        if self.alerts is not None:
            self.alerts.forget(number)

    def call_ended(self, call_sid: str, caller: str = "", seconds: int = 0) -> None:
        """Forget a finished call at once instead of waiting for its TTL; count where it ended
        and how long it lasted (`seconds`)."""
        counting = self.store.stats.request(self.clock(), "voice", caller)
        ended(self.store, self.store.call_key(call_sid), counting, self.published.bundle.flows, seconds)

    def screen_call(self, lang: str) -> str:
        """What the person answering a screened transfer hears (`screening`)."""
        return screening.whisper(self.published.bundle, lang)

    def screen_answer(self, digits: str) -> str:
        return screening.answer(self.published.bundle, digits)

    # -- texts ------------------------------------------------------------------------

    def answer_text(self, number: str, body: str, message_sid: str | None = None, media: int = 0,
                    opt_out_type: str = "") -> str:
        """Messaging TwiML answering `body` (with `media` pictures) from `number` (neither is
        stored); `opt_out_type` is Twilio's Advanced Opt-Out verdict, if any."""
        bundle, now = self.published.current(), self.clock()
        flows = bundle.flows
        hashed, limits = self.store.digest(number), self.limits["sms"]  # the one HMAC of the number
        withheld = self.store.is_withheld(number)
        key, digest = self.store.texter_key(number, hashed), None if withheld else hashed
        counters = limits.counters("sms", digest)
        counting = self.store.stats.request(now, "sms", number)
        forget_lang = self.remembered(bundle).forget.match(body)
        if forget_lang:  # counted like any text, so that FORGET cannot flood either
            people = self.store.person_keys(number, hashed)
            read = self.store.read(key, counters, people)
            verdict = limits.verdict(read.counts)
            if verdict is not Verdict.OK:
                count.limited(counting, forget_lang, number, withheld)
            else:
                count.text(counting, read, None, None, ["forget"], number, withheld)
            self.store.stats.defer(counting.tally)  # no session is written here for the counts to ride on
            if verdict is not Verdict.OK:
                return self._limited_text(bundle, verdict, read)
            self.forget_number(number)
            if read.person.opted_out:
                return render_sms(None)  # erased, but after STOP nothing is sent
            return self._sms(bundle, [(self.remembered(bundle).forget.reply(), forget_lang)])
        remembered = self.remembered(bundle)
        lines = remembered.sms
        alerts = self.alerts and self.alerts.texting(bundle, number, body, message_sid, opt_out_type, now, lines)
        sos: dict[str, bool] = {}  # the emergency answer past a limit, claimed once per request

        def change(read):
            verdict = limits.verdict(read.counts)
            if verdict is not Verdict.OK:
                count.limited(counting, read.session.lang if read.session else read.person.lang, number, withheld)
                # Consent and emergencies come before flood limits.
                word = consent.texting_word(flows, body)
                decision = consent.decide(word and word.value, read.person.opted_out, opt_out_type)
                session = read.session or begin(flows, "sms", remembered=read.person.lang)
                if decision.opted_out != read.person.opted_out:  # STOP (or START) is kept; nothing is sent
                    reply = render_sms(None) if decision.opted_out else self._limited_text(bundle, verdict, read)
                    return session, reply, read.person.update(opted_out=decision.opted_out)
                if not (decision.converse and self._emergency_past_limit(bundle, body, digest, sos)):
                    return None, self._limited_text(bundle, verdict, read)
            answered = alerts and alerts(read)
            if answered:
                count.text(counting, read, answered[0], None, [], number, withheld)
                return answered
            session, person, reply, counted = remembered.text(read.session, read.person, body, media, opt_out_type,
                                                              now)
            count.text(counting, read, session, person, counted, number, withheld)
            return session, render_sms(reply), person

        return self.store.update(key, "sms", change, message_sid and f"sms:{message_sid}", counters, number=number,
                                 counting=counting, digest=hashed)

    def _emergency_past_limit(self, bundle: Bundle, body: str, digest: str | None, sos: dict) -> bool:
        """Emergency words past a limit get the overdose steps, once per number every few
        minutes, so that a flood cannot use them to send a stream of texts (one more round
        trip, on this path only)."""
        if "claimed" not in sos:
            found = bundle.flows.emergency_keywords.find(body, EMERGENCY_WORDS)
            sos["claimed"] = bool(found) and digest is not None and self.store.claim_once(
                f"{PREFIX}:sos:{digest}", SOS_SECONDS)
        return sos["claimed"]

    def _limited_text(self, bundle: Bundle, verdict: Verdict, read) -> str:
        if verdict is Verdict.QUIET:
            return str(MessagingResponse())
        known = read.session.lang if read.session else read.person.lang
        return self._sms(bundle, [(text(_LIMITED_SMS[verdict]), lang) for lang in self.trouble_langs(known, bundle)])

    def _sms(self, bundle: Bundle, texts) -> str:
        """Texts sent whole, by the same GSM-7 and segment rules as replies: in several
        messages where one would be over `max_sms_segments`."""
        return render_sms(*whole_texts(texts, bundle.catalogues, bundle.flows))

    # -- when something is broken ---------------------------------------------------

    def trouble_langs(self, lang: str | None = None, bundle: Bundle | None = None) -> list[str]:
        """`lang` if it is one the hotline speaks, else two languages for a caller not yet known."""
        return (bundle or self.published.bundle).flows.languages.notice_langs(lang)

    def trouble_call(self, lang: str | None = None, caller: str = "") -> str:
        """The emergency advice, then a transfer to the fallback line, then a goodbye."""
        bundle = self.published.bundle
        self._count_safe("voice", lang, caller)
        return self._voice_notice(bundle, phrases.TROUBLE_VOICE, self.trouble_langs(lang, bundle), transfer=True)

    def trouble_text(self, body: str = "", opt_out_type: str = "", number: str = "") -> str:
        """The emergency advice by text, unless the text was STOP: then nothing, even now."""
        bundle = self.published.bundle
        self._count_safe("sms", None, number)
        word = consent.texting_word(bundle.flows, body)
        if consent.decide(word and word.value, False, opt_out_type).opted_out:
            return render_sms(None)
        return self._sms(bundle, [(text(phrases.TROUBLE_SMS), lang) for lang in self.trouble_langs(None, bundle)])

    def _count_safe(self, channel: str, lang: str | None, number: str) -> None:
        """A safe answer given because something broke: counted with this process's next write."""
        try:
            metrics.SAFE_ANSWERS.labels(channel).inc()
            self.store.stats.count_later(self.clock(), channel, number, lang, "safe")
        except Exception:  # noqa: BLE001 - the caller still gets the safe answer
            log.warning("a safe answer was not counted")

    def _voice_notice(self, bundle: Bundle, msgid: str, langs: list[str], transfer: bool = False) -> str:
        """A notice in `langs` by the same voice and recording rules as every prompt."""
        flows = bundle.flows
        says = [Say(text(msgid), lang) for lang in langs]
        return render_notice(says, bundle.catalogues, flows, bundle.recordings,
                             transfer_to=flows.fallback_number if transfer else "", dial_timeout=TROUBLE_DIAL_TIMEOUT)
