"""What goes into the engine (inputs) and what comes out (actions): frozen, plain data.

Rules this module keeps: no I/O and no channel detail. An action says *what* to do
("say this text in this language", "wait for a key"); the channel renderers decide *how*
(TwiML `<Say>` inside a `<Gather>`, or lines of an SMS reply).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

# -- Text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A translatable message: a catalogue msgid plus named values to fill in.

    `source` is the language the msgid is written in (None: the flows' source language,
    English). Values may be Text themselves (a menu label inside "For {label}, press {key}.").
    """

    msgid: str
    values: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    source: str | None = None

    def __hash__(self) -> int:
        # Hashable like every other event, so a renderer can remember the TwiML of a
        # sequence of actions it has already rendered (the values' mapping is not).
        return hash((self.msgid, tuple(self.values.items()), self.source))


def text(msgid: str, source: str | None = None, **values) -> Text:
    return Text(msgid, MappingProxyType(values), source)


# -- Inputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """A new call, or a texter with no conversation yet."""


@dataclass(frozen=True)
class Key:
    """The caller pressed keys: one (0-9, * or #), or several where asked (a ZIP code)."""

    digits: str


@dataclass(frozen=True)
class Silence:
    """The caller pressed nothing before the timeout."""


@dataclass(frozen=True)
class Speech:
    """The caller spoke instead of pressing a key: the recogniser's words and its confidence (0 to 1)."""

    words: str
    confidence: float


@dataclass(frozen=True)
class Message:
    """A text message arrived (the body is never stored); `media`: pictures attached."""

    body: str
    media: int = 0


@dataclass(frozen=True)
class DialResult:
    """How a transfer ended, as Twilio's DialCallStatus says."""

    status: str


@dataclass(frozen=True)
class Recorded:
    """A voicemail recording ended (or the caller left none)."""


Input = Start | Key | Speech | Silence | Message | DialResult | Recorded


# -- Actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """Speak (voice) or write (SMS) a text in `lang`. `slow` marks guidance."""

    text: Text
    lang: str
    slow: bool = False


@dataclass(frozen=True)
class Options:
    """A numbered menu: (key, label) pairs. Voice: "For label, press key". SMS: "key Label"."""

    items: tuple[tuple[str, Text], ...]
    lang: str
    slow: bool = False


@dataclass(frozen=True)
class Gather:
    """Wait for `digits` keys (one for a menu) or a few spoken words; what is said before it
    can be interrupted.

    `lang` is the language to recognise speech in (none: keys only), `hints` words the caller
    is likely to say.
    """

    timeout: int
    digits: int = 1
    lang: str = ""
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dial:
    """Ring `numbers` at once (the first to answer is connected); the result comes back
    as a `DialResult`. With `screen`, whoever answers first hears who is calling, in which
    language, and must press 1, so a voicemail box cannot take the call."""

    numbers: tuple[str, ...]
    timeout: int
    lang: str
    screen: bool = False


@dataclass(frozen=True)
class Record:
    """Record a voicemail of at most `seconds`; the end comes back as `Recorded`."""

    seconds: int


@dataclass(frozen=True)
class SendText:
    """Text these lines, in `lang`, to the person on the call. The adapter sends it and
    puts in its place a sentence saying whether it went (sent, opted out, not a mobile...).
    `node` is the node they come from: a call gets at most one text per node."""

    lines: tuple[Text, ...]
    lang: str
    node: str = ""


@dataclass(frozen=True)
class Hangup:
    """End the call."""


@dataclass(frozen=True)
class LanguageChosen:
    """The person chose (or kept) `lang`: remember it for their next call or text, if allowed.

    Renderers ignore it; the service stores it.
    """

    lang: str


@dataclass(frozen=True)
class Forget:
    """The caller asked the line to forget them (a key of a language menu, or "forget me"):
    erase what is kept under their number, as FORGET does for texters.

    Renderers ignore it; the service erases.
    """


Action = Say | Options | Gather | Dial | Record | SendText | Hangup | LanguageChosen | Forget
