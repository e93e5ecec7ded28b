"""Every text a call can say in one language: what a language without a voice needs recorded.

Rules this module keeps: pure (flow data in, `Text` out). It lists what the engine can
say on a call that is known before the call (node prompts, menu options as "For <label>,
press <key>", the engine's own voice phrases, and that language's lines in the language
menus). Sentences built during a call (service listings with their names, hours and
distances) cannot be recorded in advance: a voiceless language's `spoken_by` voice reads
them (docs/languages.md).
"""

from __future__ import annotations

from . import phrases
from .events import Text, text
from .model import EndNode, FlowSet, LanguageNode, MenuNode, MessageNode, TransferNode, ZipNode

#: The engine's sentences a caller can hear, and the safe answer when something breaks (the
#: rest of phrases.py is texted only, or said to the person answering a transfer).
VOICE_PHRASES = (
    phrases.FIXED_KEYS, phrases.NOT_AN_OPTION, phrases.NOTHING_HEARD, phrases.AFTER_GUIDANCE,
    phrases.NO_PERSON, phrases.DIAL_BUSY, phrases.DIAL_NO_ANSWER, phrases.DIAL_FAILED,
    phrases.NONE_OPEN, phrases.VOICEMAIL_CONSENT, phrases.NUMBERS_INTRO, phrases.INVALID_ZIP,
    phrases.NEARBY_INTRO, phrases.NONE_OPEN_NEARBY, phrases.NOT_NEAR, phrases.NATIONAL_INTRO,
    phrases.AFTER_RESULTS, phrases.TEXT_SENT, phrases.TEXT_OPTED_OUT, phrases.TEXT_NOT_MOBILE,
    phrases.TEXT_FAILED, phrases.TEXT_ALREADY_SENT, phrases.TEXT_NO_MORE,
    phrases.MORE_TIME_KEY, phrases.MORE_TIME_OFFER, phrases.MORE_TIME_ON,
    phrases.PRESS_A_KEY, phrases.OTHER_LANGUAGE, phrases.VOICELESS_PERSON, phrases.TROUBLE_VOICE,
)


def voice_texts(flows: FlowSet, lang: str) -> list[Text]:
    """Every distinct text a caller can hear in `lang`, in flow order."""
    found: list[Text] = []
    for node in flows.flow.nodes.values():
        if isinstance(node, LanguageNode):
            for choice in node.options:
                if choice.lang == lang:
                    found.append(text(choice.say, lang))
            continue
        if isinstance(node, (MenuNode, MessageNode, TransferNode, EndNode, ZipNode)):
            found += [text(sentence) for sentence in node.say]
        if isinstance(node, MenuNode):
            found += [text(phrases.OPTION, label=text(o.label), key=o.key) for o in node.options]
    found += [text(phrase) for phrase in VOICE_PHRASES]
    if lang in (flows.settings.emergency_languages or (flows.languages.default,)):
        found.insert(0, text(phrases.EMERGENCY_FIRST))
    unique: dict[tuple, Text] = {}
    for item in found:
        unique.setdefault(_identity(item), item)
    return list(unique.values())


def _identity(item: Text) -> tuple:
    values = tuple(sorted((k, _identity(v) if isinstance(v, Text) else v) for k, v in item.values.items()))
    return item.msgid, item.source, values

