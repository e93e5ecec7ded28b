"""Adding a language the hotline does not have yet: pick it, get a voice proposed, create it.

Rules this module keeps:
- Languages are picked from Babel's locale list (CLDR), by code and by name in English and
  in the language itself; territory variants (`pt_BR`) are for the voice, not a new code.
- The voice, its `say_language` and the speech-recognition language are proposed from the
  copy of Twilio's own list (`hotline/data/twilio_tts.json`): the codes of that language,
  the territory where most of its speakers live first (CLDR's likely subtags: `pt` is
  Brazil), then the code with the most voices. Of Google's voices a WaveNet one is proposed,
  else Neural2, else Standard (they take the SSML `<prosody>` that slows guidance down;
  Chirp 3 HD does not). Twilio's code for Mandarin is `cmn`. No code at all: the proposal
  says so, and the language is added without a voice (served by text, and by voice once
  recorded; docs/languages.md).
- Texts in a Latin script keep plain punctuation (`sms_gsm7: punctuation`), others are
  sent as written (`off`); a native speaker may choose `letters` later.
- Creating it writes a block at the end of `languages.yaml` (the coordinators' comments
  stay) and a catalogue from the template, every entry empty. The block says
  `until_complete: true`: the language stays off for callers and texters until the check
  finds its catalogue complete (`checks/held.py`). It gets no language-menu line: a
  coordinator adds one (at most five keys per menu) when it is ready.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import lru_cache

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers
from babel.messages.pofile import read_po

from ..channels.bidi import is_rtl
from ..sentence import Sentence
from .catalogue_edit import serialise
from .checks.voices import twilio_values
from .writing_systems import script_of

#: Babel's code -> Twilio's first code part(s) for the same language.
TWILIO_ALIASES = {"zh": ("cmn",), "ar": ("ar", "arb")}
VOICE_KINDS = ("Wavenet", "Neural2", "Standard")


class NotALanguage(ValueError):
    """The code is not one Babel knows, or the hotline has it already."""


@dataclass(frozen=True)
class Choice:
    code: str
    english: str
    native: str


@dataclass(frozen=True)
class Proposal:
    code: str
    english: str
    native: str
    say_language: str | None
    voice: str | None
    gather_language: str | None
    right_to_left: bool

    @property
    def spoken(self) -> bool:
        return self.voice is not None

    def summary(self) -> Sentence:
        """One sentence for the coordinator: what callers will hear, or why they will not."""
        if not self.voice:
            return Sentence("Twilio has no voice for %(name)s: it will be served by text, and by voice once every "
                            "sentence is recorded.", name=self.english)
        if self.gather_language:
            return Sentence("Voice %(voice)s (%(say)s). Speech recognition: %(gather)s.", voice=self.voice,
                            say=self.say_language, gather=self.gather_language)
        return Sentence("Voice %(voice)s (%(say)s). Twilio cannot recognise it spoken: callers use the keys.",
                        voice=self.voice, say=self.say_language)


@lru_cache(maxsize=1)
def _all_choices() -> tuple[Choice, ...]:
    found = []
    for code in sorted(locale_identifiers()):
        if "_" in code or code == "root":
            continue
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        found.append(Choice(code, locale.english_name or code, locale.display_name or code))
    return tuple(sorted(found, key=lambda c: c.english.casefold()))


def language_choices(existing=(), search: str = "") -> list[Choice]:
    """Babel's languages the hotline does not have yet, matching `search` (code or name)."""
    have = {code.split("_")[0] for code in existing}
    wanted = search.strip().casefold()
    return [c for c in _all_choices() if c.code not in have
            and (not wanted or wanted == c.code or wanted in c.english.casefold() or wanted in c.native.casefold())]


def _codes(candidates, code: str) -> list[str]:
    prefixes = TWILIO_ALIASES.get(code, (code,))
    return [c for c in candidates if c.split("-")[0] in prefixes or c == code]


def _likely_territory(code: str) -> str | None:
    likely = get_global("likely_subtags").get(code)
    return likely.split("_")[-1] if likely else None


def propose(code: str, existing=()) -> Proposal:
    """What the console proposes for a new language `code` (raises `NotALanguage`)."""
    try:
        locale = Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise NotALanguage(Sentence("'%(code)s' is not a language code Babel knows; pick one from the list.",
                                    code=code)) from None
    if "_" in code or locale.territory:
        raise NotALanguage(Sentence("pick the language itself ('%(language)s'), not a country's variant.",
                                    language=locale.language))
    if code in {c.split("_")[0] for c in existing}:
        raise NotALanguage(Sentence("the hotline has %(name)s already.", name=locale.english_name))
    known = twilio_values()
    territory = _likely_territory(code)
    voices_of = {lang: [v for v in known["say_voices"] if v.startswith(f"Google.{lang}-")]
                 for lang in _codes(known["say_languages"], code)}
    speakable = sorted((lang for lang, voices in voices_of.items() if voices),
                       key=lambda lang: (lang.split("-")[-1] != territory, -len(voices_of[lang]), lang))
    say_language = speakable[0] if speakable else None
    voice = _voice(voices_of[say_language]) if say_language else None
    gathers = sorted(_codes(known.get("gather_languages", []), code),
                     key=lambda g: (g.split("-")[-1] != territory, g != say_language, g))
    return Proposal(code, locale.english_name or code, locale.display_name or code, say_language, voice,
                    gathers[0] if gathers else None, is_rtl(code))


def _voice(voices: list[str]) -> str | None:
    for kind in VOICE_KINDS:
        found = sorted(v for v in voices if f"-{kind}-" in v)
        if found:
            return found[0]
    return None


def language_block(proposal: Proposal) -> dict:
    """The `languages.yaml` entry of a new language."""
    word = proposal.code.upper()
    native = proposal.native[:1].upper() + proposal.native[1:]
    keywords = list(dict.fromkeys([word, native.upper(), proposal.english.upper()]))
    block: dict = {"name": native}
    if proposal.voice:
        block.update(say_language=proposal.say_language, voice=proposal.voice)
        if proposal.gather_language:
            block["gather_language"] = proposal.gather_language
        block["rate"] = "90%"
    else:
        block.update(voice=None)
    block.update(
        keywords=keywords, sms_hint=f"{word} = {native}",
        sms_gsm7="punctuation" if script_of(proposal.code) == "Latn" else "off",
        until_complete=True,
    )
    return block


def add_language(languages_yaml: str, template_pot: str, proposal: Proposal, now: dt.datetime) -> tuple[str, str]:
    """(new `languages.yaml` text, new catalogue text) with `proposal` added, every entry to translate."""
    data = yaml.safe_load(languages_yaml) or {}
    if proposal.code in (data.get("languages") or {}):
        raise NotALanguage(Sentence("the hotline has %(name)s already.", name=proposal.english))
    block = yaml.safe_dump({proposal.code: language_block(proposal)}, allow_unicode=True, sort_keys=False)
    indented = "".join(f"  {line}\n" if line.strip() else "\n" for line in block.splitlines())
    comment = "  # added in the console: off for callers and texters until its catalogue is complete\n"
    text = languages_yaml.rstrip("\n") + "\n" + comment + indented
    added = (yaml.safe_load(text) or {}).get("languages") or {}
    if proposal.code not in added:
        raise NotALanguage(Sentence("languages.yaml does not end with its list of languages: add the language there "
                                    "by hand."))
    catalog = read_po(io.BytesIO(template_pot.encode("utf-8")), locale=proposal.code)
    catalog.locale = Locale.parse(proposal.code)
    catalog.revision_date = now
    catalog.fuzzy = False
    return text, serialise(catalog)
