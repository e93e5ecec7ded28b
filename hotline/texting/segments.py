"""How many SMS segments a text costs, counted the way carriers count them.

Rules this module keeps:
- Pure and dependency-free, so the check, the simulator and the SMS channel share it: one
  counter (`measure`), and the pager cuts replies by it.
- A text that uses only the GSM-7 alphabet is sent in 7-bit units: 160 in a single
  message, 153 per segment once it is split (the rest is the joining header). The
  extension characters (`^ { } [ ] ~ | \\ €` and form feed) take two units each.
- Any other character (`á`, `í`, `ó`, `ú`, curly quotes, emoji...) switches the whole text to
  UCS-2: 70 UTF-16 units alone, 67 per segment. Characters outside the Basic Multilingual
  Plane (most emoji) take two units.
- A two-unit character is never cut across two segments, as phones do not split them.
- `plain` keeps a reply in GSM-7 when nothing is lost: typographic punctuation has a plain
  twin, and (for languages that allow it) accents GSM-7 lacks are dropped (á -> a, keeping
  ñ, é and ü, which GSM-7 has).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

GSM7, UCS2 = "GSM-7", "UCS-2"

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_GSM7 = GSM7_BASIC | GSM7_EXTENSION
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}

#: Typographic punctuation with a plain GSM-7 twin that says the same thing.
PUNCTUATION = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2022": "-", "\u00b7": "-",
})
_TYPOGRAPHIC = frozenset(map(chr, PUNCTUATION))


@dataclass(frozen=True)
class SmsSize:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # 7-bit septets or UTF-16 code units
    segments: int

    def __str__(self) -> str:
        plural = "" if self.segments == 1 else "s"
        return f"{self.segments} segment{plural}, {self.encoding}, {self.units} units"


def is_gsm7(text: str) -> bool:
    return _GSM7.issuperset(text)


def unit_costs(text: str) -> tuple[str, list[int]]:
    """The encoding carriers will use for `text` and the units each character costs."""
    if is_gsm7(text):
        return GSM7, [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return UCS2, [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _units(text: str) -> tuple[str, int]:
    """`unit_costs` added up, without a Python step per character (most texts fit one part)."""
    if is_gsm7(text):
        return GSM7, len(text) + sum(text.count(ch) for ch in GSM7_EXTENSION)
    return UCS2, len(text.encode("utf-16-le", "surrogatepass")) // 2  # a pair for each character past 0xFFFF


@lru_cache(maxsize=4096)
def measure(text: str) -> SmsSize:
    """Encoding, units and number of segments of one SMS body (remembered: replies are
    built from the catalogues, so the same pages are measured again and again)."""
    encoding, units = _units(text)
    single, part = LIMITS[encoding]
    if units <= single:
        return SmsSize(encoding, units, 1 if units else 0)
    costs = unit_costs(text)[1]
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return SmsSize(encoding, units, segments)


def segments(text: str) -> tuple[str, int]:
    """(encoding, number of parts) of one SMS as sent; an empty text is one (empty) part."""
    size = measure(text)
    return size.encoding, max(size.segments, 1)


def plain(text: str, punctuation: bool = True, letters: bool = False) -> str:
    """`text` with typographic punctuation (and, if `letters`, accents GSM-7 lacks) made plain.

    `letters` writes á as a but keeps ñ, é and ü, which GSM-7 has: only what would force
    the whole message into UCS-2 is changed.
    """
    if punctuation and not _TYPOGRAPHIC.isdisjoint(text):  # most texts have none: no translate at all
        text = text.translate(PUNCTUATION)
    if letters:
        text = "".join(ch if is_gsm7(ch) else _bare(ch) for ch in text)
    return text


def _bare(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if base and is_gsm7(base) else ch
