"""What the service answers a new call's first webhook from a number nothing is kept about,
worked out before the read, so that the store can write it in the same round trip
(`state.first_contact`).

Only calls: a call's first webhook is always a new conversation, while a text is most often
from someone already in one, and working out a first text's answer before every read cost a
known texter more (about 160 k instructions) than it saved a new one (about 90 k).

Rules this module keeps:
- The answer is the one the service's own change would give after a read that found no
  session, no opt-out and no remembered language (`NEW`), with the same counts: the same
  remembered step, render and reply, and the same `counting` calls.
- Nothing here sends, forgets or keeps anything: an answer that would (a text during the
  call, FORGET, a language chosen) is not worked out beforehand (None), and the call takes
  the usual two round trips.
"""

from __future__ import annotations

from . import counting as count
from .channels.voice import VoiceUrls
from .flow.engine import begin
from .flow.events import Forget, LanguageChosen, SendText, Start
from .remembered import Remembered
from .state.first_contact import First
from .state.limits import Limits
from .state.stored import Stored

NEW = Stored(None, 0)  # what a read finds for a new conversation of a number nothing is kept about


def first_call(remembered: Remembered, now, counting, caller: str, limits: Limits) -> First | None:
    """The answer to a new call's first webhook, with its counts in `counting`."""
    session, asked, counted = remembered.step(begin(remembered.bundle.flows, "voice"), Start(), now)
    if any(isinstance(action, (SendText, Forget, LanguageChosen)) for action in asked):
        return None
    count.call_step(counting, NEW, session, counted, asked, {}, True, [], caller, False)
    voice = remembered.voice(asked, urls=VoiceUrls.at(NEW.version + 1, session.lang))
    return First(session, voice, (limits.per_number, limits.total))
