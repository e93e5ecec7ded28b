"""Normalise what a texter typed so that `Narcán!`, ` narcan ` and `NARCAN` are one keyword.

Rules this module keeps: matching ignores case, accents and punctuation, in any script
(`TIẾNG VIỆT` is `TIENG VIET`, `العربيّة` is `العربية`, `中文` stays `中文`); digits of any
script count as keypad digits (Arabic-Indic `٣` is `3`). The keyword tables are built
once from the flow files and catalogues and looked up, never scanned, per message.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w*#]+|_+")
# Letters that accent-stripping leaves alone, and common Arabic spelling variants.
_FOLD = str.maketrans({"Đ": "D", "Ł": "L", "Ø": "O", "ى": "ي", "ة": "ه", "ـ": None})


def normalize(text: str) -> str:
    """Upper-case, accent-free words separated by single spaces (`*` and `#` are kept)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(_digit(ch) for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", bare.upper().translate(_FOLD)).strip()


def _digit(ch: str) -> str:
    value = unicodedata.decimal(ch, None)
    return ch if value is None else str(value)


def lookup(table, text: str) -> str | None:
    """The entry for the whole message, else for its first word, else None."""
    words = normalize(text)
    if not words:
        return None
    return table.get(words) or table.get(words.split(" ", 1)[0])


def extend(table: dict[str, str], owner: str, words, taken=()) -> list[str]:
    """Add `words` for `owner` to `table` in place; return the words already owned elsewhere.

    A word another owner already has (or that is in `taken`) is left out, never stolen:
    the flow files' own keywords always win over words added later from a catalogue.
    """
    clashes = []
    for word in words:
        key = normalize(word)
        if not key:
            continue
        if key in taken or table.get(key, owner) != owner:
            clashes.append(word)
        else:
            table[key] = owner
    return clashes
