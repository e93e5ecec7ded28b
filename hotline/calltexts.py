"""Texts sent during a call ("text me this"): the rules that keep them from being a relay.

Caller ID can be spoofed, so whoever calls can choose whose phone these texts go to: without
limits one call could send hundreds of texts to a stranger, or to numbers that pay the
sender per text (SMS pumping). So:

- At most one text per node per call, and at most `per_call` texts per call (the session
  keeps which nodes were texted).
- Only to numbers of the `countries` the programme serves (by default the country of the
  hotline's own number); a withheld or invalid caller ID is never texted.
- Each text counts against the destination number's SMS flood counter (the same one its
  own texts to the line count in) and against an overall counter of texts sent during calls.
- The send is claimed in Redis per call, turn and node before it is sent (SET NX), so a
  webhook Twilio repeats, or parallel copies of one turn on other workers, never send the
  same text twice. The claim, the opt-out check and both counters are one round trip, on
  this path only (never on a webhook that sends no text).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import phonenumbers

from .channels import messaging
from .channels.sms import whole_texts
from .flow import phrases
from .flow.events import Say, SendText, text
from .state import scripts
from .state.sessions import PREFIX

log = logging.getLogger("hotline.calltexts")

SEND, REPEAT, OPTED_OUT, LIMITED = "send", "repeat", "opted_out", "limited"


@dataclass(frozen=True)
class CallTexts:
    per_call: int
    per_number: int  # the destination's SMS flood limit (HOTLINE_TEXTS_PER_NUMBER)
    total: int
    window: int
    countries: frozenset[str]

    @classmethod
    def from_config(cls, config, hotline_number: str) -> CallTexts:
        given = {code.strip().upper() for code in config.HOTLINE_TEXT_COUNTRIES.split(",") if code.strip()}
        return cls(config.HOTLINE_TEXTS_PER_CALL, config.HOTLINE_TEXTS_PER_NUMBER, config.HOTLINE_CALL_TEXTS_TOTAL,
                   config.HOTLINE_LIMIT_WINDOW, frozenset(given or filter(None, [country_of(hotline_number)])))

    def reaches(self, number: str) -> bool:
        """A valid phone number in one of the countries served."""
        return country_of(number) in self.countries

    def claim(self, store, call_sid: str, turn: str, node: str, number: str) -> str:
        """SEND (claimed: go ahead), REPEAT (another copy of this request sent it), OPTED_OUT
        or LIMITED (a flood counter is past its limit); one round trip on a single server."""
        claim = f"{PREFIX}:texted:{call_sid}:{turn}:{node}"
        digest = store.digest(number)
        keys = [claim, store.optout_key(number), f"{PREFIX}:rate:sms:{digest}", f"{PREFIX}:rate:calltext"]
        args = [store.ttl["voice"], self.window, self.per_number, self.total]
        if store.cluster:  # the keys live in different slots: one command each
            return store.breaker.call(self._claim_on_cluster, store, keys, args)
        return store.breaker.call(store.run_script, scripts.CLAIM_TEXT, keys, args).decode()

    @staticmethod
    def _claim_on_cluster(store, keys: list, args: list) -> str:
        if not store.client.set(keys[0], "1", nx=True, ex=args[0]):
            return REPEAT
        if store.client.exists(keys[1]):
            return OPTED_OUT
        counts = [store.count(key, args[1]) for key in keys[2:]]
        return LIMITED if counts[0] > args[2] or counts[1] > args[3] else SEND


def country_of(number: str) -> str | None:
    """The ISO country code of an E.164 number (`US`, `CA`, `JM` ...), None if it is not one."""
    try:
        parsed = phonenumbers.parse(number)
    except phonenumbers.NumberParseException:
        return None
    if not number.startswith("+") or not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.region_code_for_number(parsed)


_TOLD = {
    messaging.SENT: phrases.TEXT_SENT, messaging.OPTED_OUT: phrases.TEXT_OPTED_OUT,
    messaging.NOT_MOBILE: phrases.TEXT_NOT_MOBILE, messaging.FAILED: phrases.TEXT_FAILED,
}


class CallTextSender:
    """Sends the texts the engine asks for during a call, by `CallTexts`' rules."""

    def __init__(self, rules: CallTexts, store, texts: messaging.TextSender | None):
        self.rules, self.store, self.texts = rules, store, texts

    def deliver(self, bundle, actions, session, call_sid: str, turn: str | None, caller: str, told: dict):
        """(actions, session): each `SendText` replaced by a sentence saying what became of
        it, and the session told which nodes were texted. `told` keeps the outcome of each
        node's text for this request, should a conflict make the update run again. Without a
        `SendText`, `actions` themselves (a remembered render is found by their identity)."""
        if not any(isinstance(action, SendText) for action in actions):
            return actions, session
        delivered = []
        for action in actions:
            if isinstance(action, SendText):
                if action.node not in told:
                    told[action.node] = self.send(bundle, action, session, call_sid, turn, caller)
                phrase = told[action.node]
                if phrase == phrases.TEXT_SENT and action.node not in session.texted:
                    session = session.update(texted=(*session.texted, action.node))
                action = Say(text(phrase), action.lang)
            delivered.append(action)
        return tuple(delivered), session

    def send(self, bundle, action: SendText, session, call_sid: str, turn: str | None, caller: str) -> str:
        """Text the lines to the caller if the rules allow; the phrase to tell them."""
        if self.texts is None or not self.texts.ready:
            return phrases.TEXT_FAILED
        if action.node in session.texted:
            return phrases.TEXT_ALREADY_SENT
        if len(session.texted) >= self.rules.per_call:
            return phrases.TEXT_NO_MORE
        if not self.rules.reaches(caller):
            return phrases.TEXT_NOT_MOBILE
        try:
            claimed = self.rules.claim(self.store, call_sid, turn or "", action.node, caller)
        except Exception:  # noqa: BLE001 - not knowing whether they opted out means not texting
            log.warning("a text during a call was not sent: Redis did not answer")
            return phrases.TEXT_FAILED
        if claimed != SEND:
            return {REPEAT: phrases.TEXT_SENT, OPTED_OUT: phrases.TEXT_OPTED_OUT}.get(claimed, phrases.TEXT_NO_MORE)
        outcome = messaging.FAILED
        for message in whole_texts([(line, action.lang) for line in action.lines], bundle.catalogues, bundle.flows):
            outcome = self.texts.send(caller, message)
            if outcome != messaging.SENT:
                break
        return _TOLD[outcome]
