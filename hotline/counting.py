"""What one webhook adds to the usage figures (kept by `state.stats`, read by `usage`).

Rules this module keeps:
- Counts go into the request's `Counting` inside the store's change, so they are written
  with the session, once, and not at all for a request Twilio repeats.
- A measure is a fixed word or the flow's own ids (`visit:<node>`, `rung:<service>`): never
  a number, a ZIP code, a body or a CallSid.
- A call is counted under the language it is in when it comes in, and moved to the one the
  caller chooses, so that calls per language add up to the calls.
"""

from __future__ import annotations

from .flow import phrases
from .flow.events import SendText

#: What became of a "text me this", from what the caller was told.
_TEXTED = {phrases.TEXT_SENT: "textme:sent", phrases.TEXT_FAILED: "textme:failed"}


def call_step(counting, read, session, counted, actions, told: dict, start: bool, chosen: list,
              caller: str, withheld: bool) -> None:
    """A step of a call: `counted` by the engine, the texts asked for (`actions` before
    delivery, `told` their outcomes), and the call itself at its start."""
    lang = session.lang
    if start:
        counting.arrived(lang, caller, withheld)
    elif chosen and read.session is not None and chosen[-1] != read.session.lang:
        counting.add(read.session.lang, "calls", -1)
        counting.add(chosen[-1], "calls")
    for measure in counted:
        counting.add(lang, measure)
    for action in actions:
        if isinstance(action, SendText):
            counting.add(lang, _TEXTED.get(told.get(action.node), "textme:refused"))


def text(counting, read, session, person, counted, number: str, withheld: bool) -> None:
    """A text answered: the text, its person, STOP or START, and what the engine counted."""
    lang = session.lang if session is not None else read.person.lang
    counting.arrived(lang, number, withheld)
    if person is not None and person.opted_out != read.person.opted_out:
        counting.add(lang, "optout" if person.opted_out else "optin")
    for measure in counted:
        counting.add(lang, measure)


def limited(counting, lang: str | None, number: str, withheld: bool, arrived: bool = True) -> None:
    """A call or text past a flood limit: it came in, and a limit was reached."""
    if arrived:
        counting.arrived(lang, number, withheld)
    counting.add(lang, "limited")
