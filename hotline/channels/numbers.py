"""Phone numbers spoken digit by digit, so that a caller in a crisis cannot mishear them.

Rules this module keeps:
- Every number a caller may dial is read one digit at a time, in every language: "nine one
  one", never "nine hundred eleven"; "one, eight hundred..." never. The renderer does it, not
  the sentences: a coordinator writes `{emergency}` or `1-800-662-4357` and it is spoken right.
- A number to dial is: the emergency number and every short number of the directory (`988`),
  any N11 service code (`211`, `911`) or `988`, and any number of 7 digits or more, alone or
  in groups joined by dashes, dots, spaces or brackets (`(202) 555-0143`, `1-800-662-4357`).
  Counts and measures ("2 to 3 minutes", "10 milligrams", "press 1") are left alone.
- How: SSML `<say-as>` inside the `<Say>`, with the value each voice family understands.
  Amazon Polly voices (neural ones too) read `interpret-as="digits"` one digit at a time;
  Google voices have no `digits` and read `interpret-as="characters"` so (Amazon Polly and
  Google Cloud SSML references). Twilio's basic voices take no SSML: their digits are spaced.
- Each group of digits gets its own `<say-as>` and the dashes stay between them as written,
  so a long number keeps its short pauses and the words read back (`itertext`) are unchanged.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: interpret-as value that reads a number one digit at a time, per voice family (prefix).
SAY_AS = {"Polly.": "digits", "Google.": "characters"}
_SHORT_CODES = r"[2-9]11|988"
_GROUP = re.compile(r"\d+")
MIN_LONG_DIGITS = 7


@lru_cache(maxsize=8)
def dialable(short_numbers: frozenset[str]) -> re.Pattern:
    """The pattern of numbers to read digit by digit, given the flows' short numbers."""
    shorts = sorted((re.escape(n) for n in short_numbers if n.isdigit()), key=len, reverse=True)
    codes = "|".join([*shorts, _SHORT_CODES])
    return re.compile(
        r"(?<![\d.,])(?:(?P<short>" + codes + r")(?![-. ]?\d)|(?P<long>\+?\(?\d+\)?(?:[-. ]\(?\d+\)?)*)(?!\d))")


def short_numbers(flows) -> frozenset[str]:
    """The emergency number and the directory's short numbers (those not in E.164 form)."""
    found = {flows.settings.emergency_number}
    found |= {service.phone for service in flows.directory.services.values() if not service.phone.startswith("+")}
    return frozenset(found)


def pieces(words: str, pattern: re.Pattern) -> list[tuple[str, bool]]:
    """`words` cut into (text, digits to spell one by one) pieces, in order."""
    out: list[tuple[str, bool]] = []
    position = 0
    for found in pattern.finditer(words):
        number = found.group()
        if found.group("long") and sum(ch.isdigit() for ch in number) < MIN_LONG_DIGITS:
            continue  # "2.5 miles", "3-4 times": a measure, not a number to dial
        out.append((words[position:found.start()], False))
        last = 0
        for group in _GROUP.finditer(number):
            out += [(number[last:group.start()], False), (group.group(), True)]
            last = group.end()
        out.append((number[last:], False))
        position = found.end()
    out.append((words[position:], False))
    return [(text, digits) for text, digits in out if text]


def speak(element, words: str, voice: str | None, pattern: re.Pattern) -> None:
    """Put `words` into a `<Say>` or `<prosody>` element, every number to dial spelled out."""
    interpret = next((value for prefix, value in SAY_AS.items() if voice and voice.startswith(prefix)), None)
    text = ""
    for piece, is_digits in pieces(words, pattern):
        if not is_digits:
            text += piece
        elif interpret is None:
            text += " ".join(piece)
        else:
            if text:
                element.nest(text)
                text = ""
            element.say_as(piece, interpret_as=interpret)
    if text:
        element.nest(text)
