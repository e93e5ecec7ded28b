"""FORGET: a texter's way to erase everything the hotline keeps about their conversation.

Rules this module keeps:
- The words are in the catalogues like every other text, so each language has its own
  (FORGET, OLVIDAR, BORRAR ...), and the English ones work everywhere. Translators give a
  comma-separated list.
- Only a message that is nothing but one of the words counts: "forget it, where is
  naloxone" is a question, not a request to erase.
- It is handled before the engine, so the engine's own keywords never shadow it.
"""

from __future__ import annotations

from ..flow.events import text
from ..flow.keywords import normalize
from ..flow.phrases import N_

# TRANSLATORS: words a texter sends, alone, to have everything stored about them erased.
# Keep the comma-separated list form; add common spellings and synonyms.
FORGET_WORDS = N_("FORGET, FORGET ME, DELETE, DELETE ME, ERASE")
FORGOTTEN = N_(
    "Done: everything this line kept about your messages is deleted. "
    "If someone is not breathing or will not wake up, call {emergency} now."
)


class ForgetWords:
    """The normalised words of every language, each mapped to the language it belongs to."""

    def __init__(self, catalogues, languages, source: str):
        self.table: dict[str, str] = {}
        for lang in [source, *languages]:
            words, spoken = catalogues.translate(FORGET_WORDS, lang)
            for word in words.split(","):
                key = normalize(word)
                if key:
                    self.table.setdefault(key, spoken)

    def match(self, body: str) -> str | None:
        """The language of the FORGET word that is the whole of `body`, else None."""
        return self.table.get(normalize(body))

    @staticmethod
    def reply():
        return text(FORGOTTEN)
