"""One language's catalogue as a translator sees it: every entry, where it is heard, its status.

Rules this module keeps:
- What needs translating is what the check says is needed (`needed_messages`): the flow file
  as it is now and the engine's own sentences, never a template that may be stale.
- Each entry has one status, the first that applies: `missing` (not in the catalogue, or
  empty), `fuzzy` (a guess, not used), `broken` (its `{placeholders}` differ from the English,
  not used), `draft` (used, but still carries the mark "needs review by a native speaker"),
  `reviewed` (used, and no draft mark: a native speaker has checked it).
- A review is kept in the `.po` itself as a translator comment, `reviewed by NAME on
  YYYY-MM-DD` (`checks.translations.review_of`), so it travels with the file through Poedit,
  Weblate or git, and the check's coverage table counts it.
- Where an entry is heard comes from the flow's structure: the node, and the channels
  (`voice`, `sms`). A node's `say` is said and texted unless it has an `sms_say`; menu
  labels are both; keywords are texted. The engine's own sentences are texted when their
  name starts with `SMS_`, said only when they are call sentences (`prompts.VOICE_PHRASES`)
  (and the spoken menu option) that no text uses, and otherwise both.
- For what is texted, the segment count is of the sentence as a texter gets it in this
  language (numbers filled in, plain punctuation, right-to-left marks): `segments.measure`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..channels.bidi import readable
from ..channels.sms import sms_plain
from ..flow import phrases
from ..flow.loader import load_with_documents
from ..flow.model import FlowSet, LanguageNode
from ..flow.prompts import VOICE_PHRASES
from ..i18n import EMERGENCY_ID, KEYWORDS_CONTEXT, fill, placeholders
from ..sentence import Sentence
from ..texting.segments import SmsSize, measure
from .checks.translations import REVIEW_MARK, needed_messages, review_of

MISSING, FUZZY, BROKEN, DRAFT, REVIEWED = "missing", "fuzzy", "broken", "draft", "reviewed"
STATUSES = (MISSING, FUZZY, BROKEN, DRAFT, REVIEWED)
VOICE, SMS = "voice", "sms"
#: Call sentences that texts use too (the results of a ZIP code search, a closed transfer).
_TEXTED_TOO = {phrases.INVALID_ZIP, phrases.NEARBY_INTRO, phrases.NONE_OPEN_NEARBY, phrases.NOT_NEAR,
               phrases.NATIONAL_INTRO, phrases.NONE_OPEN}
_SMS_PHRASES = {value for name, value in vars(phrases).items() if name.startswith("SMS_") and isinstance(value, str)}


@dataclass(frozen=True)
class Heard:
    """Where an entry is used: a node (None for the engine's own sentences) and how."""

    node: str | None
    what: str  # "guidance", "menu option 2", "keywords", "the hotline's own sentence"...
    channels: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    msgid: str
    context: str | None
    translation: str
    status: str
    heard: tuple[Heard, ...]
    #: The English words a keywords entry adds to (the flow's own list), else ().
    english_words: tuple[str, ...] = ()
    #: For a texted entry: the size of the sentence as texted in this language.
    sms: SmsSize | None = None
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        return self.msgid, self.context

    @property
    def is_keywords(self) -> bool:
        return self.context == KEYWORDS_CONTEXT

    @property
    def nodes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(h.node for h in self.heard if h.node))

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(c for c in (VOICE, SMS) if any(c in h.channels for h in self.heard))


@dataclass(frozen=True)
class LanguagePage:
    lang: str
    name: str
    entries: tuple[Entry, ...]

    def count(self, status: str) -> int:
        return sum(entry.status == status for entry in self.entries)

    @property
    def drafts(self) -> int:
        return self.count(DRAFT)

    @property
    def usable(self) -> int:
        return self.count(DRAFT) + self.count(REVIEWED)

    @property
    def percent(self) -> int:
        """Share of entries callers hear in this language (drafts included), as the check's table."""
        return int(100 * self.usable / len(self.entries)) if self.entries else 100

    @property
    def complete(self) -> bool:
        return self.usable == len(self.entries)

    def filtered(self, status: str | None = None, node: str | None = None) -> list[Entry]:
        return [e for e in self.entries if (not status or e.status == status) and (not node or node in e.nodes)]


def load_sources(flows_dir: str | Path):
    """(flows, flow document) of a flows folder, for `language_page` (raises `FlowError`)."""
    flows, flow_doc, _ = load_with_documents(Path(flows_dir))
    return flows, flow_doc


def status_of(message, msgid: str) -> str:
    """The status of catalogue entry `message` (a Babel Message, or None) for `msgid`."""
    if message is None or not message.string:
        return MISSING
    if message.fuzzy:
        return FUZZY
    if placeholders(message.string) != placeholders(msgid):
        return BROKEN
    return DRAFT if any(REVIEW_MARK in c for c in message.user_comments) else REVIEWED


def language_page(flows: FlowSet, flow_doc, catalog, lang: str) -> LanguagePage:
    """Every needed entry of `lang`, in the order the check lists them; `catalog` is the Babel
    catalogue read from the language's `.po` (None: there is no catalogue yet)."""
    heard = where_heard(flows)
    entries = []
    for msgid, context in needed_messages(flow_doc):
        message = catalog.get(msgid, context=context) if catalog is not None else None
        status = status_of(message, msgid)
        translation = message.string if message is not None and isinstance(message.string, str) else ""
        own = Heard(None, Sentence("the hotline's own sentence"), _phrase_channels(msgid))
        places = heard.get((msgid, context), (own,))
        review = review_of(message.user_comments) if message is not None and status == REVIEWED else None
        texted = any(SMS in h.channels for h in places) and context != KEYWORDS_CONTEXT
        entries.append(Entry(
            msgid, context, translation, status, places,
            english_words=_english_words(flows, msgid) if context == KEYWORDS_CONTEXT else (),
            sms=as_texted(flows, lang, translation or msgid) if texted else None,
            reviewed_by=review[0] if review else None, reviewed_on=review[1] if review else None,
        ))
    name = flows.languages.languages[lang].name if lang in flows.languages.languages else lang
    return LanguagePage(lang, name, tuple(entries))


def as_texted(flows: FlowSet, lang: str, words: str) -> SmsSize:
    """The size of `words` texted in `lang`: numbers filled in, made plain, marked if right to left."""
    filled = fill(words, dict(flows.variables))
    if lang in flows.languages.languages:
        filled = sms_plain(filled, flows, lang)
    return measure(readable(filled, lang))


def where_heard(flows: FlowSet) -> dict[tuple[str, str | None], tuple[Heard, ...]]:
    """(msgid, context) -> every place the flow uses it."""
    found: dict[tuple[str, str | None], list[Heard]] = {}

    def add(key, heard: Heard) -> None:
        found.setdefault(key, []).append(heard)

    for node_id, node in flows.flow.nodes.items():
        if isinstance(node, LanguageNode):
            continue
        sms_say = getattr(node, "sms_say", None)
        what = type(node).__name__.removesuffix("Node").lower()
        for sentence in getattr(node, "say", ()):
            add((sentence, None), Heard(node_id, what, (VOICE,) if sms_say is not None else (VOICE, SMS)))
        for sentence in sms_say or ():
            add((sentence, None), Heard(node_id, Sentence("%(kind)s (texts only)", kind=what), (SMS,)))
        for option in getattr(node, "options", ()):
            add((option.label, None), Heard(node_id, Sentence("menu option %(key)s", key=option.key), (VOICE, SMS)))
        if getattr(node, "keywords", ()):
            add((node_id, KEYWORDS_CONTEXT), Heard(node_id, Sentence("keywords a texter sends to get here"), (SMS,)))
    if flows.flow.emergency:
        emergency = Heard(flows.flow.emergency.goto, Sentence("emergency words"), (SMS, VOICE))
        add((EMERGENCY_ID, KEYWORDS_CONTEXT), emergency)
    return {key: tuple(places) for key, places in found.items()}


def _phrase_channels(msgid: str) -> tuple[str, ...]:
    if msgid in _SMS_PHRASES:
        return (SMS,)
    if (msgid in VOICE_PHRASES or msgid == phrases.OPTION) and msgid not in _TEXTED_TOO:
        return (VOICE,)
    return (VOICE, SMS)


def _english_words(flows: FlowSet, msgid: str) -> tuple[str, ...]:
    if msgid == EMERGENCY_ID:
        return tuple(flows.flow.emergency.keywords) if flows.flow.emergency else ()
    node = flows.flow.nodes.get(msgid)
    return tuple(getattr(node, "keywords", ())) if node is not None else ()
