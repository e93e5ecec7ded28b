"""The YAML parser's complaints, said as a coordinator who is not a programmer can act on them.

Rules this module keeps:
- A message says what is wrong, on which line, and how to fix it, and points at the part of
  docs/flows.md that explains the rule; it never repeats parser words like `<block end>`.
- Where the parser blames the wrong line (an unclosed bracket is noticed at the next key), the
  message names the line where the fix belongs.
- It only words problems; reading the file is `yamlfile`'s.
"""

from __future__ import annotations

import yaml

RULES = "see docs/flows.md, 'YAML rules'"


def plain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """(1-based line to point at, a sentence saying what to do) for a YAML syntax error."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return 1, f"this file cannot be read: check its quotes, brackets and indentation ({RULES})"
    lines = text.splitlines()
    line, problem = mark.line + 1, exc.problem or ""
    opened = exc.context_mark.line + 1 if exc.context_mark else line
    if "'\\t'" in problem:
        return line, f"this line has a tab in it: use spaces, not tabs, to indent (and inside text) ({RULES})"
    if problem.startswith("expected ',' or ']'"):
        return opened, f"the list that starts with '[' on this line is not closed: add ']' at its end ({RULES})"
    if problem.startswith("expected ',' or '}'"):
        return opened, f"the '{{' on this line is not closed: add '}}' at the end of it ({RULES})"
    if "quoted scalar" in (exc.context or ""):
        return opened, f"the text in quotes that starts on this line has no closing quote: add it ({RULES})"
    current = lines[mark.line] if mark.line < len(lines) else ""
    if problem == "mapping values are not allowed here" and ":" in current[: mark.column].split("#")[0]:
        return line, ("this sentence contains ': ', which YAML reads as 'name: value'; put the whole sentence "
                      f"in double quotes, like say: \"Note: call now.\" ({RULES})")
    if problem.startswith("expected <block end>") and "<scalar>" in problem:
        opening = _quote_opened(text, mark.index)
        if opening is not None and opening != line:
            return opening, f"the text in quotes that starts on this line has no closing quote: add it ({RULES})"
        return line, ("a quote in the middle of this text ends it too early; put the whole text in double "
                      f"quotes, like say: \"It's free.\" ({RULES})")
    if problem.startswith("expected <block end>") or problem == "mapping values are not allowed here":
        return line, _indentation(lines, mark.line)
    return line, f"this line cannot be read ({problem or exc.context}): check its quotes, brackets and indentation " \
                 f"({RULES})"


def _quote_opened(text: str, index: int) -> int | None:
    """The line where the quoted text ending just before `index` opened (None: no quote there)."""
    end = len(text[:index].rstrip())
    if not end or text[end - 1] not in "\"'":
        return None
    start = text.rfind(text[end - 1], 0, end - 1)
    return text.count("\n", 0, start) + 1 if start >= 0 else None


def _indentation(lines: list[str], index: int) -> str:
    """Name the line above that this one should line up with: the nearest one of the same kind."""
    current = lines[index] if index < len(lines) else ""
    indent, item = _indent(current), current.lstrip().startswith("- ")
    for number in range(index - 1, -1, -1):
        above = lines[number]
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        if _indent(above) == indent and above.lstrip().startswith("- ") != item:
            return (f"check the indentation: this line and line {number + 1} ('{_short(above)}') are in the same "
                    "place, but one is a '- ' list item and the other a 'name: value' line; a group holds one kind, "
                    f"so indent this line under the one it belongs to or make it a list item too ({RULES})")
        if above.lstrip().startswith("- ") == item and _indent(above) != indent:
            return (f"check the indentation: this line starts {indent} spaces in, but it must line up with line "
                    f"{number + 1} ('{_short(above)}'), {_indent(above)} spaces in, or be indented under the "
                    f"line it belongs to ({RULES})")
    return f"check the indentation: this line must line up with the lines beside it ({RULES})"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _short(line: str) -> str:
    text = line.strip()
    return text if len(text) <= 40 else text[:39] + "…"
