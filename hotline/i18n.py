"""Translation catalogues: turn an engine `Text` into words in the caller's language.

Rules this module keeps:
- English, written in the flow files, is the source language. Each other language has a
  gettext catalogue, `locales/<lang>/LC_MESSAGES/messages.po`, read with Babel. The `.po`
  file is the truth: it is read directly at load time (no `.mo` to forget to rebuild), and
  fuzzy or empty entries count as untranslated.
- A text with no usable translation is said in the language it is written in, and the
  renderer is told so: an English sentence is never read by a Spanish voice. A sentence with an
  untranslated part (a menu label) is said whole in the part's language.
- A translation whose `{placeholders}` differ from the source is not used: a typo in a
  catalogue must never drop the emergency number from a sentence.
- `extract_flow` is the Babel extractor for flow files (see babel.cfg): every prompt
  goes into `locales/messages.pot` with a comment naming the node it is heard in.
- A node's texting keywords are one catalogue entry too (context `keywords`, msgid the node
  id, so that editing the flow's own list does not lose the translations): the language's
  own words, comma-separated, as translation. They are added
  to the flow's keyword table at start-up; the flow file's words win any clash. A word only
  one language's catalogue gives also switches the texter to that language. Emergency
  words are one entry the same way (msgid `(emergency)`, which no node id can be). FORGET
  words (texting/forget.py) are texting words like STOP: no catalogue keyword may take one.
"""

from __future__ import annotations

import dataclasses
import re
import string
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from babel.messages.pofile import PoFileError, read_po

from .flow.events import Text
from .flow.keywords import KeywordTable, extend, normalize
from .flow.model import FlowSet
from .flow.yamlfile import read_yaml
from .texting.forget import FORGET_WORDS

_FORMATTER = string.Formatter()
KEYWORDS_CONTEXT = "keywords"
#: The catalogue entry (context `keywords`) for a language's emergency words.
EMERGENCY_ID = "(emergency)"
_WORD_SEPARATORS = re.compile(r"[,،，、;]")


def read_catalogue(path: Path, code: str, strict: bool = False):
    """The Babel catalogue in the .po file at `path`, parsed once per version of the file.

    The coordinators' check reads it strictly (a broken line raises `PoFileError`) and the
    catalogues leniently (a broken line is skipped); start-up and every reload do both. A
    file that parses strictly gives the same catalogue leniently, so one parse serves both.
    The result is shared: read it, never change it.
    """
    stat = path.stat()
    try:
        return _parse_po(str(path), stat.st_mtime_ns, stat.st_size, code, True)
    except PoFileError:
        if strict:
            raise
        return _parse_po(str(path), stat.st_mtime_ns, stat.st_size, code, False)


@lru_cache(maxsize=32)
def _parse_po(path: str, mtime_ns: int, size: int, code: str, strict: bool):
    with open(path, "rb") as fileobj:
        return read_po(fileobj, locale=code, abort_invalid=strict)


class Catalogues:
    """Every language's translations, loaded once; `render` is the only lookup."""

    def __init__(self, locales_dir: str | Path, languages, source: str = "en"):
        self.source = source
        self.messages: dict[str, dict[str, str]] = {}
        #: language -> node id -> that language's keywords for it
        self.keywords: dict[str, dict[str, list[str]]] = {}
        for code in languages:
            if code == source:
                continue
            self.messages[code], self.keywords[code] = {}, {}
            path = Path(locales_dir) / code / "LC_MESSAGES" / "messages.po"
            if not path.is_file():
                # Untranslated, not broken: the language's callers hear the source language.
                continue
            for m in read_catalogue(path, code):
                if not (m.id and isinstance(m.id, str) and m.string and not m.fuzzy):
                    continue
                if m.context == KEYWORDS_CONTEXT:
                    self.keywords[code][m.id] = keyword_list(m.string)
                elif placeholders(m.string) == placeholders(m.id):
                    self.messages[code][m.id] = m.string

    def translate(self, msgid: str, lang: str, source: str | None = None) -> tuple[str, str]:
        """(words, language they are in): the translation, else the msgid in its own language."""
        source = source or self.source
        if lang == source:
            return msgid, source
        translated = self.messages.get(lang, {}).get(msgid)
        return (translated, lang) if translated else (msgid, source)

    def render(self, text: Text, lang: str, variables: dict[str, str]) -> tuple[str, str]:
        """Translate and fill in a text; returns (words, language of the words).

        A part that is itself a text (a menu label in "For {label}, press 4.") is translated
        too; if it is not, the whole sentence is said in the part's language, so that no voice
        reads words of another language ("Para smoking more safely" is never said)."""
        words, spoken = self.translate(text.msgid, lang, text.source)
        values = dict(variables)
        for name, value in text.values.items():
            if isinstance(value, Text):
                part, part_spoken = self.render(value, spoken, variables)
                if part_spoken != spoken:
                    return self.render(text, part_spoken, variables)
                values[name] = part
            else:
                values[name] = str(value)
        return fill(words, values), spoken


def add_catalogue_keywords(flows: FlowSet, catalogues: Catalogues) -> tuple[FlowSet, list[tuple[str, str]]]:
    """The flows with every language's node and emergency keywords added; and (language,
    message) per word left out because it already means something else."""
    nodes, emergency = dict(flows.keywords.entries), dict(flows.emergency_keywords.entries)
    written = dict(flows.written)
    forget = _forget_words(flows, catalogues)
    fixed = {*flows.language_keywords, *flows.texting_words, *forget}
    problems = [(lang, f"{lang}: the FORGET word '{word}' is already a keyword; texting it erases instead")
                for word, lang in forget.items() if word in {*flows.keywords, *flows.emergency_keywords,
                                                              *flows.language_keywords, *flows.texting_words}]
    for lang, entries in catalogues.keywords.items():
        if lang in flows.held:
            continue  # a language being added gives no words until it is complete
        if flows.flow.emergency:
            goto = flows.flow.emergency.goto
            for word in extend(emergency, goto, entries.get(EMERGENCY_ID, []), lang, {*fixed, *nodes}, written):
                problems.append((lang, f"{lang}: the emergency word '{word}' is already used elsewhere"))
        for node_id in flows.flow.nodes:
            for word in extend(nodes, node_id, entries.get(node_id, []), lang, {*fixed, *emergency}, written):
                problems.append((lang, f"{lang}: the keyword '{word}' for '{node_id}' is already used elsewhere"))
    flows = dataclasses.replace(flows, keywords=KeywordTable(nodes), emergency_keywords=KeywordTable(emergency),
                                written=MappingProxyType(written),
                                forget_words=KeywordTable({word: (lang, lang) for word, lang in forget.items()}))
    return flows, problems


def _forget_words(flows: FlowSet, catalogues: Catalogues) -> dict[str, str]:
    """Every language's FORGET words (normalised) -> the language: texting words like STOP."""
    found: dict[str, str] = {}
    for lang in [flows.languages.source, *catalogues.messages]:
        words, spoken = catalogues.translate(FORGET_WORDS, lang)
        for word in words.split(","):
            if normalize(word):
                found.setdefault(normalize(word), spoken)
    return found


def keyword_list(words: str) -> list[str]:
    """A keywords translation ("NALOXONA, NARCAN") as its words: every separator is read."""
    return [w.strip() for w in _WORD_SEPARATORS.split(words) if w.strip()]


def placeholders(message: str) -> frozenset[str]:
    """The `{names}` a message uses (empty for a message with unbalanced braces)."""
    try:
        return frozenset(name for _, name, _, _ in _FORMATTER.parse(message) if name)
    except ValueError:
        return frozenset()


def fill(message: str, values: dict[str, str]) -> str:
    """Fill `{names}` in; an unknown name or a stray brace is left as written, never an error."""
    try:
        return message.format_map(_Leave(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return message


class _Leave(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


# -- extraction (pybabel extract -F babel.cfg) ----------------------------------------


def extract_flow(fileobj, keywords, comment_tags, options):
    """Babel extractor: yield (line, funcname, message, comments) for each flow prompt.

    Language-menu choices are skipped: each is written in its own language already.
    """
    yield from flow_messages(read_yaml(fileobj.read().decode("utf-8"), getattr(fileobj, "name", "flow")))


def flow_messages(document):
    """(line, funcname, message, comments) for each prompt of a flow file already read.

    A node's keywords come as (line, "pgettext", ("keywords", node id), comments).
    """
    nodes = document.data.get("nodes", {}) if isinstance(document.data, dict) else {}
    for node_id, node in nodes.items():
        if not isinstance(node, dict) or node.get("type") == "language":
            continue
        for field in ("say", "sms_say"):
            say = node.get(field, [])
            for i, sentence in enumerate([say] if isinstance(say, str) else say):
                path = ("nodes", node_id, field) if isinstance(say, str) else ("nodes", node_id, field, i)
                heard = "texted before the menu" if field == "sms_say" else _heard(node)
                yield document.line_of(path), None, sentence, [f"node {node_id}: {heard}"]
        yield from _keywords(document, ("nodes", node_id), node_id, node.get("keywords", []),
                             f"node {node_id}: words a texter can send to get here")
        for i, option in enumerate(node.get("options", [])):
            if isinstance(option, dict) and "label" in option:
                yield (
                    document.line_of(("nodes", node_id, "options", i, "label")), None, option["label"],
                    [f"node {node_id}: menu option {option.get('key')}, "
                     "said as 'For <this>, press <key>' and texted as '<key> <this>'"],
                )
    emergency = document.data.get("emergency") if isinstance(document.data, dict) else None
    if isinstance(emergency, dict):
        yield from _keywords(document, ("emergency",), EMERGENCY_ID, emergency.get("keywords", []),
                             "emergency words: texted or said anywhere in a message, they go straight to "
                             "the overdose steps")


def _keywords(document, path: tuple, msgid: str, words, what: str):
    """The catalogue entry for one list of keywords (none for an empty list)."""
    if words:
        english = ", ".join(str(word) for word in ([words] if isinstance(words, str) else words))
        yield (
            document.line_of((*path, "keywords")), "pgettext", (KEYWORDS_CONTEXT, msgid),
            [f"{what}, in this language (and common misspellings), separated by commas. "
             f"These always work too: {english}"],
        )


def _heard(node: dict) -> str:
    return {
        "menu": "said before the menu options",
        "message": "guidance, said slowly and texted",
        "transfer": "said before connecting to a person or service",
        "zip": "said when asking for a ZIP code (voice: keyed in; text: replied)",
        "end": "said before hanging up",
    }.get(node.get("type"), "prompt")
