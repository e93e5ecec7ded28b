"""Which script a language is written in, and whether a translation has any of its letters.

A translation into Arabic or Chinese with no Arabic or Chinese letter is almost always the
English left in place, or a placeholder someone typed to fill the entry; callers would hear
it read out in the wrong language. The coordinators' check (`checks.translations`), the
console's live check and a .po upload (`live_checks`) all ask `missing_script` here, so
they warn about exactly the same entries.

Rules this module keeps:
- A language's script is Babel's (CLDR likely subtags: ar -> Arab, zh -> Hans, fil -> Latn);
  only a language written in another script than the source language is looked at.
- Only letters count (Unicode category L*), and never inside a `{placeholder}`: an entry that
  is only a number, a placeholder or punctuation has nothing to translate, and one that mixes
  a name in Latin letters ("SAMHSA") with the language's own is fine.
- A letter belongs to a script by its Unicode name ("ARABIC LETTER ALEF", "CJK UNIFIED
  IDEOGRAPH-4E00"): the script's English name, or the words `OTHER_NAMES` gives where
  Unicode names it otherwise.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from babel import Locale, UnknownLocaleError
from babel.core import get_global

#: Scripts whose name in CLDR ("Simplified", "Bangla") is not how a coordinator knows them, or
#: not the word Unicode names their letters with: (name, words of the letters' Unicode names).
OTHER_NAMES = {
    "Hans": ("Chinese (simplified)", ("CJK",)), "Hant": ("Chinese (traditional)", ("CJK",)),
    "Hani": ("Chinese", ("CJK",)), "Jpan": ("Japanese", ("CJK", "HIRAGANA", "KATAKANA")),
    "Kore": ("Korean", ("HANGUL", "CJK")), "Beng": ("Bengali", ("BENGALI",)), "Orya": ("Odia", ("ORIYA",)),
    "Cans": ("Canadian syllabics", ("CANADIAN",)),
}
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@functools.lru_cache(maxsize=64)
def script_of(lang: str) -> str | None:
    """The ISO 15924 code of the script `lang` is written in ("Arab"), or None if Babel does not know."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if locale.script:
        return locale.script
    likely = get_global("likely_subtags").get(str(locale)) or get_global("likely_subtags").get(locale.language)
    parts = likely.split("_") if likely else []
    return parts[1] if len(parts) == 3 else None


def script_name(script: str) -> str:
    """The script's English name, as a coordinator reads it ("Arabic", "Chinese (simplified)")."""
    return OTHER_NAMES[script][0] if script in OTHER_NAMES else Locale("en").scripts.get(script, script)


def _words(script: str) -> tuple[str, ...]:
    return OTHER_NAMES[script][1] if script in OTHER_NAMES else (script_name(script).upper(),)


def missing_script(lang: str, source: str, text: str) -> str | None:
    """The name of `lang`'s script if `text` has letters but none of that script; else None."""
    script = script_of(lang)
    if script is None or script == script_of(source):
        return None
    letters = [ch for ch in _PLACEHOLDER.sub("", text) if unicodedata.category(ch).startswith("L")]
    words = _words(script)
    if not letters or any(unicodedata.name(ch, "").split(" ")[0] in words for ch in letters):
        return None
    return script_name(script)


def unwritten(name: str) -> str:
    """What to tell a coordinator about a translation with no letter of `name`, the script."""
    return (f"there is no {name} writing in this translation, not one letter: it is most likely the English left "
            f"in place, or a placeholder. Write it in {name}, or empty it until someone can (callers then hear "
            "the English)")
