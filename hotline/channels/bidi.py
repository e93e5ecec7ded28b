"""Keep right-to-left text (Arabic) readable on any phone when it mixes in numbers and Latin words.

Rules this module keeps: marks, not isolates. RLM and LRM (U+200F, U+200E) date from the
first Unicode versions and every phone that shows Arabic knows them; the newer isolate
characters show as boxes on older phones. Each right-to-left line starts with an RLM, so
a line that opens with a number ("1 ...") or a keyword is still laid out right to left,
and each run of Latin letters, digits and the punctuation inside phone numbers is wrapped
in LRMs, so "(202) 555-0143" and "1-800-662-4357" keep their order. Left-to-right
languages are never touched: marks would push an English text out of GSM-7 into UCS-2.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError

RLM, LRM = "\u200f", "\u200e"
_LTR_RUN = re.compile(r"[A-Za-z0-9(+][A-Za-z0-9 ()+\-./:*#]*[A-Za-z0-9)]|[A-Za-z0-9]")


@cache
def is_rtl(lang: str) -> bool:
    try:
        return Locale.parse(lang).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


def rtl_line(line: str) -> str:
    """One line of right-to-left text, marked so that it lays out well anywhere."""
    return RLM + _LTR_RUN.sub(lambda m: LRM + m.group(0) + LRM, line)


def readable(line: str, lang: str) -> str:
    """`line` as it should be sent: marked if `lang` is written right to left."""
    return rtl_line(line) if is_rtl(lang) else line
