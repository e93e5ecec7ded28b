"""Languages being added stay off for callers and texters until their catalogue is complete.

Rules this module keeps:
- How languages are switched on: a language in `languages.yaml` can be chosen by its switch
  words (texts), its line in a language menu (calls) and its SMS hint. A language marked
  `until_complete: true` (the console's "new language" writes it) gets none of these while
  any entry of its catalogue is missing, fuzzy or broken: a texter must never land in a
  language that answers half in English.
- The moment the check finds the catalogue complete, the language is on, with no other
  edit; the mark can stay. Until then each check says how much is left (a warning).
"""

from __future__ import annotations

import dataclasses

from ...flow.keywords import KeywordTable
from ...flow.loader import Problem
from ...flow.model import FlowSet, LanguageNode


def hold_incomplete(flows: FlowSet, coverage, lang_doc) -> tuple[FlowSet, list[Problem]]:
    """The flows with incomplete `until_complete` languages held back, and a warning for each."""
    done = {c.lang: c for c in coverage}
    held, problems = set(), []
    for code, language in flows.languages.languages.items():
        row = done.get(code)
        if not language.until_complete or code == flows.languages.source or row is None:
            continue
        if row.translated < row.needed:
            held.add(code)
            problems.append(Problem(lang_doc.file, lang_doc.line_of(("languages", code)), (
                f"{code}: off for callers and texters until its catalogue is complete "
                f"({row.needed - row.translated} of {row.needed} entries still to translate or fix); "
                "it switches on by itself then"), "warning"))
    if not held:
        return flows, problems
    for node_id, node in flows.flow.nodes.items():
        if isinstance(node, LanguageNode) and any(c.lang in held and not c.goto for c in node.options):
            problems.append(Problem(*flows.locations.get(node_id, (lang_doc.file, 1)), (
                f"the language menu '{node_id}' has a line for a language still being added; callers do not hear "
                "it until that language's catalogue is complete"), "warning"))
    words = {word: entry for word, entry in flows.language_keywords.entries.items() if entry[0] not in held}
    return dataclasses.replace(flows, held=frozenset(held), language_keywords=KeywordTable(words)), problems
