"""Normalise what a texter typed so that `Narcán!`, ` narcan ` and `NARCAN` are one keyword.

Rules this module keeps: matching ignores case, accents and punctuation; the keyword
tables are built once from the flow files and looked up, never scanned, per message.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9A-Z*#]+")


def normalize(text: str) -> str:
    """Upper-case, accent-free words separated by single spaces (`*` and `#` are kept)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", bare.upper()).strip()


def lookup(table, text: str) -> str | None:
    """The entry for the whole message, else for its first word, else None."""
    words = normalize(text)
    if not words:
        return None
    return table.get(words) or table.get(words.split(" ", 1)[0])
