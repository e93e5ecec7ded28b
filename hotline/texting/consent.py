"""Carrier consent rules for texts: STOP opts out, START opts back in, HELP says who we are.

Rules this module keeps:
- Pure decisions: which word was sent and whether the number is opted out, in; what to
  keep and what (if anything) to send, out. Whether a number is opted out is kept by the
  store, under a keyed hash of the number, never the number itself.
- The words count only as the whole message, as carriers match them ("STOP", not "stop the
  bleeding"), and in every supported language at once (`words` in languages.yaml).
- After STOP nothing more is sent: no reply, no follow-up, whatever the message, until an
  opt-in word. Twilio's standard opt-out handling sends the carrier's confirmation itself.
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


def decide(word: str | None, opted_out: bool, opt_out_type: str = "") -> Decision:
    """The consent rule for one incoming text. `word` is STOP, START, HELP, MORE or None."""
    answered = opt_out_type.upper() in TWILIO_TYPES
    word = TWILIO_TYPES.get(opt_out_type.upper(), word)
    if word == STOP:
        return Decision(opted_out=True)
    if opted_out:
        if word == START:
            return Decision(opted_out=False, reply=None if answered else phrases.SMS_OPTED_IN)
        return Decision(opted_out=True)
    if word == HELP or (word == START and answered):
        return Decision(opted_out=False, reply=None if answered else phrases.SMS_HELP)
    return Decision(opted_out=False, converse=True)
