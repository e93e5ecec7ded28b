"""Checks on what a caller hears: emergency advice first, and menus short enough for a crisis.

Rules this module keeps:
- What is measured is what the real engine says (`engine.step`, `engine.menu_prompt`) in
  each language, translated by the real catalogues: a check and a call cannot disagree.
- The first sentence of every call must carry the emergency number: for a new caller and
  for one whose language is remembered (who skips the language menu). Not doing so is an
  error: a caller standing over a friend who is not breathing must hear it at once.
- A menu's spoken length is estimated from its words and the language's speaking rate
  (`WORDS_PER_MINUTE`; for scripts without spaces, characters a minute), each number to dial
  counted one word per digit, as it is spoken (channels/numbers.py). Slowed speech (a caller
  who pressed 8) is not counted. A menu past `settings.max_menu_seconds` is a warning, per
  language; every menu's length is in the report, for the `check` command to print.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...channels.numbers import dialable, pieces, short_numbers
from ...flow.engine import begin, menu_prompt, step
from ...flow.events import Options, Say, Start, text
from ...flow.keywords import unspaced
from ...flow.loader import Problem
from ...flow.model import FlowSet, MenuNode
from ...flow.phrases import OPTION
from ...flow.yamlfile import YamlDocument

#: Speaking rates of Twilio's voices, estimated (words a minute; for Chinese and other scripts
#: without spaces, characters a minute). A language not listed gets `DEFAULT_RATE`.
WORDS_PER_MINUTE = {"en": 150, "es": 160, "fr": 150, "fil": 140, "vi": 160, "ar": 120, "ht": 150, "zh": 240}
DEFAULT_RATE = 150


@dataclass(frozen=True)
class MenuLength:
    node: str
    lang: str
    seconds: float


def spoken_words(words: str, numbers, counted: dict[str, int]) -> int:
    """How many words (or characters, in scripts without spaces) `words` is, as spoken.

    `counted` remembers each word's count for the caller: a check measures every menu in
    every language, and the same words come back in most of them."""
    count = 0
    for piece, is_digits in pieces(words, numbers):
        if is_digits:
            count += len(piece)
            continue
        for word in piece.split():
            found = counted.get(word)
            if found is None:
                found = counted[word] = (sum(1 for ch in word if unspaced(ch))
                                         or (1 if any(ch.isalnum() for ch in word) else 0))
            count += found
    return count


def seconds(flows: FlowSet, catalogues, actions, counted: dict[str, int]) -> float:
    """The estimated time to say `actions` at normal speed, each sentence in its own language
    (`counted`: words already counted, as for `spoken_words`)."""
    numbers, total = dialable(short_numbers(flows)), 0.0
    for action in actions:
        if isinstance(action, Say):
            items = [(action.text, action.lang)]
        elif isinstance(action, Options):
            items = [(text(OPTION, label=label, key=key), action.lang) for key, label in action.items]
        else:
            continue
        for item, lang in items:
            words, spoken = catalogues.render(item, lang, flows.variables)
            total += 60 * spoken_words(words, numbers, counted) / WORDS_PER_MINUTE.get(spoken, DEFAULT_RATE)
    return round(total, 1)


def menu_lengths(flows: FlowSet, catalogues) -> list[MenuLength]:
    """Every menu's spoken length in every language a call can be held in."""
    counted: dict[str, int] = {}  # for this check only: nothing is kept once it is over
    return [
        MenuLength(node_id, lang, seconds(flows, catalogues, menu_prompt(flows, node_id, lang), counted))
        for node_id, node in flows.flow.nodes.items() if isinstance(node, MenuNode)
        for lang in flows.languages.languages if flows.can_speak(lang)
    ]


def check_speech(flows: FlowSet, catalogues, doc: YamlDocument) -> tuple[list[Problem], list[MenuLength]]:
    problems = _emergency_first(flows, catalogues, doc)
    lengths = menu_lengths(flows, catalogues)
    limit = flows.settings.max_menu_seconds
    for length in lengths:
        if length.seconds > limit:
            problems.append(Problem(doc.file, doc.line_of(("nodes", length.node)), (
                f"{length.lang}: the menu '{length.node}' takes about {length.seconds:.0f} seconds to say, more than "
                f"{limit} (settings.max_menu_seconds); someone in a crisis may not wait for the end: use shorter "
                "labels or fewer options"), "warning"))
    return problems, lengths


def _emergency_first(flows: FlowSet, catalogues, doc: YamlDocument) -> list[Problem]:
    """The first sentence a new or a returning caller hears must give the emergency number."""
    number = flows.settings.emergency_number
    first = _first_words(flows, catalogues, begin(flows, "voice"))
    problems = [] if number in first else [Problem(doc.file, doc.line_of(("start",)), (
        f"the first thing a new caller hears does not give the emergency number {number}: '{first}'; "
        "set settings.emergency_languages, or make the first sentence say it (\"... call {emergency} now.\")"))]
    missing = {}
    for lang in flows.languages.languages:
        if flows.can_speak(lang):
            words = _first_words(flows, catalogues, begin(flows, "voice", remembered=lang))
            if number not in words:
                missing[lang] = words
    if missing:
        problems.append(Problem(doc.file, doc.line_of(("nodes", flows.flow.menu)), (
            f"a caller whose language is remembered ({', '.join(missing)}) starts at the main menu, and its first "
            f"sentence does not give the emergency number {number}: '{next(iter(missing.values()))}'; make the "
            "menu's first 'say' sentence the emergency line (\"... call {emergency} now.\")")))
    return problems


def _first_words(flows: FlowSet, catalogues, session) -> str:
    """The words of the first sentence said on a call that starts with `session`."""
    _, actions = step(flows, session, Start())
    said = next((a for a in actions if isinstance(a, (Say, Options))), None)
    if isinstance(said, Options):
        said = Say(text(OPTION, label=said.items[0][1], key=said.items[0][0]), said.lang)
    return catalogues.render(said.text, said.lang, flows.variables)[0] if said else ""


def menu_length_table(lengths, limit: int) -> str:
    """Seconds each menu takes to say, one line per menu, one column per language (* past `limit`)."""
    langs = list(dict.fromkeys(length.lang for length in lengths))
    table: dict[str, dict[str, float]] = {}
    for length in lengths:
        table.setdefault(length.node, {})[length.lang] = length.seconds
    rows = [(f"menu (seconds to say, * over {limit})", *langs)]
    rows += [(node, *(f"{by_lang[lang]:.0f}{'*' if by_lang[lang] > limit else ''}" for lang in langs))
             for node, by_lang in table.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                                enumerate(zip(row, widths, strict=True))).rstrip() for row in rows)
