"""Render engine actions as voice TwiML with the twilio helper library.

Rules this module keeps:
- Everything said before a `Gather` is spoken inside it, so a caller who already knows
  the key can press it at once. A `Redirect` follows every `Gather`: on silence Twilio
  falls through to it and the engine hears `Silence`, never a dead line.
- `finishOnKey` is empty, so `#` reaches the engine as the back key.
- A `Record` is followed by a `Redirect` to the same place as its action: Twilio skips
  the action when nothing was recorded, and the caller must still go on.
- A screened transfer gives each `<Number>` a `url` that Twilio fetches when someone
  answers; what that person hears (and must press) is served by `/twilio/voice/screen`.
- Each sentence is spoken by the voice of the language its words are in; guidance is
  slowed with SSML `<prosody rate>` at the rate configured for that language.
- A caller may answer by voice where their language has a recogniser (`gather_language`):
  `input="dtmf speech"` with that language and hints of what they are likely to say. A
  pause of a third of the key timeout ends what they say (2 seconds, 4 with more time):
  Twilio's default would make every spoken answer wait the whole timeout.
- A language without a voice (docs/languages.md): a sentence with a recording is played
  (`<Play>`); without one its words are read by the voice of its `spoken_by` language;
  failing that the sentence is said in the source language by the source voice. Words are
  never read by the voice of a language they are not written in, except by `spoken_by`.
- Every number a caller may dial is spoken digit by digit (`numbers.py`), in every language.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from twilio.twiml.voice_response import VoiceResponse

from ..flow import phrases
from ..flow.events import Dial, Gather, Hangup, Options, Record, Say, text
from .numbers import dialable, short_numbers, speak


@dataclass(frozen=True)
class VoiceUrls:
    """Where Twilio sends the caller's next key and a transfer's result."""

    step: str = "/twilio/voice/step"
    dial: str = "/twilio/voice/dial"
    recorded: str = "/twilio/voice/recorded"
    screen: str = "/twilio/voice/screen"

    @classmethod
    def at(cls, turn: int, lang: str) -> VoiceUrls:
        """The URLs of a call's next turn: each carries the turn (`n`, so that a repeat is
        recognised) and the caller's language (`lang`, known even when Redis is not)."""
        query = urlencode({"n": turn, "lang": lang})
        return cls(step=f"{cls.step}?{query}", dial=f"{cls.dial}?{query}", recorded=f"{cls.recorded}?{query}")


class _Speech:
    """Sentences waiting to be spoken, merged per voice: (words or a recording's URL,
    language or None for a recording, slow). Every sentence a caller hears goes through it."""

    def __init__(self, catalogues, flows, recordings=None):
        self.catalogues, self.flows, self.recordings = catalogues, flows, recordings
        self.spoken: list[tuple[str, str | None, bool]] = []
        self.numbers = dialable(short_numbers(flows))

    def __call__(self, item: Say) -> None:
        catalogues, flows, spoken = self.catalogues, self.flows, self.spoken
        words, lang = catalogues.render(item.text, item.lang, flows.variables)
        language = flows.languages.languages[lang]
        if language.voice is None:
            url = self.recordings.url(lang, words) if self.recordings else None
            if url:
                spoken.append((url, None, False))
                return
            if language.spoken_by:
                lang = language.spoken_by
            elif item.text.source != lang:
                words, lang = catalogues.render(item.text, flows.languages.source, flows.variables)
            else:
                return  # written in a language nothing can say: the loader keeps such lines out
        if spoken and spoken[-1][1:] == (lang, item.slow):
            spoken[-1] = (f"{spoken[-1][0]} {words}", lang, item.slow)
        else:
            spoken.append((words, lang, item.slow))

    def flush(self, parent) -> None:
        for words, lang, slow in self.spoken:
            if lang is None:
                parent.play(words)
                continue
            language = self.flows.languages.languages[lang]
            verb = parent.say(voice=language.voice, language=language.say_language)
            speak(verb.prosody(rate=language.rate) if slow else verb, words, language.voice, self.numbers)
        self.spoken.clear()


def render_notice(says, catalogues, flows, recordings=None, transfer_to: str = "", dial_timeout: int = 30) -> str:
    """A notice that needs no session (the safe answer when something is broken, a flood
    limit): the sentences by the same voice and recording rules as every prompt, then a
    transfer to `transfer_to` if given (no action: the call goes on below it), then a hangup."""
    response = VoiceResponse()
    speech = _Speech(catalogues, flows, recordings)
    for item in says:
        speech(item)
    speech.flush(response)
    if transfer_to:
        response.dial(timeout=dial_timeout).number(transfer_to)
    response.hangup()
    return str(response)


def render_voice(actions, catalogues, flows, urls: VoiceUrls = VoiceUrls(), recordings=None) -> str:
    response = VoiceResponse()
    say = _Speech(catalogues, flows, recordings)
    flush = say.flush

    for action in actions:
        if isinstance(action, Say):
            say(action)
        elif isinstance(action, Options):
            for key, label in action.items:
                say(Say(text(phrases.OPTION, label=label, key=key), action.lang, action.slow))
        elif isinstance(action, Gather):
            gather = response.gather(
                num_digits=action.digits, timeout=action.timeout, finish_on_key="", action=urls.step, method="POST",
                **_speech(action, flows),
            )
            flush(gather)
            response.redirect(urls.step, method="POST")
        elif isinstance(action, Dial):
            flush(response)
            dial = response.dial(action=urls.dial, method="POST", timeout=action.timeout)
            for number in action.numbers:
                screen = f"{urls.screen}?lang={action.lang}" if action.screen else None
                dial.number(number, url=screen, method="POST" if screen else None)
        elif isinstance(action, Record):
            flush(response)
            response.record(action=urls.recorded, method="POST", max_length=action.seconds, finish_on_key="#",
                            play_beep=True, timeout=5)
            response.redirect(urls.recorded, method="POST")
        elif isinstance(action, Hangup):
            flush(response)
            response.hangup()
    flush(response)
    return str(response)


def _speech(gather: Gather, flows) -> dict:
    language = flows.languages.languages.get(gather.lang)
    if language is None or not language.gather_language:
        return {"input": "dtmf"}
    speech = {"input": "dtmf speech", "language": language.gather_language,
              "speech_timeout": max(1, gather.timeout // 3)}
    if gather.hints:
        speech["hints"] = ", ".join(gather.hints)
    return speech
