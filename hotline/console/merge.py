"""Merging a draft with a revision published while it was being edited, and readable diffs.

Rules this module keeps:
- Pure text: a three-way merge by lines between the draft's starting revision (base),
  the draft (yours) and the revision now published (theirs).
- A file only one side changed takes that side's text. Where both changed the same
  lines differently, both versions are kept, between conflict markers naming each side:
  nothing is silently dropped, and the markers fail the check until a person resolves them.
- A diff is a list of rows (kind, old line number, new line number, text) the template
  colours; `kind` is one of "same", "add", "del", "gap" (unchanged lines left out).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MINE_MARK, SPLIT_MARK, THEIRS_MARK = "<<<<<<< your draft", "=======", ">>>>>>> revision {number}"
CONTEXT = 3


@dataclass(frozen=True)
class Merged:
    files: dict[str, str]
    conflicts: dict[str, int]  # file -> how many places need a person's decision


def _hunks(base: list[str], other: list[str]) -> list[tuple[int, int, list[str]]]:
    matcher = difflib.SequenceMatcher(None, base, other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _apply(base: list[str], start: int, end: int, hunks) -> list[str]:
    out, at = [], start
    for s, e, lines in hunks:
        out += base[at:s] + lines
        at = e
    return out + base[at:end]


def merge_lines(base: str, mine: str, theirs: str, number: int) -> tuple[str, int]:
    """(merged text, number of conflicts)."""
    b, m, t = (text.splitlines(keepends=True) for text in (base, mine, theirs))
    tagged = sorted([(s, e, lines, "mine") for s, e, lines in _hunks(b, m)] +
                    [(s, e, lines, "theirs") for s, e, lines in _hunks(b, t)], key=lambda h: (h[0], h[1]))
    out: list[str] = []
    at, conflicts, i = 0, 0, 0
    while i < len(tagged):
        group = [tagged[i]]
        start, end = tagged[i][0], tagged[i][1]
        i += 1
        while i < len(tagged) and (tagged[i][0] < end or tagged[i][0] == start):
            group.append(tagged[i])
            end = max(end, tagged[i][1])
            i += 1
        out += b[at:start]
        sides = {side for *_, side in group}
        mine_text = _apply(b, start, end, [h[:3] for h in group if h[3] == "mine"])
        theirs_text = _apply(b, start, end, [h[:3] for h in group if h[3] == "theirs"])
        if sides == {"mine"} or mine_text == theirs_text:
            out += mine_text
        elif sides == {"theirs"}:
            out += theirs_text
        else:
            conflicts += 1
            out += [MINE_MARK + "\n", *_ended(mine_text), SPLIT_MARK + "\n", *_ended(theirs_text),
                    THEIRS_MARK.format(number=number) + "\n"]
        at = end
    return "".join(out + b[at:]), conflicts


def _ended(lines: list[str]) -> list[str]:
    return [*lines[:-1], lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"] if lines else []


def merge(base: dict[str, str], mine: dict[str, str], theirs: dict[str, str], number: int) -> Merged:
    files, conflicts = {}, {}
    for name in sorted({*base, *mine, *theirs}):
        b, m, t = base.get(name), mine.get(name), theirs.get(name)
        if m in (b, t):
            result = t
        elif t == b:
            result = m
        else:
            result, count = merge_lines(b or "", m or "", t or "", number)
            if count:
                conflicts[name] = count
        if result is not None:
            files[name] = result
    return Merged(files, conflicts)


def diff(old: str, new: str) -> list[tuple[str, int | None, int | None, str]]:
    """Rows of a readable line diff, with `CONTEXT` unchanged lines around each change."""
    a, b = old.splitlines(), new.splitlines()
    rows = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(CONTEXT):
        if rows:
            rows.append(("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [("same", i1 + k + 1, j1 + k + 1, a[i1 + k]) for k in range(i2 - i1)]
                continue
            rows += [("del", i1 + k + 1, None, a[i1 + k]) for k in range(i2 - i1)]
            rows += [("add", None, j1 + k + 1, b[j1 + k]) for k in range(j2 - j1)]
    return rows


def diff_files(old: dict[str, str], new: dict[str, str]) -> list[tuple[str, list]]:
    """(file, rows) for every file that differs."""
    return [(name, diff(old.get(name, ""), new.get(name, ""))) for name in sorted({*old, *new})
            if old.get(name) != new.get(name)]
