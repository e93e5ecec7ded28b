"""How many SMS segments a text costs, counted the way carriers count them.

Rules this module keeps:
- Pure and dependency-free, so the check, the simulator and the SMS channel share it.
- A text that uses only the GSM-7 alphabet is sent in 7-bit units: 160 in a single
  message, 153 per segment once it is split (the rest is the joining header). The
  extension characters (`^ { } [ ] ~ | \\ €` and form feed) take two units each.
- Any other character (`á`, `í`, `ó`, `ú`, curly quotes, emoji...) switches the whole text to
  UCS-2: 70 UTF-16 units alone, 67 per segment. Characters outside the Basic Multilingual
  Plane (most emoji) take two units.
- A two-unit character is never cut across two segments, as phones do not split them.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")
_GSM7 = GSM7_BASIC | GSM7_EXTENSION
LIMITS = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


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
        return "GSM-7", [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return "UCS-2", [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def measure(text: str) -> SmsSize:
    """Encoding, units and number of segments of one SMS body."""
    encoding, costs = unit_costs(text)
    single, part = LIMITS[encoding]
    units = sum(costs)
    if units <= single:
        return SmsSize(encoding, units, 1 if units else 0)
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return SmsSize(encoding, units, segments)
