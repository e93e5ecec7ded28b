"""Carrier consent rules for texts: STOP opts out, START opts back in, HELP says who we are.

Rules this module keeps:
- Pure decisions: which word was sent and whether the number is opted out, in; what to
  keep and what (if anything) to send, out. Whether a number is opted out is kept by the
  store, under a keyed hash of the number, never the number itself.
- The words count only as the whole message, as carriers match them ("STOP", not "stop the
  bleeding"), and in every supported language at once (`words` in languages.yaml).
- After STOP nothing more is sent: no follow-up, whatever the message, until an opt-in word.
  The one confirmation: Twilio's standard opt-out handling sends it itself for its own English
  words (`TWILIO_STOP_WORDS`); for every other opt-out word (`PARAR`, `停止`) the hotline sends
  it, in the texter's language, once (not again to a number already opted out).
- When Twilio's Advanced Opt-Out already answered (the webhook carries `OptOutType`), its
  verdict is followed and no second confirmation is sent.
- These words work whatever flow or menu the texter is in: they are decided before the
  conversation engine sees the message.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..flow import phrases
from ..flow.keywords import Match, normalize
from ..flow.model import FlowSet

STOP, START, HELP, MORE = "stop", "start", "help", "more"
#: Twilio's `OptOutType` values (Advanced Opt-Out) and what they mean here.
TWILIO_TYPES = {"STOP": STOP, "START": START, "HELP": HELP}
#: The opt-out words Twilio's standard handling answers itself on a long code (its "Customize
#: users' opt-in and opt-out experience with Advanced Opt-Out" guide lists them).
TWILIO_STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})


@dataclass(frozen=True)
class Decision:
    """What to keep (`opted_out`), what to send (a phrase, or None: nothing), and whether the
    message goes on to the conversation."""

    opted_out: bool
    reply: str | None = None
    converse: bool = False


def texting_word(flows: FlowSet, body: str) -> Match | None:
    """The fixed-meaning word (stop, start, help, more) that is the whole message, if any."""
    entry = flows.texting_words.entries.get(normalize(body))
    return Match(entry[0], lang=entry[1]) if entry else None


def twilio_answers(body: str) -> bool:
    """Is this text one of the opt-out words Twilio confirms itself, without Advanced Opt-Out?"""
    return normalize(body) in TWILIO_STOP_WORDS


def decide(word: str | None, opted_out: bool, opt_out_type: str = "", twilio_word: bool = True) -> Decision:
    """The consent rule for one incoming text. `word` is STOP, START, HELP, MORE or None;
    `twilio_word`: the text is one Twilio confirms itself (`twilio_answers`)."""
    answered = opt_out_type.upper() in TWILIO_TYPES
    word = TWILIO_TYPES.get(opt_out_type.upper(), word)
    if word == STOP:
        confirm = not (answered or twilio_word or opted_out)
        return Decision(opted_out=True, reply=phrases.SMS_OPTED_OUT if confirm else None)
    if opted_out:
        if word == START:
            return Decision(opted_out=False, reply=None if answered else phrases.SMS_OPTED_IN)
        return Decision(opted_out=True)
    if word == HELP or (word == START and answered):
        return Decision(opted_out=False, reply=None if answered else phrases.SMS_HELP)
    return Decision(opted_out=False, converse=True)
