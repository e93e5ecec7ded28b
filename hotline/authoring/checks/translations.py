"""Checks on the translation catalogues, and the coverage table per language.

Rules this module keeps:
- What needs translating is worked out from the sources as they are now (the flow file and
  the hotline's own phrases), not from a template that may be stale.
- Per language: missing, fuzzy and no-longer-used entries are warnings (callers still hear
  the English text); a translation whose `{placeholders}` differ from the English is an
  error, reported at its line in the `.po` file, because the hotline will not use it.
- A catalogue with a syntax error (`posyntax`) is an error at each broken line: it is never
  published, so a running hotline keeps the last good version.
- A long run of missing entries is summarised, so a brand-new language does not bury
  everything else in the report.
- Entries are (msgid, context) pairs: a node's keywords are an entry with context `keywords`.
- A usable translation into a language written in another script (Arabic, Chinese) that has
  none of its letters is a warning at its line: most likely the English left in place. The
  console's live check asks the same function (`writing_systems.missing_script`).
- `needs_review` counts usable translations still marked as drafts (a translator comment
  containing `REVIEW_MARK`); a native speaker removes the mark once they have checked one.
  `reviewed` counts those whose review is recorded, as the console records it: a translator
  comment `reviewed by NAME on YYYY-MM-DD` (`review_of`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_python
from babel.messages.pofile import PoFileError, read_po

from ...flow.languages import Languages
from ...flow.loader import Problem
from ...flow.yamlfile import YamlDocument
from ...i18n import KEYWORDS_CONTEXT, flow_messages, placeholders, read_catalogue
from ..writing_systems import missing_script, unwritten
from .posyntax import syntax_problems

PACKAGE = Path(__file__).resolve().parent.parent.parent
MAX_MISSING_LISTED = 10
REVIEW_MARK = "needs review by a native speaker"
REVIEW_COMMENT = re.compile(r"^reviewed by (?P<name>.+) on (?P<date>\d{4}-\d{2}-\d{2})$")


def review_comment(name: str, on: dt.date) -> str:
    """The translator comment that records a review."""
    return f"reviewed by {' '.join(name.split())} on {on.isoformat()}"


def review_of(comments) -> tuple[str, dt.date] | None:
    """(who, when) from an entry's translator comments, or None if they record no review."""
    for comment in comments:
        found = REVIEW_COMMENT.match(comment.strip())
        if found:
            try:
                return found["name"].strip(), dt.date.fromisoformat(found["date"])
            except ValueError:
                continue
    return None


@dataclass(frozen=True)
class Coverage:
    lang: str
    name: str
    needed: int
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0
    unused: int = 0
    broken: int = 0
    needs_review: int = 0
    reviewed: int = 0

    @property
    def percent(self) -> int:
        return int(100 * self.translated / self.needed) if self.needed else 100


KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}
#: A file that names none of the keywords cannot mark a message; most files do not.
_MARKS = re.compile(r"\b(?:" + "|".join(map(re.escape, KEYWORDS)) + r")\s*\(")


@functools.lru_cache(maxsize=1)
def python_messages() -> tuple[tuple[str, str, int], ...]:
    """(msgid, file, line) of every string marked in the hotline's Python code; it cannot
    change while running. Only the few files that use a keyword are given to Babel. The
    console's own words are another catalogue (hotline/console/catalogue.py), never heard."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if PACKAGE / "console" in path.parents or not _MARKS.search(path.read_text(encoding="utf-8")):
            continue
        with path.open("rb") as source:
            for line, _, message, _ in extract_python(source, KEYWORDS, ("TRANSLATORS",), {}):
                if isinstance(message, str) and message:
                    found.append((message, path.relative_to(PACKAGE.parent).as_posix(), line))
    return tuple(found)


def needed_messages(flow_doc: YamlDocument) -> dict[tuple[str, str | None], tuple[str, int]]:
    """Every (msgid, context) the hotline can use, with the file and line where it is written."""
    needed: dict[tuple[str, str | None], tuple[str, int]] = {}
    for line, funcname, message, _ in flow_messages(flow_doc):
        key = (message[1], message[0]) if funcname == "pgettext" else (message, None)
        needed.setdefault(key, (flow_doc.file, line))
    for message, file, line in python_messages():
        needed.setdefault((message, None), (file, line))
    return needed


def check_translations(
    flow_doc: YamlDocument, locales_dir: Path, languages: Languages, lang_doc: YamlDocument
) -> tuple[list[Problem], list[Coverage]]:
    needed = needed_messages(flow_doc)
    problems: list[Problem] = _check_template(Path(locales_dir) / "messages.pot", needed)
    table: list[Coverage] = []
    source_name = languages.languages[languages.source].name
    for code, language in languages.languages.items():
        if code == languages.source:
            continue
        path = Path(locales_dir) / code / "LC_MESSAGES" / "messages.po"
        if not path.is_file():
            problems.append(Problem(lang_doc.file, lang_doc.line_of(("languages", code)), (
                f"there is no catalogue for '{code}' yet, so its callers hear {source_name}; "
                f"run: python -m hotline translate init {code}"), "warning"))
            table.append(Coverage(code, language.name, len(needed), missing=len(needed)))
            continue
        found, coverage = _check_catalogue(path, code, language.name, needed, languages.source)
        problems += found
        table.append(coverage)
    return problems, table


def _check_template(path: Path, needed: dict) -> list[Problem]:
    if not path.is_file():
        return [Problem(str(path), 1, "the template is missing; run: python -m hotline translate extract", "warning")]
    with path.open("rb") as fileobj:
        current = {(m.id, m.context) for m in read_po(fileobj) if m.id}
    new, gone = len(set(needed) - current), len(current - set(needed))
    if not new and not gone:
        return []
    return [Problem(str(path), 1, (
        f"the template is out of date ({new} new and {gone} removed texts); "
        "run: python -m hotline translate extract, then translate update"), "warning")]


def _check_catalogue(path: Path, code: str, name: str, needed: dict, source: str) -> tuple[list[Problem], Coverage]:
    file = str(path)
    broken = syntax_problems(path.read_bytes())
    if broken:  # Babel would read past these lines and serve the mangled text: never published
        return [Problem(file, line, f"{message} (until this is fixed, this catalogue is not used)")
                for line, message in broken], Coverage(code, name, len(needed))
    try:
        catalog = read_catalogue(path, code, strict=True)
    except PoFileError as exc:
        reason = re.sub(r" on \d+$", "", str(exc))
        problem = Problem(file, exc.lineno + 1, f"this line breaks the catalogue, so none of it is used ({reason})")
        return [problem], Coverage(code, name, len(needed))
    except (ValueError, UnicodeDecodeError) as exc:
        return [Problem(file, 1, f"this catalogue cannot be read ({exc})")], Coverage(code, name, len(needed))
    problems: list[Problem] = []
    missing: list[Problem] = []
    counts = {"translated": 0, "fuzzy": 0, "missing": 0, "unused": 0, "broken": 0, "needs_review": 0,
              "reviewed": 0}
    for (msgid, context), (source_file, source_line) in needed.items():
        entry = catalog.get(msgid, context=context)
        if entry is None:
            counts["missing"] += 1
            missing.append(Problem(source_file, source_line, (
                f"{code}: not in the catalogue yet, run translate update: '{_short(msgid)}'"), "warning"))
        elif not entry.string:
            counts["missing"] += 1
            missing.append(Problem(file, entry.lineno, f"{code}: not translated yet: '{_short(msgid)}'", "warning"))
        elif entry.fuzzy:
            counts["fuzzy"] += 1
            problems.append(Problem(file, entry.lineno, (
                f"{code}: the translation of '{_short(msgid)}' is marked fuzzy (a guess) and is not used; "
                "check it and delete the '#, fuzzy' line"), "warning"))
        elif placeholders(entry.string) != placeholders(msgid):
            counts["broken"] += 1
            problems.append(Problem(file, entry.lineno, (
                f"{code}: the translation uses {_names(entry.string)} but the English uses {_names(msgid)}; "
                "keep every {name} exactly as in the English (this translation is not used until fixed)")))
        else:
            counts["translated"] += 1
            script = missing_script(code, source, entry.string) if context != KEYWORDS_CONTEXT else None
            if script:
                problems.append(Problem(file, entry.lineno, (
                    f"{code}: '{_short(msgid)}': {unwritten(script)}"), "warning"))
            draft = any(REVIEW_MARK in comment for comment in entry.user_comments)
            counts["needs_review"] += draft
            counts["reviewed"] += not draft and review_of(entry.user_comments) is not None
    for entry in catalog:
        if entry.id and (entry.id, entry.context) not in needed:
            counts["unused"] += 1
            problems.append(Problem(file, entry.lineno, (
                f"{code}: '{_short(entry.id)}' is no longer said anywhere; run translate update to retire it"
            ), "warning"))
    problems += missing[:MAX_MISSING_LISTED]
    if len(missing) > MAX_MISSING_LISTED:
        problems.append(Problem(file, 1, (
            f"{code}: ... and {len(missing) - MAX_MISSING_LISTED} more texts not translated yet "
            "(see the coverage table)"), "warning"))
    return problems, Coverage(code, name, len(needed), **counts)


def _short(message: str, width: int = 60) -> str:
    return message if len(message) <= width else message[: width - 3] + "..."


def _names(message: str) -> str:
    names = sorted(placeholders(message))
    return ", ".join("{" + n + "}" for n in names) if names else "no placeholders"


def coverage_table(table: list[Coverage]) -> str:
    """A plain table: one line per language."""
    rows = [("language", "translated", "fuzzy", "missing", "broken", "unused", "to review", "reviewed", "done")]
    rows += [
        (f"{c.lang} ({c.name})", f"{c.translated}/{c.needed}", str(c.fuzzy), str(c.missing), str(c.broken),
         str(c.unused), str(c.needs_review), str(c.reviewed), f"{c.percent}%")
        for c in table
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in pairs]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
