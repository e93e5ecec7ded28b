"""The language list (`flows/languages.yaml`) as frozen, validated data.

Rules this module keeps:
- Codes and voices must be ones Twilio accepts (the coordinators' check compares them with
  Twilio's list); a language Twilio cannot speak has no voice (`voice: null`) and is read
  by recordings or by the voice of `spoken_by` (docs/languages.md).
- Each language carries its own words: how to choose it, and its texting words.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from .fields import Keywords, LangCode, Text, _Strict


class TextingWords(_Strict):
    """One-word texts with a fixed meaning in this language, whatever menu the texter is in.

    `stop` opts out (nothing more is sent), `start` opts back in, `help` gets the programme's
    name and contact, `more` the next page of a long reply. See docs/texting.md.
    """

    stop: Keywords = ()
    start: Keywords = ()
    help: Keywords = ()
    more: Keywords = ()


class Language(_Strict):
    """How one language is spoken and recognised. Codes must be ones Twilio accepts.

    `voice: null` (with no `say_language`) marks a language Twilio cannot speak: its calls
    play recordings if every prompt has one, and its line in the language menu is read by
    the voice of `spoken_by` (a related language) when it has no recording.
    """

    name: Text
    say_language: Text | None = None
    voice: Text | None = None
    spoken_by: LangCode | None = None
    #: Speech recognition language for `<Gather input="speech">` (None: keys only).
    gather_language: Text | None = None
    rate: Annotated[str, StringConstraints(pattern=r"^\d{2,3}%$")] = "100%"
    keywords: Keywords = Field(min_length=1)
    #: How a texter switches to this language, written in this language ("ES = español").
    sms_hint: Text
    #: SMS characters made plain so a reply stays GSM-7: "punctuation" (typographic quotes,
    #: dashes, ellipses), "letters" (also accents GSM-7 lacks: á -> a, keeping ñ é ü) or "off".
    sms_gsm7: Literal["off", "punctuation", "letters"] = "punctuation"
    words: TextingWords = TextingWords()
    #: A language being added: off for callers and texters (no switch words, no menu line, no
    #: hint) until its catalogue has every entry translated; then on by itself (see the check).
    until_complete: bool = False

    @model_validator(mode="after")
    def _voice_and_language_together(self):
        if (self.voice is None) != (self.say_language is None):
            raise ValueError("give both 'voice' and 'say_language', or neither (a language Twilio cannot speak)")
        if self.voice is not None and self.spoken_by is not None:
            raise ValueError("'spoken_by' is only for a language without a voice")
        return self


class Languages(_Strict):
    """`flows/languages.yaml`: every supported language, in one place."""

    schema_: str | None = Field(default=None, alias="$schema")
    source: LangCode = "en"
    default: LangCode
    languages: dict[LangCode, Language] = Field(min_length=1)

    def notice_langs(self, lang: str | None) -> list[str]:
        """What a notice is written in: `lang` if it is one of these, else two languages for
        a person whose language is not known yet (the default and the source)."""
        if lang in self.languages:
            return [lang]
        return list(dict.fromkeys([self.default, self.source, *self.languages]))[:2]
