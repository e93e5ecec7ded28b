"""One translation checked while it is typed, by the rules the coordinators' check applies.

Rules this module keeps:
- The same rules, from the same code: placeholders compared with `i18n.placeholders` (a
  translation whose `{names}` differ is never used, so it is an error); the texted size
  measured with `segments.measure` on the sentence as the texter gets it, against
  `settings.max_sms_segments` (over the budget is a warning: the reply goes in pages).
- Right-to-left languages (Arabic): the hotline adds the direction marks itself
  (`channels/bidi.py`), so marks typed into a translation are extra characters, and the
  newer isolate characters show as boxes on older phones (an error).
- A language written in another script than the English (Arabic, Chinese): a translation
  with letters but none of that script is most likely the English left in place (a warning,
  `writing_systems`, which the coordinators' check asks too).
- Keywords entries: the words must not be texting words (STOP, HELP, MORE...) of the
  language, which never reach a node.
- Each finding is a sentence a translator can act on; an empty list means the check would
  accept it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..channels.bidi import LRM, RLM, is_rtl
from ..flow.keywords import normalize
from ..flow.model import FlowSet
from ..i18n import KEYWORDS_CONTEXT, keyword_list, placeholders
from ..texting.segments import is_gsm7
from .translating import as_texted
from .writing_systems import missing_script, unwritten

ISOLATES = "\u2066\u2067\u2068\u2069"
EMBEDDINGS = "\u202a\u202b\u202c\u202d\u202e"
ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    level: str
    message: str


def _names(message: str) -> str:
    names = sorted(placeholders(message))
    return ", ".join("{" + n + "}" for n in names) if names else "none"


def check_translation(flows: FlowSet, lang: str, msgid: str, context: str | None, translation: str,
                      texted: bool = True) -> list[Finding]:
    """What the check would say about `translation` of `msgid` in `lang`; `texted`: it is sent by SMS."""
    if not translation.strip():
        return [Finding(WARNING, "not translated yet: callers and texters get the English until it is")]
    if context == KEYWORDS_CONTEXT:
        return _keywords(flows, lang, translation)
    found = []
    if placeholders(translation) != placeholders(msgid):
        found.append(Finding(ERROR, (
            f"keep every {{name}} exactly as in the English: the English uses {_names(msgid)}, this uses "
            f"{_names(translation)}. Until they match, the hotline says the English instead")))
    if translation.count("{") != translation.count("}"):
        found.append(Finding(ERROR, "a { or } is missing: each {name} needs both braces"))
    if is_rtl(lang):
        found += _right_to_left(translation)
    script = missing_script(lang, flows.languages.source, translation)
    if script:
        found.append(Finding(WARNING, unwritten(script)))
    if texted:
        found += _segments(flows, lang, translation)
    return found


def _segments(flows: FlowSet, lang: str, translation: str) -> list[Finding]:
    budget = flows.settings.max_sms_segments
    size = as_texted(flows, lang, translation)
    if size.segments <= budget:
        return []
    odd = next((ch for ch in translation if not is_gsm7(ch) and ch not in (RLM, LRM)), "")
    why = f" ('{odd}' is not in the basic SMS alphabet, so each segment holds only 67)" if odd else ""
    return [Finding(WARNING, (
        f"texted, this is {size.segments} SMS segments in {size.encoding}{why}; the budget is {budget}, "
        "so it will be sent in pages (reply MORE): shorten it if you can"))]


def _right_to_left(translation: str) -> list[Finding]:
    found = []
    if any(ch in ISOLATES or ch in EMBEDDINGS for ch in translation):
        found.append(Finding(ERROR, (
            "remove the invisible direction characters (isolates or embeddings): older phones show them "
            "as boxes. The hotline adds the marks a right-to-left text needs by itself")))
    if RLM in translation or LRM in translation:
        found.append(Finding(WARNING, (
            "remove the invisible direction marks: the hotline adds them to every line by itself, and "
            "extra ones make the text longer")))
    return found


def _keywords(flows: FlowSet, lang: str, translation: str) -> list[Finding]:
    words = keyword_list(translation)
    if not words:
        return [Finding(ERROR, "give at least one word")]
    clashes = [w for w in words if normalize(w) in flows.texting_words]
    if clashes:
        return [Finding(ERROR, (
            f"{', '.join(clashes)} already has a fixed meaning for texters (STOP, START, HELP, MORE): "
            "choose other words"))]
    return []
