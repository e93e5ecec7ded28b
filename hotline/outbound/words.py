"""The words texters send to use alerts, in every language, and what the hotline answers.

Rules this module keeps:
- The words are catalogue entries like FORGET's: each language has its own list (UNIRSE,
  ALERTAS ...), comma-separated, and the English ones work everywhere.
- A command counts only as the first word (or two) of a message: "JOIN 94110",
  "REPORT blue pills ...". JOIN, ALERTS, LEAVE and YES must be the whole message, but
  for a ZIP code after JOIN; a report is its word followed by anything.
- Matching is one dictionary look-up on the first two words: ordinary texts pay nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..flow.keywords import normalize
from ..flow.phrases import N_

JOIN, SHOW, LEAVE, REPORT, YES = "join", "show", "leave", "report", "yes"

WORDS = {
    # TRANSLATORS: words a texter sends, alone or before a ZIP code, to get alerts about
    # dangerous drugs. Keep the comma-separated list form; the first is the one we tell people.
    JOIN: N_("JOIN, SUBSCRIBE, ALERTS ON"),
    # TRANSLATORS: words a texter sends, alone, to see which alerts they get.
    SHOW: N_("ALERTS, MY ALERTS"),
    # TRANSLATORS: words a texter sends, alone, to stop alerts only (other texts keep working).
    LEAVE: N_("LEAVE, ALERTS OFF"),
    # TRANSLATORS: words a texter sends before describing a bad batch of drugs ("REPORT blue
    # pills knocked 3 people out"). OD is an abbreviation for overdose.
    REPORT: N_("REPORT, OD"),
    # TRANSLATORS: words that answer "yes" when the hotline asks a texter to confirm alerts.
    YES: N_("YES, Y"),
}

ASK_YES = N_(
    "Reply YES to get alerts about dangerous drugs in {area}, in {language}, about {per_month} a month. "
    "Reply STOP at any time."
)
EVERY_AREA = N_("all the areas we cover")
CONFIRMED = N_(
    "{programme}: you will get drug-supply alerts for {area}, in {language}, about {per_month} msgs a month. "
    "Msg & data rates may apply. Reply LEAVE to end alerts, HELP for help, STOP to stop all texts."
)
AREA_CHANGED = N_("Your alerts are now for {area}, in {language}. Reply LEAVE to end them.")
NOT_A_ZIP = N_(
    "That is not a ZIP code. Text JOIN and a 5-digit ZIP code, like JOIN {example}, or JOIN alone "
    "for alerts in every area."
)
OUTSIDE = N_(
    "{zip} is outside the areas we send alerts for ({areas}). Text JOIN alone to get alerts for all of them."
)
SUBSCRIBED = N_(
    "You get alerts for {area}, in {language}. Reply LEAVE to end them, or JOIN and a ZIP code to change the area."
)
NOT_SUBSCRIBED = N_("You do not get alerts. Text JOIN, or JOIN and your ZIP code, to get alerts about dangerous drugs.")
LEFT = N_("You will get no more alerts. Other texts to this line still work. Text JOIN to get alerts again.")
REPORT_THANKS = N_(
    "Thank you. Your report is kept without your number. If someone is not breathing or will not wake up, "
    "call {emergency} now."
)
REPORT_HOW = N_(
    "To report a bad batch, text REPORT and what you saw. Like this: REPORT blue pills knocked 3 people out."
)
STILL_WANTED = N_(
    "{programme}: you have had drug-supply alerts for a year. Still want them? Reply YES. "
    "If not, you need do nothing: they end in a week."
)


@dataclass(frozen=True)
class Command:
    """A command at the start of a text: its kind, the words after it as typed, its language,
    and the word itself (normalised)."""

    kind: str
    rest: str
    lang: str | None
    word: str = ""


class AlertWords:
    """Normalised word (one or two words) -> (command, the language it belongs to)."""

    def __init__(self, catalogues, languages, source: str, reserved: dict[str, str] | None = None):
        """`reserved`: normalised words that already mean something whatever the texter is
        doing (STOP, HELP, language names ... -> what they do); an alerts word that is one of
        them is left out (and listed in `clashes`), so that STOP can never become LEAVE.
        A YES word may be a START word: YES only counts while alerts wait for it."""
        self.table: dict[str, tuple[str, str]] = {}
        self.clashes: list[tuple[str, str, str]] = []  # (language, word, what it already does)
        reserved = reserved or {}
        for kind, msgid in WORDS.items():
            for lang in [source, *languages]:
                words, spoken = catalogues.translate(msgid, lang)
                for word in words.split(","):
                    key = normalize(word)
                    taken = reserved.get(key)
                    if taken and not (kind == YES and taken == "start"):
                        if spoken == lang:
                            self.clashes.append((lang, word.strip(), taken))
                    elif key and key.count(" ") <= 1:
                        self.table.setdefault(key, (kind, spoken))

    def words(self) -> set[str]:
        return set(self.table)

    def match(self, body: str) -> Command | None:
        """The command `body` starts with, or None (most texts: a look-up or two)."""
        parts = body.split(None, 2)
        for size in (2, 1):
            if len(parts) < size:
                continue
            word = normalize(" ".join(parts[:size]))
            entry = self.table.get(word)
            if entry:
                rest = body.split(None, size)[size:]
                return Command(entry[0], rest[0].strip() if rest else "", entry[1], word)
        return None

    def is_yes(self, body: str) -> bool:
        entry = self.table.get(normalize(body))
        return bool(entry and entry[0] == YES)


def reserved_words(flows, forget_words) -> dict[str, str]:
    """Words with a fixed meaning everywhere: texting words, language names and FORGET's."""
    reserved = {word: "forget" for word in forget_words}
    reserved.update({word: "a language" for word in flows.language_keywords})
    reserved.update({word: value for word, (value, _) in flows.texting_words.entries.items()})
    return reserved


def clash_problems(flows, catalogues, forget_words) -> list[tuple[str, str]]:
    """(language, message) for each alerts word left out because it already means something."""
    languages = flows.languages
    words = AlertWords(catalogues, languages.languages, languages.source, reserved_words(flows, forget_words))
    return [(lang, f"{lang}: the alerts word '{word}' already means {taken}; texting it does that, not alerts")
            for lang, word, taken in words.clashes]
