"""Render engine actions as one SMS reply (TwiML `<Message>`), plain text for any phone.

Rules this module keeps: a menu is a list of "1 Label" lines; nothing needs a smartphone;
actions that only make sense on a call (waiting for a key, dialling) are not texted.
"""

from __future__ import annotations

from twilio.twiml.messaging_response import MessagingResponse

from ..flow import phrases
from ..flow.events import Options, Say, text


def reply_text(actions, catalogues, flows) -> str:
    """The words of the reply, one sentence or menu line per line."""
    lines: list[str] = []
    for action in actions:
        if isinstance(action, Say):
            lines.append(catalogues.render(action.text, action.lang, flows.variables)[0])
        elif isinstance(action, Options):
            lines.append(catalogues.render(text(phrases.SMS_CHOOSE), action.lang, flows.variables)[0])
            for key, label in action.items:
                words = catalogues.render(label, action.lang, flows.variables)[0]
                line = text(phrases.SMS_OPTION, key=key, label=words[:1].upper() + words[1:])
                lines.append(catalogues.render(line, action.lang, flows.variables)[0])
    return "\n".join(lines)


def render_sms(actions, catalogues, flows) -> str:
    response = MessagingResponse()
    response.message(reply_text(actions, catalogues, flows))
    return str(response)
