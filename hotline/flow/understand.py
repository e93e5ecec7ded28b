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

from .keywords import Match, normalize
from .model import FIXED_KEYS, FlowSet, MenuNode

EMERGENCY_WORDS = 400  # words searched for emergency keywords: all of a 1,600-character text
SPOKEN_LANGUAGE_WORDS = 3  # "Spanish, please" switches a caller; a text must be the keyword alone
MAX_HINTS = 100


@dataclass(frozen=True)
class Intent:
    """`kind` is emergency, language, key, node or unknown; `value` the node, language or key."""

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

    Any keyword may be said at any menu; first those of where this menu's options lead,
    then the emergency, a person, every other node and the names of the languages:
    "strips", "not breathing", "operator", "naloxone", "español". Words of another
    language only (from its catalogue) are left out.
    """
    node = flows.flow.nodes.get(node_id)
    leads = [o.goto for o in node.options] if isinstance(node, MenuNode) else []
    order = {owner: i for i, owner in enumerate([*leads, flows.flow.person])}
    tables = [(flows.emergency_keywords, -1), (flows.keywords, 0)]
    words = []
    for table, rank in tables:
        for word, (owner, word_lang) in table.entries.items():
            if word_lang in (None, lang):
                words.append((order.get(owner, len(order)) if rank == 0 else -1, word))
    words.sort(key=lambda pair: pair[0])
    found = [word for _, word in words]
    if len(flows.languages.languages) > 1:
        found += [word for language in flows.languages.languages.values() for word in language.keywords
                  if len(word) > 2]
    return tuple(dict.fromkeys(word.lower() for word in found))[:MAX_HINTS]
