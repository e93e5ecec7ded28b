"""Edits to one language's `.po` text, as the console makes them: a translation, a review.

Rules this module keeps:
- A catalogue is edited as text in, text out (a draft holds files as text). It is read
  with Babel and written back the way `translate update` writes it, so an unchanged file
  comes out byte for byte the same and one edit changes one entry.
- Saving a translation clears `fuzzy` (the translator has looked at it) and, because new
  words have not been checked by anyone else yet, replaces a recorded review with the draft
  mark. Marking as reviewed removes the draft mark and records who and when, as a
  translator comment (`checks.translations.review_comment`); only a translation the hotline
  uses (not missing, fuzzy or broken) can be reviewed.
- Keywords (context `keywords`) are a list of words for a person and one comma-separated
  string in the catalogue; `i18n.keyword_list` and `keyword_text` turn one into the other.
- Nothing here decides whether a translation is good enough: `live_checks` does, the same
  way the check does.
"""

from __future__ import annotations

import datetime as dt
import io

from babel.messages.pofile import read_po, write_po

from ..sentence import Sentence
from .checks.translations import REVIEW_COMMENT, REVIEW_MARK, review_comment
from .translating import BROKEN, FUZZY, MISSING, status_of

DRAFT_COMMENT = f"draft: {REVIEW_MARK}"


class EditRefused(ValueError):
    """The edit cannot be made; the message says why, in words a translator can act on."""


def parse(po_text: str, lang: str):
    """The Babel catalogue of a `.po` text (lenient: strict checks belong to `po_upload`)."""
    return read_po(io.BytesIO(po_text.encode("utf-8")), locale=lang)


def serialise(catalog) -> str:
    """The `.po` text of a catalogue, written as `translate update` writes it."""
    out = io.BytesIO()
    write_po(out, catalog, no_location=True, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def keyword_text(words) -> str:
    """The catalogue's form of a list of words (blank and repeated words left out)."""
    seen: dict[str, None] = {}
    for word in words:
        cleaned = " ".join(str(word).split())
        if cleaned and cleaned.casefold() not in {w.casefold() for w in seen}:
            seen[cleaned] = None
    return ", ".join(seen)


def _entry(catalog, msgid: str, context: str | None):
    message = catalog.get(msgid, context=context)
    if message is None:
        raise EditRefused(Sentence("this text is not in the catalogue yet: run translate update, then edit it"))
    return message


def set_translation(po_text: str, lang: str, msgid: str, context: str | None, translation: str) -> str:
    """The catalogue with `msgid` translated as `translation` (a draft until someone reviews it)."""
    catalog = parse(po_text, lang)
    message = _entry(catalog, msgid, context)
    if message.string == translation and not message.fuzzy:
        return po_text
    message.string = translation
    message.flags.discard("fuzzy")
    comments = [c for c in message.user_comments if not REVIEW_COMMENT.match(c.strip())]
    if translation and not any(REVIEW_MARK in c for c in comments):
        comments.insert(0, DRAFT_COMMENT)
    message.user_comments = comments
    return serialise(catalog)


def mark_reviewed(po_text: str, lang: str, msgid: str, context: str | None, reviewer: str, on: dt.date) -> str:
    """The catalogue with `msgid`'s translation recorded as reviewed by `reviewer` on `on`."""
    if not reviewer.strip():
        raise EditRefused(Sentence("a review needs the reviewer's name"))
    catalog = parse(po_text, lang)
    message = _entry(catalog, msgid, context)
    status = status_of(message, msgid)
    if status == MISSING:
        raise EditRefused(Sentence("there is no translation to review yet: write one first"))
    if status == FUZZY:
        raise EditRefused(Sentence("this translation is marked fuzzy (a guess): save it once checked, then review it"))
    if status == BROKEN:
        raise EditRefused(Sentence("this translation's {placeholders} differ from the English: fix them before "
                                   "reviewing it"))
    kept = [c for c in message.user_comments if REVIEW_MARK not in c and not REVIEW_COMMENT.match(c.strip())]
    message.user_comments = [*kept, review_comment(reviewer, on)]
    return serialise(catalog)
