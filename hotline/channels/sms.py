"""Render engine actions as one SMS reply (TwiML `<Message>`), plain text for any phone.

Rules this module keeps: a menu is a list of "1 Label" lines; nothing needs a smartphone;
actions that only make sense on a call (waiting for a key, dialling) are not texted.
Lines in a right-to-left language are marked so that they lay out well (see bidi.py).
"""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse

from ..flow import phrases
from ..flow.events import Options, Say, text
from .bidi import readable


def reply_text(actions, catalogues, flows) -> str:
    """The words of the reply, one sentence or menu line per line."""
    lines: list[str] = []

    def add(item, lang: str) -> None:
        lines.append(readable(*catalogues.render(item, lang, flows.variables)))

    for action in actions:
        if isinstance(action, Say):
            add(action.text, action.lang)
        elif isinstance(action, Options):
            add(text(phrases.SMS_CHOOSE), action.lang)
            for key, label in action.items:
                words = catalogues.render(label, action.lang, flows.variables)[0]
                add(text(phrases.SMS_OPTION, key=key, label=words[:1].upper() + words[1:]), action.lang)
    return "\n".join(lines)


def render_sms(actions, catalogues, flows) -> str:
    response = MessagingResponse()
    response.message(reply_text(actions, catalogues, flows))
    return str(response)
