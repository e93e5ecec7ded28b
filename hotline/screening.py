"""Screened transfers: what the person answering hears, and their key.

Rules this module keeps: the whisper is in the hotline's source language (the person
answering is staff), said twice; only 1 connects. No key (a voicemail box) hangs up the
answering leg, never the caller's.
"""

from __future__ import annotations

from babel import Locale
from twilio.twiml.voice_response import VoiceResponse

from .channels.voice import VoiceUrls
from .flow import phrases
from .flow.events import text

SCREEN_TIMEOUT = 8  # seconds the person answering a screened transfer has to press 1
ACCEPT_KEY = "1"


def whisper(bundle, lang: str) -> str:
    """"Hotline call, Spanish speaker. Press 1 to accept." in the hotline's source
    language, twice; no key (a voicemail box) hangs up that leg, not the caller."""
    languages = bundle.flows.languages
    source = languages.source
    code = lang if lang in languages.languages else source
    name = Locale.parse(code).get_display_name(source) or code
    words, spoken = bundle.catalogues.render(text(phrases.SCREEN_WHISPER, language=name), source, {})
    language = languages.languages[spoken]
    response = VoiceResponse()
    gather = response.gather(input="dtmf", num_digits=1, timeout=SCREEN_TIMEOUT, finish_on_key="",
                             action=f"{VoiceUrls.screen}/answer", method="POST")
    for _ in range(2):
        gather.say(words, voice=language.voice, language=language.say_language)
    response.hangup()
    return str(response)


def answer(bundle, digits: str) -> str:
    """1 connects the call (the TwiML ends); anything else hangs up the answering leg."""
    response = VoiceResponse()
    if digits == ACCEPT_KEY:
        source = bundle.flows.languages.source
        words, spoken = bundle.catalogues.render(text(phrases.SCREEN_ACCEPTED), source, {})
        language = bundle.flows.languages.languages[spoken]
        response.say(words, voice=language.voice, language=language.say_language)
    else:
        response.hangup()
    return str(response)
