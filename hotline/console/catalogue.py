"""The console's own words in the language each coordinator chose for it.

Rules this module keeps:
- English, written in the templates and the console's Python, is the source language.
  The console's words are their own gettext domain, `console`: its template is
  `hotline/console/translations/console.pot` and each language's catalogue
  `hotline/console/translations/<lang>/LC_MESSAGES/console.po`. They ship with the code,
  not with the flows: `locales/` (what coordinators edit and publish, what the check,
  the Languages pages and the .po upload read) holds only what callers hear.
- Each account chooses its console language (English unless it chose another); a string
  with no translation (empty, fuzzy, or a plural with a form missing) is shown in English.
- The .po file is the truth, read with `hotline.i18n.read_catalogue` like the callers'
  catalogues (no `.mo` to rebuild). A translation whose `%(placeholders)s` differ from the
  English is not used, so a typo cannot break a page.
- Python marks its words with `_` / `ngettext` (formatted with `%(name)s` values) or, for
  words written before any request (the navigation), `N_` (`marks.py`) and translates them when shown.
  Templates use `{% trans %}` and `_()` (Jinja's i18n extension, trimmed).
"""

from __future__ import annotations

import gettext
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_datetime
from flask import has_request_context
from flask_login import current_user

from ..i18n import read_catalogue

DOMAIN = "console"
SOURCE = "en"
TRANSLATIONS = Path(__file__).parent / "translations"
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


class ConsoleWords:
    """One language's console catalogue: `word` (gettext) and `words` (ngettext), English as fallback."""

    def __init__(self, catalogue=None):
        self.singular: dict[str, str] = {}
        self.plural: dict[str, tuple[str, ...]] = {}
        # The catalogue's own Plural-Forms rule (n -> which form), as gettext reads it.
        self.plural_of = gettext.c2py(catalogue.plural_expr) if catalogue is not None else None
        for m in catalogue or ():
            if not m.id or m.fuzzy or m.context:
                continue
            if isinstance(m.id, tuple):
                forms = tuple(m.string) if isinstance(m.string, tuple) else ()
                if forms and all(forms) and all(_same_holes(f, m.id[1]) for f in forms):
                    self.plural[m.id[0]] = forms
            elif m.string and _same_holes(m.string, m.id):
                self.singular[m.id] = m.string

    def word(self, message: str) -> str:
        return self.singular.get(message, message)

    def words(self, singular: str, plural: str, n: int) -> str:
        forms = self.plural.get(singular)
        if forms and self.plural_of is not None:
            index = self.plural_of(n)
            if index < len(forms):
                return forms[index]
        return singular if n == 1 else plural


def _same_holes(translation: str, source: str) -> bool:
    return set(_PLACEHOLDER.findall(translation)) == set(_PLACEHOLDER.findall(source))


def catalogue_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=16)
def words_in(lang: str) -> ConsoleWords:
    """The catalogue of `lang`, read once (it ships with the code); English: no catalogue."""
    path = catalogue_path(lang)
    if lang == SOURCE or not path.is_file():
        return ConsoleWords()
    return ConsoleWords(read_catalogue(path, lang))


def languages() -> list[tuple[str, str]]:
    """(code, name in its own language) of every language the console can be shown in."""
    codes = [SOURCE, *sorted(p.name for p in TRANSLATIONS.iterdir() if catalogue_path(p.name).is_file())]
    return [(code, Locale.parse(code).get_display_name(code)) for code in codes]


def chosen() -> str:
    """The signed-in coordinator's console language; English before signing in."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.account.console_language
    return SOURCE


def raw_gettext(message: str) -> str:
    return words_in(chosen()).word(message)


def raw_ngettext(singular: str, plural: str, n: int) -> str:
    return words_in(chosen()).words(singular, plural, n)


def _(message: str, /, **values) -> str:
    """`message` in the coordinator's language, its `%(names)s` filled from `values`."""
    words = raw_gettext(message)
    return words % values if values else words


def ngettext(singular: str, plural: str, n: int, /, **values) -> str:
    """The form for `n` in the coordinator's language; `%(num)d` is `n`."""
    return raw_ngettext(singular, plural, n) % {"num": n, **values}


def said(error) -> str:
    """An error's own sentence in the coordinator's language: its `message` (marked English)
    filled with its `values` (EditError, AccountError, a `hotline.sentence.Sentence`; a value
    that is a Sentence too is translated as well); any other reason as its own English."""
    message = getattr(error, "message", None)
    if message is None:
        return str(error)
    return _(message, **{name: said(value) if hasattr(value, "message") else value
                         for name, value in error.values.items()})


@lru_cache(maxsize=16)
def _moment_pattern(lang: str) -> str:
    """The language's medium date-and-time pattern from CLDR, with the day as "25 nov 2026"
    and a 24-hour clock (the console's moments are UTC, where AM/PM only confuses)."""
    locale = Locale.parse(lang)
    skeletons = locale.datetime_skeletons
    return locale.datetime_formats["medium"].format(skeletons["Hm"].pattern, skeletons["yMMMd"].pattern)


def moment_words(moment) -> str:
    """An aware datetime as the coordinator's console language writes it (Babel, CLDR)."""
    lang = chosen()
    return format_datetime(moment, _moment_pattern(lang), locale=lang)


def install_words(app) -> None:
    """Jinja's i18n extension on the app's templates, looking words up in the chosen language."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(raw_gettext, raw_ngettext, newstyle=True)
