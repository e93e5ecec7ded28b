"""Count SMS segments the way carriers do, and keep replies in GSM-7 when nothing is lost.

Rules this module keeps:
- Pure text in, figures out: no I/O, no knowledge of flows or Twilio.
- A message is GSM-7 only if every character is in the GSM 03.38 default alphabet or its
  extension table; extension characters (`{ } [ ] ~ \\ | ^ €` and form feed) take two septets.
  One character outside both makes the whole message UCS-2, counted in UTF-16 units (an
  emoji takes two).
- One part holds 160 septets (GSM-7) or 70 units (UCS-2); a longer message is split into
  parts of 153 or 67, because each part then carries a header. An escape pair or a surrogate
  pair is never split across parts, as phones do not split them either.
"""

from __future__ import annotations

import unicodedata

GSM7, UCS2 = "GSM-7", "UCS-2"

_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENSION = frozenset("\f^{}\\[~]|€")
_LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}

#: Typographic punctuation with a plain GSM-7 twin that says the same thing.
PUNCTUATION = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2022": "-", "\u00b7": "-",
})


def encoding(text: str) -> str:
    return GSM7 if all(ch in _BASIC or ch in _EXTENSION for ch in text) else UCS2


def _units(text: str, kind: str) -> list[int]:
    """How many septets (GSM-7) or UTF-16 units (UCS-2) each character takes."""
    if kind == GSM7:
        return [2 if ch in _EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def segments(text: str) -> tuple[str, int]:
    """(encoding, number of parts) of one SMS; an empty text is one (empty) part."""
    kind = encoding(text)
    units = _units(text, kind)
    single, multi = _LIMITS[kind]
    if sum(units) <= single:
        return kind, 1
    parts, used = 1, 0
    for size in units:
        if used + size > multi:
            parts, used = parts + 1, 0
        used += size
    return kind, parts


def plain(text: str, punctuation: bool = True, letters: bool = False) -> str:
    """`text` with typographic punctuation (and, if `letters`, accents GSM-7 lacks) made plain.

    `letters` writes á as a but keeps ñ, é and ü, which GSM-7 has: only what would force
    the whole message into UCS-2 is changed.
    """
    if punctuation:
        text = text.translate(PUNCTUATION)
    if letters:
        text = "".join(ch if ch in _BASIC or ch in _EXTENSION else _bare(ch) for ch in text)
    return text


def _bare(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if base and all(c in _BASIC for c in base) else ch
