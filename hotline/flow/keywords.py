"""Find the keyword in what a texter typed or a caller said: `Narcán!`, `i need narcan pls`, `NARCAM`.

Rules this module keeps:
- Matching ignores case, accents, punctuation and the words around a keyword; a keyword of
  several words (`GOOD SAMARITAN`) must appear as written. The longest keyword wins, then
  the first one in the message: `naloxone test strips` is about strips.
- A small slip in a longer word still matches (`NALOXOME`, `SOBREDOSSIS`): one edit for
  keywords of 5 to 7 letters, two from 8, counting a swap of neighbours as one edit. Short
  keywords (`OD`, `ES`, `MIX`) must be exact, or every short word would match something.
- The words after the keyword are its argument (`SERVICES 94110` -> `94110`).
- Normalising ignores case, accents and punctuation in any script (`TIẾNG VIỆT` is
  `TIENG VIET`, `العربيّة` is `العربية`, `中文` stays `中文`); digits of any script count as
  keypad digits (Arabic-Indic `٣` is `3`).
- Scripts written without spaces between words (Chinese, Japanese, Thai...) have no words
  to split: a keyword of 2 characters or more in such a script is found inside a run of
  them (`我朋友没有呼吸` holds `没有呼吸`), the longest first.
- Arabic attaches particles to the next word (`و` and, `ف` so, `ب` with, `ل` for, `ك` like,
  and the article `ال`): a word matches a keyword with or without them (`بالجرعة الزائدة`
  is `الجرعة الزائدة`), and diacritics and hamza forms are ignored like any accent.
- Tables are built once from the flow files and catalogues; a message costs dictionary
  look-ups, never a scan of every keyword.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations

_NOT_WORD = re.compile(r"[^\w*#]+|_+")
# Letters that accent-stripping leaves alone, and common Arabic spelling variants.
_FOLD = str.maketrans({"Đ": "D", "Ł": "L", "Ø": "O", "ى": "ي", "ة": "ه", "ـ": None})
#: Only this many words are searched: a long message is a question, not a keyword.
MAX_WORDS = 8
FUZZY_FROM = 5  # letters a keyword needs before a slip is forgiven


def normalize(text: str) -> str:
    """Upper-case, accent-free words separated by single spaces (`*` and `#` are kept)."""
    if text.isascii():  # most texts ("1", "MENU", "hi"): nothing to decompose, fold or turn into digits
        return _NOT_WORD.sub(" ", text.upper()).strip()
    return _normalize_any(text)


def _normalize_any(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(_digit(ch) for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", bare.upper().translate(_FOLD)).strip()


def _digit(ch: str) -> str:
    value = unicodedata.decimal(ch, None)
    return ch if value is None else str(value)


#: Scripts written without spaces between words (Unicode blocks, first and last character).
_UNSPACED = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x0E00, 0x0EFF),
             (0x1000, 0x109F), (0x1780, 0x17FF))
MIN_INSIDE = 2  # characters a keyword in such a script needs before it is searched inside words
_PARTICLES = "وفبلك"  # Arabic one-letter particles written joined to the next word
_ARTICLE = "ال"


def unspaced(word: str) -> bool:
    """Is `word` in a script that does not put spaces between words?"""
    return bool(word) and any(low <= ord(word[0]) <= high for low, high in _UNSPACED)


def bare(word: str) -> str:
    """An Arabic word without the particles and article joined to it (`والجرعة` -> `جرعه`)."""
    if not word or not "\u0600" <= word[0] <= "\u06FF":
        return word
    if word.startswith("لل") and len(word) > 3:
        return word[2:]
    if word[0] in _PARTICLES and len(word) > 2:
        word = word[1:]
    if word.startswith(_ARTICLE) and len(word) > 3:
        word = word[2:]
    return word


def allowed_edits(word: str) -> int:
    if len(word) < FUZZY_FROM or not word.isalpha():
        return 0
    return 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Match:
    """What a keyword leads to, the words after it, and its language if it has only one."""

    value: str
    argument: str = ""
    lang: str | None = None


class KeywordTable:
    """Normalised keyword -> (value, language or None), with its misspellings precomputed."""

    def __init__(self, entries: Mapping[str, tuple[str, str | None]]):
        self.entries = dict(entries)
        self.longest = max((key.count(" ") + 1 for key in self.entries), default=0)
        self.longest_word = max((len(word) for key in self.entries for word in key.split(" ")), default=0)
        self._near: dict[str, set[str]] = {}
        for key in self.entries:
            for variant in _deletions(key, allowed_edits(key)):
                self._near.setdefault(variant, set()).add(key)
        #: keywords without their Arabic particles -> the keyword; keywords found inside words
        self._bare = {_bare_words(key): key for key in self.entries if _bare_words(key) != key}
        self._inside = {key for key in self.entries if unspaced(key) and len(key) >= MIN_INSIDE and " " not in key}
        self._inside_sizes = sorted({len(key) for key in self._inside}, reverse=True)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def __iter__(self):
        return iter(self.entries)

    def values(self):
        return [value for value, _ in self.entries.values()]

    def get(self, key: str) -> str | None:
        entry = self.entries.get(key)
        return entry[0] if entry else None

    def find(self, text: str, max_words: int = MAX_WORDS) -> Match | None:
        """The best keyword among the first `max_words` words of `text`, or None."""
        words = normalize(text).split(" ")[:max_words]
        if words == [""]:
            return None
        found = self._whole(words, self.entries.get)
        bared = [bare(word) for word in words]
        if found is None and bared != words:
            found = self._whole(bared, lambda key: self.entries.get(self._bare.get(key, key)))
        if found is None and self._inside:
            found = self._within(words)
        if found is not None:
            return found
        for start, word in enumerate(words):
            key = self._closest(word)
            if key:
                value, lang = self.entries[key]
                return Match(value, " ".join(words[start + 1:]), lang)
        return None

    def _whole(self, words: list[str], lookup) -> Match | None:
        """The longest run of whole words that is a keyword, the first such run first."""
        for size in range(min(self.longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                entry = lookup(" ".join(words[start:start + size]))
                if entry:
                    return Match(entry[0], " ".join(words[start + size:]), entry[1])
        return None

    def _within(self, words: list[str]) -> Match | None:
        """The longest keyword of a script without spaces found inside one of the words."""
        for size in self._inside_sizes:
            for start, word in enumerate(words):
                if not unspaced(word) or len(word) < size:
                    continue
                for at in range(len(word) - size + 1):
                    if word[at:at + size] in self._inside:
                        value, lang = self.entries[word[at:at + size]]
                        rest = " ".join([word[at + size:], *words[start + 1:]]).strip()
                        return Match(value, rest, lang)
        return None

    def _closest(self, word: str) -> str | None:
        """The one keyword within its allowed edits of `word`; None if none or a tie between owners."""
        # Too short to forgive a slip, or too long to be two edits from any keyword (and a
        # 1,600-letter "word" must not cost millions of deletions).
        if not word.isalpha() or not FUZZY_FROM - 1 <= len(word) <= self.longest_word + 2:
            return None
        found: dict[str, int] = {}
        for variant in _deletions(word, 2):
            for key in self._near.get(variant, ()):
                if key not in found:
                    found[key] = edit_distance(word, key)
        near = sorted((d, key) for key, d in found.items() if 0 < d <= allowed_edits(key))
        if not near:
            return None
        best = [key for d, key in near if d == near[0][0]]
        return best[0] if len({self.entries[key][0] for key in best}) == 1 else None


def _bare_words(key: str) -> str:
    return " ".join(bare(word) for word in key.split(" "))


def _deletions(word: str, edits: int) -> set[str]:
    """`word` with up to `edits` letters removed (the symmetric-delete trick)."""
    if " " in word:
        return set()
    out = {word}
    for n in range(1, min(edits, len(word) - 1) + 1):
        out |= {"".join(word[i] for i in range(len(word)) if i not in gone)
                for gone in combinations(range(len(word)), n)}
    return out


def edit_distance(a: str, b: str) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours needed to turn a into b."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def extend(entries: dict[str, tuple[str, str | None]], owner: str, words, lang: str, taken=(),
           written: dict[str, str] | None = None) -> list[str]:
    """Add `lang`'s `words` for `owner` to `entries` (and each as written to `written`) in
    place; return the words owned elsewhere.

    A word another owner already has (or that is in `taken`) is left out, never stolen: the
    flow files' own keywords always win over words added later from a catalogue. A word
    given by one language only keeps that language (texting it switches to it).
    """
    clashes = []
    for word in words:
        key = normalize(word)
        if not key:
            continue
        if key in taken or entries.get(key, (owner,))[0] != owner:
            clashes.append(word)
        elif key in entries:
            entries[key] = (owner, entries[key][1] if entries[key][1] == lang else None)
        else:
            entries[key] = (owner, lang)
        if written is not None and key in entries:
            keep_written(written, key, word)
    return clashes


def keep_written(written: dict[str, str], key: str, word: str) -> None:
    """Remember how `key` is written: of two spellings ("DEJO", "DEJÓ"), the one with more
    accents and apostrophes, which is the word as a person writes it."""
    def marks(spelling: str) -> int:
        return sum(1 for ch in spelling if not ch.isascii() or ch in "'-")

    if key not in written or marks(word) > marks(written[key]):
        written[key] = word.strip()
