"""Check that the English a caller hears or a texter reads is easy to read (grade 6 or below).

Rules this module keeps:
- The measure is the Flesch-Kincaid grade, from the `textstat` package (a development
  requirement). Without it the check still runs: it only says that reading level was not
  checked (`NOT_CHECKED`), never fails for it.
- What is graded is what people get as one piece: each node's English words together (a
  menu with its options as they are said), and each of the engine's own sentences on its
  own. A piece above `settings.max_reading_grade` is a warning at its file:line, naming its
  hardest sentence, so a coordinator knows what to split or simplify.
- `{placeholders}` are read as a short word; numbers count as written.
- The check does not keep a pronouncing dictionary: every serving process checks its flows
  at start and at each new revision, and textstat's own (the CMU dictionary built whole,
  134,000 words, about 55 MB of Python objects, held for the life of the process) was carried
  by each gunicorn worker for good (docs/deploy.md, "Figures": memory). Grades are worked out
  with the dictionary's sorted lines instead (`syllables`, the same grades, 10 MB for 10 ms
  instead of 55 MB for 0.4-1 s), let go when a check ends; grades are remembered (`GRADES`),
  so checking unchanged texts again does not read the dictionary again.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...flow.loader import Problem
from ...flow.model import FlowSet, MenuNode
from ...flow.phrases import OPTION
from ...flow.yamlfile import YamlDocument
from .syllables import Pronunciations, grade
from .translations import python_messages

NOT_CHECKED = "reading level not checked: the textstat package is not installed (pip install -r requirements-dev.txt)"
GRADES = 2048  # English texts graded, remembered per process (about 150 bytes each)
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
#: Engine sentences that are templates around other words (a service line, a menu line):
#: graded with their node, not on their own.
_TEMPLATES = re.compile(r"^\{[a-z_]+\}|^[^a-z]*$")  # "{name}: ...", or a list of words like "FORGET, ERASE"


_HELD: dict[str, Pronunciations] = {}  # the dictionary while a check grades, let go when it ends


@lru_cache(maxsize=GRADES)
def grade_of(words: str) -> float:
    held = _HELD.get("dictionary") or _HELD.setdefault("dictionary", Pronunciations())
    return round(grade(_PLACEHOLDER.sub("it", words), held), 1)


def available() -> bool:
    try:
        import textstat  # noqa: F401
    except ImportError:
        return False
    return True


def check_reading(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    """A warning for each piece of English above the programme's reading grade."""
    if not available():
        return []
    try:
        return _graded(flows, doc)
    finally:
        _let_go_of_the_dictionary()


def _let_go_of_the_dictionary() -> None:
    _HELD.clear()


def _graded(flows: FlowSet, doc: YamlDocument) -> list[Problem]:
    limit, problems = flows.settings.max_reading_grade, []
    for node_id, node in flows.flow.nodes.items():
        sentences = list(getattr(node, "say", ()))
        if isinstance(node, MenuNode):
            sentences += [OPTION.format(label=option.label, key=option.key) for option in node.options]
        if not sentences:
            continue
        grade = grade_of(" ".join(sentences))
        if grade > limit:
            hardest = max(sentences, key=grade_of)
            problems.append(Problem(doc.file, doc.line_of(("nodes", node_id)), (
                f"'{node_id}' reads at grade {grade:.1f}, above {limit:g} (settings.max_reading_grade); its hardest "
                f"sentence is: \"{hardest}\"; use shorter sentences and shorter words"), "warning"))
    seen = set()
    for message, file, line in python_messages():
        if message in seen or _TEMPLATES.match(message) or " " not in message:
            continue
        seen.add(message)
        grade = grade_of(message)
        if grade > limit:
            problems.append(Problem(file, line, (
                f"this sentence reads at grade {grade:.1f}, above {limit:g} (settings.max_reading_grade): "
                f"\"{message}\"; use shorter sentences and shorter words"), "warning"))
    return problems
