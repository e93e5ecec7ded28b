"""A strict reading of a `.po` catalogue's syntax, line by line, in a translator's words.

Why not Babel alone: Babel's reader (and `pybabel compile`) forgive broken lines and keep
going, so `msgstr Llame al {emergency} ahora."` (opening quote missing) passes and texters get
`lame al 911 ahora.` GNU `msgfmt -c` rejects such a file; this module rejects it the same way,
without needing gettext installed, and says what to type instead.

Rules this module keeps:
- Every line is blank, a comment (`#`...), a keyword (`msgctxt`, `msgid`, `msgid_plural`,
  `msgstr`, `msgstr[N]`) followed by one quoted text, or a quoted text alone continuing the
  line above. A quoted text opens and closes with `"`, a `"` inside it is written `\\"`, and
  only gettext's escapes (`\\n`, `\\t`, `\\\\`...) are allowed.
- Entries are in order: `msgctxt` (optional), `msgid`, then `msgstr`; each entry has both.
- The same text (and context) twice is an error: which of the two translations would be said?
- Obsolete entries (`#~`) are comments here: the hotline never uses them.
- Each problem is (line, message); an empty list means the file is well formed.
"""

from __future__ import annotations

import re

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr\[\d+\]|msgstr)(?=\s|\"|$)")
_ESCAPES = set("ntrabfv\\\"'?01234567x")


def syntax_problems(data: bytes) -> list[tuple[int, str]]:
    """Every syntax error of the catalogue `data`, as (1-based line, plain message)."""
    problems: list[tuple[int, str]] = []
    lines = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            problems.append((number, "this line is not UTF-8 text: save the file with the UTF-8 encoding"))
            lines.append("")
    entries = _Entries(problems)
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if not stripped:
            entries.blank()
        elif stripped.startswith("#"):
            entries.comment()
        elif stripped.startswith('"'):
            problem = _quoted(stripped)
            if problem:
                problems.append((number, problem))
            entries.continuation(number, stripped)
        else:
            keyword = _KEYWORD.match(stripped)
            if not keyword:
                word = stripped.split()[0]
                problems.append((number, (
                    f"'{_short(word)}' is not a catalogue keyword: a line is msgid \"...\", msgstr \"...\", "
                    "a comment starting with #, or a \"quoted\" text continuing the line above")))
                entries.blank()
                continue
            rest = stripped[keyword.end():].strip()
            if not rest:
                problems.append((number, (
                    f'{keyword.group(1)} needs its text in double quotes on the same line: {keyword.group(1)} ""')))
            elif not rest.startswith('"'):
                fixed = rest if rest.endswith('"') else rest + '"'
                problems.append((number, (
                    f"the text after {keyword.group(1)} does not start with a double quote (\"): "
                    f'write it as {keyword.group(1)} "{_short(fixed, 50)}')))
            else:
                problem = _quoted(rest)
                if problem:
                    problems.append((number, problem))
            entries.keyword(number, keyword.group(1), rest)
    entries.blank()
    return sorted(problems)


def _quoted(text: str) -> str | None:
    """What is wrong with one quoted text (`"..."` and nothing after it), or None."""
    i = 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            if i + 1 >= len(text) or text[i + 1] not in _ESCAPES:
                shown = text[i:i + 2]
                return (f"'{shown}' is not something a catalogue understands: write \\\\ for a backslash, "
                        "\\\" for a double quote, \\n for a new line")
            i += 2
            continue
        if char == '"':
            after = text[i + 1:].strip()
            if after and not after.startswith("#"):
                return ("a double quote ends the text too early: write a double quote inside the text as \\\" "
                        f"(the part after it, '{_short(after)}', would be lost)")
            return None
        i += 1
    return 'the text is not closed: end the line with a double quote (")'


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


class _Entries:
    """Follows msgctxt / msgid / msgstr through a file and reports what is out of order."""

    def __init__(self, problems: list):
        self.problems = problems
        self.seen: dict[tuple[str, str], int] = {}  # (context, msgid) -> line of its msgid
        self._reset()

    def _reset(self) -> None:
        self.context: str | None = None
        self.msgid: str | None = None
        self.msgid_line = 0
        self.has_msgstr = False
        self.last: str | None = None  # the keyword a continuation line would belong to
        self.texts: dict[str, list[str]] = {}

    def keyword(self, number: int, word: str, rest: str) -> None:
        if word == "msgctxt":
            self._end()
            self.context = ""
        elif word == "msgid":
            if self.msgid is not None:
                self._end()
            self.msgid, self.msgid_line = "", number
        elif self.msgid is None:
            self.problems.append((number, f"{word} must come after the msgid it translates: add the msgid line above"))
        elif word.startswith("msgstr"):
            self.has_msgstr = True
        self.last = word
        self.texts.setdefault(word, []).append(_content(rest))

    def continuation(self, number: int, text: str) -> None:
        if self.last is not None:
            self.texts[self.last].append(_content(text))
        else:
            self.problems.append((number, (
                "this quoted text belongs to no msgid or msgstr: put it just below the msgid or msgstr line "
                "it continues (no blank or comment line between them)")))

    def comment(self) -> None:
        self.last = None  # a text after a comment line continues nothing

    def blank(self) -> None:
        self._end()

    def _end(self) -> None:
        if self.msgid is not None:
            if not self.has_msgstr:
                self.problems.append((self.msgid_line, (
                    "this msgid has no msgstr below it: add a line msgstr \"\" (then the translation)")))
            key = ("".join(self.texts.get("msgctxt", [])), "".join(self.texts.get("msgid", [])))
            if key in self.seen:
                self.problems.append((self.msgid_line, (
                    f"this text is already in the catalogue (line {self.seen[key]}): keep one of the two entries")))
            else:
                self.seen[key] = self.msgid_line
        self._reset()


def _content(rest: str) -> str:
    """The inside of a quoted text as written (escapes kept): enough to tell entries apart."""
    end = rest.rfind('"')
    return rest[1:end] if end > 0 else rest
