"""Check each language's voice and language codes against those Twilio accepts.

The accepted values are a copy kept in `hotline/data/twilio_tts.json` (its `source` says
where the list comes from), so the check works offline. A voice Twilio does not know
makes every `<Say>` in that language fail, so it is an error. A language without a voice
(`voice: null`) has nothing to check here.
"""

from __future__ import annotations

import difflib
import functools
import json
from pathlib import Path

from ...flow.languages import Languages
from ...flow.loader import Problem
from ...flow.yamlfile import YamlDocument

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "twilio_tts.json"


@functools.lru_cache(maxsize=1)
def twilio_values() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def check_voices(languages: Languages, doc: YamlDocument) -> list[Problem]:
    known = twilio_values()
    problems = []
    for code, language in languages.languages.items():
        here = ("languages", code)
        if language.voice is None:
            continue  # a language Twilio cannot speak: recordings instead (docs/languages.md)
        if language.say_language not in known["say_languages"]:
            problems.append(Problem(doc.file, doc.line_of((*here, "say_language")), (
                f"Twilio cannot speak the language code '{language.say_language}'"
                + _hint(language.say_language, known["say_languages"]))))
        if language.voice not in known["say_voices"]:
            problems.append(Problem(doc.file, doc.line_of((*here, "voice")), (
                f"Twilio has no voice called '{language.voice}'" + _hint(language.voice, known["say_voices"]))))
        elif language.voice.startswith("Google.") and not language.voice.startswith(f"Google.{language.say_language}-"):
            problems.append(Problem(doc.file, doc.line_of((*here, "voice")), (
                f"the voice '{language.voice}' does not speak '{language.say_language}'")))
    return problems


def _hint(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return f" (did you mean '{close[0]}'?)" if close else ""
