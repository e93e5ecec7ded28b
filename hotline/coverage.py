"""How complete each language's catalogue is, for the coordinators' check.

Rules this module keeps: reads the `.po` files as they are (no cache, no side effects) and
counts against the template, `locales/messages.pot`, so a string added to the flows but not
yet in a catalogue counts as missing. An entry is `translated` when it has a usable
translation: not empty, not fuzzy, same `{placeholders}` as the English. `needs_review`
counts translated entries still carrying the draft mark (a translator comment containing
`REVIEW_MARK`); a native speaker removes the mark once they have checked the entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from .i18n import placeholders

REVIEW_MARK = "needs review by a native speaker"


@dataclass(frozen=True)
class Coverage:
    lang: str
    total: int
    translated: int = 0
    fuzzy: int = 0
    missing: int = 0
    broken: int = 0  # translated, but its {placeholders} differ from the English: not used
    needs_review: int = 0

    @property
    def complete(self) -> bool:
        return self.translated == self.total

    def __str__(self) -> str:
        return (f"{self.lang}: {self.translated}/{self.total} translated, {self.fuzzy} fuzzy, "
                f"{self.missing} missing, {self.broken} broken, {self.needs_review} need review")


def catalogue_coverage(locales_dir: str | Path, languages, source: str = "en") -> list[Coverage]:
    """One `Coverage` per language (the source language is complete by definition)."""
    locales_dir = Path(locales_dir)
    with (locales_dir / "messages.pot").open("rb") as fileobj:
        wanted = [(m.id, m.context) for m in read_po(fileobj) if m.id]
    rows = []
    for lang in languages:
        if lang == source:
            rows.append(Coverage(lang, len(wanted), translated=len(wanted)))
            continue
        path = locales_dir / lang / "LC_MESSAGES" / "messages.po"
        if not path.is_file():
            rows.append(Coverage(lang, len(wanted), missing=len(wanted)))
            continue
        with path.open("rb") as fileobj:
            catalog = read_po(fileobj, locale=lang)
        counts = {"translated": 0, "fuzzy": 0, "missing": 0, "broken": 0, "needs_review": 0}
        for msgid, context in wanted:
            entry = catalog.get(msgid, context=context)
            state = _state(entry)
            counts[state] += 1
            if state == "translated" and any(REVIEW_MARK in c for c in entry.user_comments):
                counts["needs_review"] += 1
        rows.append(Coverage(lang, len(wanted), **counts))
    return rows


def _state(entry) -> str:
    if entry is None or not entry.string:
        return "missing"
    if entry.fuzzy:
        return "fuzzy"
    if not entry.context and placeholders(entry.string) != placeholders(entry.id):
        return "broken"
    return "translated"
