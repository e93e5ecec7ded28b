"""A `.po` file from Poedit or Weblate, taken into a language's catalogue, and one sent out.

Rules this module keeps:
- An upload is checked like any edit, before anything changes: its syntax strictly
  (`posyntax`, shared with the coordinators' check), then its `Language` header (a Spanish
  file cannot land in the French catalogue), then every translation's `{placeholders}`. Any
  of these refuses the whole file with the reasons, as `file:line: message` sentences; the
  catalogue is left exactly as it was.
- What lands: every entry the hotline needs whose uploaded translation is not empty and
  differs from the current one (its words, its fuzzy flag, its translator comments: drafts
  and recorded reviews travel with it). Entries the hotline does not use, and empty ones, are
  left out and counted; nothing is deleted by an upload.
- The result is the new catalogue text (for the draft) and a list of `Change`s: a diff a
  translator can read before publishing. Texted entries over the segment budget are
  warnings, as in the check: they are accepted and said so.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.messages.pofile import PoFileError, read_po

from ..i18n import placeholders
from ..sentence import Sentence
from .catalogue_edit import parse, serialise
from .checks.posyntax import syntax_problems
from .live_checks import WARNING, check_translation
from .translating import SMS, where_heard

MAX_UPLOAD = 2 * 1024 * 1024


@dataclass(frozen=True)
class Change:
    msgid: str
    context: str | None
    before: str  # "" when it was not translated yet
    after: str
    fuzzy: bool = False  # the uploaded translation is marked fuzzy (not used until checked)
    comments: tuple[str, ...] = ()  # its translator comments (draft mark, recorded review)

    @property
    def kind(self) -> str:
        return "new" if not self.before else "changed"


@dataclass(frozen=True)
class Upload:
    """What an upload would do: refused (`problems`) or its changes and the new catalogue."""

    problems: tuple[str, ...] = ()
    changes: tuple[Change, ...] = ()
    warnings: tuple[str, ...] = ()
    po_text: str | None = None
    unused: int = 0  # entries in the file the hotline does not use
    empty: int = 0  # entries in the file left untranslated

    @property
    def accepted(self) -> bool:
        return not self.problems


def read_upload(data: bytes, lang: str, current_po: str, flows, needed, name: str = "upload.po") -> Upload:
    """Check the uploaded `.po` bytes for `lang` against `current_po` (the catalogue now).

    `needed` is the check's (msgid, context) -> source mapping (`needed_messages`).
    """
    if len(data) > MAX_UPLOAD:
        return Upload((Sentence("%(name)s: the file is %(kb)s kB; a catalogue upload can be at most %(mb)s MB",
                                name=name, kb=len(data) // 1024, mb=MAX_UPLOAD // 1024 // 1024),))
    broken = syntax_problems(data)
    if broken:
        return Upload(tuple(f"{name}:{line}: {message}" for line, message in broken))
    try:
        uploaded = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as exc:
        return Upload((Sentence("%(name)s:%(line)s: this line cannot be read as part of a catalogue", name=name,
                                line=exc.lineno + 1),))
    except (ValueError, UnicodeDecodeError, UnknownLocaleError) as exc:
        return Upload((Sentence("%(name)s:1: this file cannot be read as a catalogue (%(reason)s)", name=name,
                                reason=exc),))
    wrong = _language_problem(uploaded, data, lang, name)
    if wrong:
        return Upload((wrong,))
    problems, changes, warnings = [], [], []
    current = parse(current_po, lang)
    heard = where_heard(flows)
    unused = empty = 0
    for message in uploaded:
        if not message.id:
            continue
        key = (message.id, message.context)
        if key not in needed:
            unused += 1
            continue
        if not isinstance(message.string, str) or not message.string:
            empty += 1
            continue
        if placeholders(message.string) != placeholders(message.id):
            problems.append(Sentence("%(name)s:%(line)s: the translation of '%(english)s' uses %(theirs)s but the "
                                     "English uses %(ours)s; keep every {name} exactly as in the English", name=name,
                                     line=message.lineno, english=_short(message.id), theirs=_names(message.string),
                                     ours=_names(message.id)))
            continue
        existing = current.get(message.id, context=message.context)
        before = existing.string if existing is not None and isinstance(existing.string, str) else ""
        was_fuzzy = existing is not None and existing.fuzzy
        comments = tuple(message.user_comments)
        same_comments = existing is not None and tuple(existing.user_comments) == comments
        if before == message.string and was_fuzzy == message.fuzzy and same_comments:
            continue
        changes.append(Change(message.id, message.context, before, message.string, message.fuzzy, comments))
        texted = any(SMS in h.channels for h in heard.get(key, ())) or key not in heard
        for finding in check_translation(flows, lang, message.id, message.context, message.string, texted):
            if finding.level == WARNING:
                warnings.append(f"{name}:{message.lineno}: {finding.message}")
    if problems:
        return Upload(tuple(problems), unused=unused, empty=empty)
    return Upload((), tuple(changes), tuple(warnings), _apply(current_po, lang, changes), unused, empty)


def _apply(current_po: str, lang: str, changes: list[Change]) -> str:
    if not changes:
        return current_po
    catalog = parse(current_po, lang)
    for change in changes:
        message = catalog.get(change.msgid, context=change.context)
        if message is None:
            catalog.add(change.msgid, change.after, context=change.context,
                        flags=("fuzzy",) if change.fuzzy else (), user_comments=list(change.comments))
            continue
        message.string = change.after
        if change.fuzzy:
            message.flags.add("fuzzy")
        else:
            message.flags.discard("fuzzy")
        message.user_comments = list(change.comments)
    return serialise(catalog)


def _language_problem(uploaded, data: bytes, lang: str, name: str) -> str | None:
    lines = enumerate(data.split(b"\n"), 1)
    header_line = next((i for i, line in lines if line.lstrip(b'"').startswith(b"Language:")), 1)
    want = Locale.parse(lang)
    if uploaded.locale is None:
        return Sentence('%(name)s:%(line)s: the file does not say which language it is in: its header needs the '
                        'line "Language: %(lang)s\\n" (Poedit: Catalogue > Properties > Language)', name=name,
                        line=header_line, lang=lang)
    if uploaded.locale.language != want.language:
        return Sentence("%(name)s:%(line)s: this file is in %(theirs)s (its Language header says %(code)s), not "
                        "%(ours)s: upload it on the %(code)s page, or export this language's file and translate "
                        "that", name=name, line=header_line, theirs=uploaded.locale.english_name,
                        code=str(uploaded.locale), ours=want.english_name)
    return None


def export_name(lang: str) -> str:
    """The file name a download is offered under."""
    return f"hotline-{lang}.po"


def _short(message: str, width: int = 60) -> str:
    return message if len(message) <= width else message[: width - 3] + "..."


def _names(message: str) -> str:
    names = sorted(placeholders(message))
    return ", ".join("{" + n + "}" for n in names) if names else Sentence("no placeholders")
