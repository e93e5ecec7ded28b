"""What a text or a spoken answer asks for, before the engine acts on it.

Rules this module keeps:
- Pure: flow tables and words in, an `Intent` out. No session is changed here.
- Emergency words win over everything and are searched in the whole message: someone
  writing "my friend is not breathing, what do I do" must get the overdose steps at once.
- A language is switched only by a message that is nothing but a language keyword (after
  spelling slips): `EN` inside "necesito naloxona en casa" is the Spanish word "en".
- A digit alone is a menu key; any other keyword may stand among other words.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from .keywords import Match, normalize
from .model import FIXED_KEYS, FlowSet, MenuNode

EMERGENCY_WORDS = 400  # words searched for emergency keywords: all of a 1,600-character text
SPOKEN_LANGUAGE_WORDS = 3  # "Spanish, please" switches a caller; a text must be the keyword alone
MAX_HINTS = 100
LANGUAGE_HINTS = 2  # names hinted per language ("english", "ingles"): room for the keywords


@dataclass(frozen=True)
class Intent:
    """`kind` is emergency, language, key, node, forget or unknown; `value` the node, language or key."""

    kind: str
    value: str = ""
    argument: str = ""
    lang: str | None = None


UNKNOWN = Intent("unknown")


def read(flows: FlowSet, words: str, spoken: bool = False) -> Intent:
    """The intent of a text (or, if `spoken`, of a caller's recognised speech)."""
    emergency = flows.emergency_keywords.find(words, EMERGENCY_WORDS)
    if emergency:
        return _intent("emergency", emergency)
    plain = normalize(words)
    if spoken and plain in flows.forget_words:  # "forget me", and nothing else: as FORGET is texted
        return Intent("forget", lang=flows.forget_words.get(plain))
    if len(plain) == 1 and (plain.isdigit() or plain in FIXED_KEYS):
        return Intent("key", plain)
    whole = flows.language_keywords.get(plain)  # the whole text, in any script: "TIẾNG VIỆT"
    language = (
        flows.language_keywords.find(words, SPOKEN_LANGUAGE_WORDS) if spoken
        else Match(whole) if whole
        else flows.language_keywords.find(words, 1) if " " not in plain else None
    )
    if language:
        return _intent("language", language)
    found = flows.keywords.find(words)
    return _intent("node", found) if found else UNKNOWN


def _intent(kind: str, match: Match) -> Intent:
    return Intent(kind, match.value, match.argument, match.lang)


def hints(flows: FlowSet, node_id: str, lang: str) -> tuple[str, ...]:
    """Words a caller at `node_id` is likely to say, for the recogniser (Gather `hints`).

    Any keyword may be said at any menu. First the emergency words, then those of where
    this menu's options lead and of a person, then the names of the languages, then every
    other node's: "not breathing", "strips", "operator", "español", "naloxone". Each is
    given as it is written ("không thở", "won't wake up"), not as the accent-free key it is
    matched by: the recogniser is told words, and writes what it hears with accents. Words
    of another language only (from its catalogue) are left out. Remembered per flow set.
    """
    remembered = flows.speech_hints.get((node_id, lang))
    if remembered is None:
        remembered = flows.speech_hints[(node_id, lang)] = _hints(flows, node_id, lang)
    return remembered


@dataclass(frozen=True)
class _Ranked:
    """A language's keywords in the order they are hinted, worked out once per flow set and
    language: a menu's hints are then its few near words merged in, not a sort of every
    keyword (a 1,000-node set has thousands, and a check asks for every menu in every language)."""

    emergency: tuple[str, ...]
    #: node -> (place in the order of all keywords, word as written) of the words leading there
    by_owner: dict[str, list[tuple[int, str]]]
    every: tuple[str, ...]  # all of them, without repeats
    languages: tuple[str, ...]


def _ranked(flows: FlowSet, lang: str) -> _Ranked:
    ranked = flows.speech_hints.get(lang)
    if ranked is not None:
        return ranked

    def in_order(table) -> list[tuple[str, str]]:  # (owner, word): the caller's own language's words first
        found = [(word_lang is None, owner, word) for word, (owner, word_lang) in table.entries.items()
                 if word_lang in (None, lang)]
        return [(owner, flows.written.get(word, word).lower())
                for _, owner, word in sorted(found, key=lambda entry: entry[0])]

    keywords, by_owner = in_order(flows.keywords), {}
    for place, (owner, word) in enumerate(keywords):
        by_owner.setdefault(owner, []).append((place, word))
    languages = ()
    if len(flows.languages.languages) > 1:
        languages = tuple(word.lower() for language in flows.languages.languages.values()
                          for word in [w for w in language.keywords if len(w) > 2][:LANGUAGE_HINTS])
    ranked = flows.speech_hints[lang] = _Ranked(
        tuple(word for _, word in in_order(flows.emergency_keywords)), by_owner,
        tuple(dict.fromkeys(word for _, word in keywords)), languages)
    return ranked


def _hints(flows: FlowSet, node_id: str, lang: str) -> tuple[str, ...]:
    node = flows.flow.nodes.get(node_id)
    near = {*(o.goto for o in node.options), flows.flow.person} if isinstance(node, MenuNode) else {flows.flow.person}
    ranked = _ranked(flows, lang)
    near_words = [word for _, word in sorted(entry for owner in near for entry in ranked.by_owner.get(owner, ()))]
    chosen: dict[str, None] = {}
    for word in chain(ranked.emergency, near_words, ranked.languages, ranked.every):
        chosen[word] = None
        if len(chosen) == MAX_HINTS:
            break
    return tuple(chosen)
