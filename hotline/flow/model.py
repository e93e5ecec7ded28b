"""The flow model: what a coordinator may write in `flows/hotline.yaml`, as frozen, validated
data (the language list is `languages`, the directory `directory`), and the `FlowSet` of all three.

Rules this module keeps:
- Pure data. Nothing here knows about Flask, Redis, Twilio or a particular channel.
- Unknown keys are errors (a typo must not be silently ignored), every model is immutable,
  and numbers written where text is expected (`key: 1`) are accepted as text.
- English is the source language of every prompt, except a language-menu option, which is
  written in its own language and spoken with that language's voice.
- A language Twilio cannot speak has no voice (`voice: null`): its calls use recordings
  when a coordinator provides them, otherwise texts (docs/languages.md).
- Where a node is (file and line) lives in `FlowSet.locations`, not on the node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from .directory import Directory
from .fields import Keywords, LangCode, MenuKey, NodeId, Sentences, Text, _as_list, _Strict
from .keywords import KeywordTable
from .languages import Languages

#: Keys every menu shares; a menu option may not use them. See docs/flows.md.
REPEAT_KEY, PERSON_KEY, BACK_KEY = "*", "0", "#"
FIXED_KEYS = (REPEAT_KEY, PERSON_KEY, BACK_KEY)
#: After guidance, this key plays it again (the brief's "to hear this again press 1").
AGAIN_KEY = "1"
#: Doubles every wait for a key for the rest of the call (relay and TTY users, anyone who
#: needs time). Announced once with the fixed keys; no menu may use it for an option.
MORE_TIME_KEY = "8"
#: After guidance or a list of services, this key sends it by text ("text me this").
TEXT_KEY = "2"
MAX_OPTIONS = 5


class LanguageChoice(_Strict):
    """One line of a language menu, written (and spoken) in its own language `lang`.

    Without `goto` the key chooses `lang`. With `goto` it leads to another language menu
    ("other languages"); several lines may share that key to say so in several languages.
    With `forget: true` the key (beyond the menu's five) forgets the caller's number.
    """

    key: MenuKey
    lang: LangCode
    say: Text
    goto: NodeId | None = None
    forget: bool = False


class MenuOption(_Strict):
    """One numbered option: its label is spoken as "For <label>, press <key>"."""

    key: MenuKey
    label: Text
    goto: NodeId


class LanguageNode(_Strict):
    """A language menu (the first menu of a call, or "other languages" reached from it).

    At most five keys (the loader counts keys, since lines sharing a `goto` share a key).
    Silence: asked twice, then back to the language menu this one came from, or else the
    default language.
    """

    type: Literal["language"]
    options: tuple[LanguageChoice, ...] = Field(min_length=1, max_length=4 * MAX_OPTIONS)
    next: NodeId


class MenuNode(_Strict):
    """A numbered menu: optional sentences first (e.g. the emergency line), then options.

    `sms_say`, when given, replaces `say` in texts (e.g. without "hang up").
    """

    type: Literal["menu"]
    say: Sentences = ()
    sms_say: Sentences | None = None
    options: tuple[MenuOption, ...] = Field(min_length=1, max_length=MAX_OPTIONS)
    keywords: Keywords = ()


class MessageNode(_Strict):
    """Guidance: short sentences, spoken slowly, repeatable, with the source they follow."""

    type: Literal["message"]
    say: Sentences = Field(min_length=1)
    source: Text
    keywords: Keywords = ()


class TransferNode(_Strict):
    """Connect the caller to a person (`number`) or to services from the directory.

    With `number`, when nobody answers the caller goes to `no_answer`. With `services`,
    those open now are rung (`ring: together` all at once, `in_turn` one after another),
    those speaking the caller's language first; closed ones are named with their hours.
    When none answers: a voicemail if `voicemail` (off by default), a text with the
    numbers, then `no_answer` (default: the goodbye). `screen` makes whoever answers press
    1 first, so a voicemail box never takes the call.
    """

    type: Literal["transfer"]
    say: Sentences = ()
    number: Text | None = None
    services: Annotated[tuple[NodeId, ...], BeforeValidator(_as_list)] = ()
    ring: Literal["in_turn", "together"] = "in_turn"
    screen: bool = False
    voicemail: bool = False
    timeout: int = Field(default=20, ge=5, le=60)
    no_answer: NodeId | None = None
    keywords: Keywords = ()

    @model_validator(mode="after")
    def _one_kind_of_target(self):
        if bool(self.number) == bool(self.services):
            raise ValueError("a transfer needs either 'number' or 'services' (not both)")
        if self.number and not self.no_answer:
            raise ValueError("a transfer to a number needs 'no_answer' (where to go when nobody answers)")
        return self


class ZipNode(_Strict):
    """Ask for a five-digit ZIP code and list the nearest services open now (those that
    offer one of `offers`, if given), then the national lines when nothing local fits."""

    type: Literal["zip"]
    say: Sentences = Field(min_length=1)
    sms_say: Sentences | None = None
    offers: Keywords = ()
    keywords: Keywords = ()


class EndNode(_Strict):
    """A deliberate end: say the sentences, then hang up."""

    type: Literal["end"]
    say: Sentences = Field(min_length=1)


Node = Annotated[
    LanguageNode | MenuNode | MessageNode | TransferNode | ZipNode | EndNode, Field(discriminator="type")
]


class Settings(_Strict):
    """Numbers and limits a programme sets for itself. Numbers are dialled or read out."""

    emergency_number: Text = "911"
    #: The line a caller reaches with 0 (E.164). Empty: no person, national lines instead.
    person_number: str = ""
    #: Always-open line for when everything else fails (SAMHSA National Helpline by default).
    helpline_number: Text = "+18006624357"
    #: The hotline's own number (E.164): texts to callers are sent from it. The
    #: HOTLINE_NUMBER environment variable, when set, takes its place.
    hotline_number: str = ""
    #: Directory ids of the national lines, offered when nothing local fits.
    national_lines: Annotated[tuple[NodeId, ...], BeforeValidator(_as_list)] = ()
    #: Languages of the emergency sentence a new call hears first, before the language menu
    #: (each in its own voice). Empty: the default language only.
    emergency_languages: Annotated[tuple[LangCode, ...], BeforeValidator(_as_list)] = ()
    #: Longest voicemail a caller may leave, in seconds.
    voicemail_seconds: int = Field(default=120, ge=10, le=600)
    max_failures: int = Field(default=3, ge=1, le=5)
    gather_timeout: int = Field(default=6, ge=3, le=30)
    #: Longest SMS message, in segments (160 GSM-7 or 70 UCS-2 characters): a longer reply is
    #: sent in pages ("reply MORE"), and the check warns about a page that cannot fit.
    max_sms_segments: int = Field(default=3, ge=1, le=10)
    #: Longest a menu may take to say, in seconds (the check warns past it, per language).
    max_menu_seconds: int = Field(default=20, ge=5, le=120)
    #: Highest Flesch-Kincaid grade of the English guidance (the check warns past it).
    max_reading_grade: float = Field(default=6, ge=1, le=18)
    #: Below this recogniser confidence (0 to 1) a spoken answer is not trusted: press a key.
    speech_confidence: float = Field(default=0.5, ge=0, le=1)
    #: Said and texted in the HELP reply, as carriers require.
    programme_name: Text = "Harm reduction hotline"
    support_contact: Text = "+18006624357"
    #: A service whose `verified_on` is older than this many days is flagged in the console.
    verify_services_days: int = Field(default=180, ge=1, le=3650)


class Emergency(_Strict):
    """Words that go straight to the overdose steps, wherever the person is, on both channels.

    The flow file gives the source language's words; each catalogue adds its own language's
    (context `keywords`, msgid `(emergency)`), as for nodes.
    """

    goto: NodeId
    keywords: Keywords


class Flow(_Strict):
    """`flows/hotline.yaml`: the whole conversation, shared by voice and SMS."""

    schema_: str | None = Field(default=None, alias="$schema")
    start: NodeId
    #: The main menu: where a call goes after the language menu and where SMS starts.
    menu: NodeId
    #: The transfer node reached with the 0 key, and first after repeated failures.
    person: NodeId
    #: After repeated failures when a person was already tried or has no number: this
    #: guidance (the most useful content), then the `goodbye` end node. Never silence.
    last_resort: NodeId
    goodbye: NodeId
    emergency: Emergency | None = None
    #: The ZIP node a texted ZIP code alone ("94110") is answered by.
    near_me: NodeId | None = None
    settings: Settings = Settings()
    nodes: dict[NodeId, Node] = Field(min_length=1)


@dataclass(frozen=True)
class FlowSet:
    """Everything the engine needs, loaded and checked together.

    `locations` maps a node id to (file, line) so any later message can point at it.
    The keyword tables are built once at load time, not per message: `keywords` leads to
    a node id, `language_keywords` to a language code, `emergency_keywords` to the overdose
    steps, `texting_words` to a fixed meaning (stop, start, help, more), `forget_words`
    (the catalogues' FORGET words, said by a caller) to their language.
    """

    flow: Flow
    languages: Languages
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)
    keywords: KeywordTable = field(default_factory=lambda: KeywordTable({}))
    language_keywords: KeywordTable = field(default_factory=lambda: KeywordTable({}))
    emergency_keywords: KeywordTable = field(default_factory=lambda: KeywordTable({}))
    texting_words: KeywordTable = field(default_factory=lambda: KeywordTable({}))
    forget_words: KeywordTable = field(default_factory=lambda: KeywordTable({}))
    #: Normalised keyword -> as it was first written ("KHONG THO" -> "không thở"), for speech hints.
    written: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    #: E.164 number -> how it is written and read out, e.g. "(202) 555-0143".
    display_numbers: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    #: Languages without a voice whose every call prompt has a recording (found at start-up by
    #: hotline/authoring/recordings.py): only these can be chosen on a call.
    recorded: frozenset = frozenset()
    #: Languages marked `until_complete` whose catalogue is not complete yet (found by the
    #: check): no caller or texter can choose them, and they are not offered.
    held: frozenset = frozenset()
    #: Normalised keyword -> the one language whose catalogue alone gives it (`SURDOSE` -> fr):
    #: texting it also switches to that language.
    keyword_languages: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    #: `flows/services.yaml` (empty when there is none).
    directory: Directory = field(default_factory=Directory)
    #: Service id -> ZIP code centre of its address, found once at load time.
    places: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))

    @property
    def settings(self) -> Settings:
        return self.flow.settings

    def spoken(self, number: str) -> str:
        return self.display_numbers.get(number, number)

    @cached_property
    def variables(self) -> MappingProxyType:
        """Values any prompt may use: {emergency}, {person}, {helpline}, {programme}, {support}.

        Worked out once per flow set (every rendered sentence asks for them), read-only."""
        settings = self.settings
        return MappingProxyType({
            "emergency": settings.emergency_number,
            "person": self.spoken(settings.person_number or settings.helpline_number),
            "helpline": self.spoken(settings.helpline_number),
            "programme": settings.programme_name,
            "support": self.spoken(settings.support_contact),
        })

    @cached_property
    def speech_hints(self) -> dict:
        """`understand.hints`' memo: hints per (node, language), keywords in hint order per language;
        the same for every call, so worked out once per flow set as calls reach them."""
        return {}

    @property
    def fallback_number(self) -> str:
        """Who a caller is put through to when the hotline itself is in trouble."""
        return self.settings.person_number or self.settings.helpline_number

    def node(self, node_id: str) -> Node:
        return self.flow.nodes[node_id]

    def can_speak(self, lang: str) -> bool:
        """Can a call go on in `lang`: by a Twilio voice, or by recordings of every prompt."""
        if lang in self.held:
            return False
        return self.languages.languages[lang].voice is not None or lang in self.recorded

    def service(self, service_id: str):
        return self.directory.services[service_id]
