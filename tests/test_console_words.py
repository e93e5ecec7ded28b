"""The console's own words go through the `console` gettext domain, in each account's language.

Real HTTP through the console (tests/consolekit.py) for the chosen language; Jinja's own parser
for the templates; pybabel itself for the template being up to date.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from jinja2 import Environment

from hotline.console.catalogue import TRANSLATIONS, ConsoleWords

from .consolekit import console_app, signed_in

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "hotline" / "console" / "templates" / "console"
#: What Jinja writes (translated words, values, tags): each is one mark, never English of its own.
JINJA = re.compile(r"{%-?\s*trans\b.*?endtrans\s*-?%}|{{.*?}}|{%.*?%}|{#.*?#}", re.S)
WORDY = {"title", "aria-label", "placeholder", "alt", "value", "label", "aria-description"}


class _Literals(HTMLParser):
    """Text and wordy attribute values of a template whose Jinja parts are marked out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in {"script", "style"}
        for name, value in attrs:
            if name in WORDY and value and re.search(r"[A-Za-z]{2,}", value) and not (
                    name == "value" and re.fullmatch(r"[a-z0-9_.-]+", value)):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag):
        self.skip -= tag in {"script", "style"}

    def handle_data(self, data):
        if not self.skip and re.search(r"[A-Za-z]{2,}", data):
            self.found.append(" ".join(data.split()))


@pytest.fixture
def app(redis_client):
    return console_app()


def untranslated(source: str) -> list[str]:
    """English written straight into a template: words in its text, or in a wordy attribute."""
    Environment(extensions=["jinja2.ext.i18n"]).parse(source)  # a template that does not parse fails here
    literals = _Literals()
    literals.feed(JINJA.sub("\u00a7", source))
    literals.close()
    return literals.found


def test_the_finder_sees_text_and_attributes_but_not_translated_words():
    found = untranslated('<p>Hello</p><button title="Close">{{ _("Close") }}</button>')
    assert sorted(found) == ["Hello", 'title="Close"']
    assert untranslated('<p>{% trans %}Hello {{ name }}{% endtrans %}</p><input type="hidden" value="es">') == []
    assert untranslated('<input placeholder="Search"><img alt="A chart">') == ['placeholder="Search"', 'alt="A chart"']


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_a_converted_template_writes_no_english_outside_the_catalogue(template):
    assert untranslated((TEMPLATES / template).read_text(encoding="utf-8")) == [], (
        f"{template}: wrap these in {{% trans %}} or _() and run the console extract command (docs/console.md)")


def test_a_page_is_in_spanish_for_an_account_that_chose_spanish(app):
    browser = signed_in(app, "ana", "viewer")
    english = browser.text("/console/account/language")
    assert '<html lang="en">' in english and "Sign out" in english
    answer = browser.post("/console/account/language", {"language": "es"})
    assert answer.status_code == 302
    page = browser.text("/console/account/language")
    assert '<html lang="es">' in page
    assert "La consola se muestra ahora en español." in page
    assert "Cerrar sesión" in page and ">Flujo</a>" in page and "Idioma de la consola · Consola de la línea" in page
    assert "Sign out" not in page
    assert app.extensions["console"].accounts.get("ana").console_language == "es"
    history = browser.text("/console/history")
    assert "Mostrar las diferencias" in history and "Revisiones, la más reciente primero" in history
    assert "Show the differences" not in history
    assert "Todos los servicios del directorio" in browser.text("/console/services")
    # Another account keeps English: the choice is the account's, not the app's.
    assert "Sign out" in signed_in(app, "ben", "viewer").text("/console/account/language")


def test_pages_notices_refusals_and_dates_follow_a_spanish_account(app):
    eva = signed_in(app, "eva", "publisher")
    eva.post("/console/account/language", {"language": "es"})
    flow = eva.text("/console/")
    assert "El flujo de la línea" in flow and "Teclas en todos los menús" in flow and "(publicador)" in flow
    assert "The hotline's flow" not in flow and "(publisher)" not in flow
    text = app.extensions["console"].revisions.published().files["flows/hotline.yaml"]
    saved = eva.post("/console/file/flows/hotline.yaml", {"text": text})
    assert saved.status_code == 302
    assert "Se guardó flows/hotline.yaml en su borrador. Pasa la comprobación." in eva.text(saved.location)
    assert eva.post("/console/publish", {"note": "nada"}).status_code == 302
    draft = eva.text("/console/draft")
    assert "No hay nada que publicar: usted no tiene un borrador." in draft and "Comprobar y publicar ·" in draft
    # The revision's moment as Spanish writes it ("3 dic 2026, 6:40"), not 2026-12-03 06:40.
    assert re.search(r"<td>\d{1,2} [a-z]{3,4}\.? \d{4}, \d{1,2}:\d\d</td>", eva.text("/console/history"))
    ada = signed_in(app, "ada", "admin")
    ada.post("/console/account/language", {"language": "es"})
    ada.post("/console/accounts/add", {"name": "Not A Name!", "role": "viewer"})
    accounts = ada.text("/console/accounts")
    assert "Un nombre tiene de 1 a 40 letras minúsculas" in accounts  # AccountError, from hotline/state
    assert '<option value="viewer">lector</option>' in accounts and "<td>publicador</td>" in accounts


def test_a_spanish_error_page_and_a_plural_with_its_count(app):
    browser = signed_in(app, "ana", "viewer")
    browser.post("/console/account/language", {"language": "es"})
    missing = browser.get("/console/no-such-page")
    assert missing.status_code == 404
    assert "No hay nada en esta dirección de la consola." in missing.get_data(as_text=True)
    refused = browser.post("/console/account/language", {"language": "xx"})
    assert refused.status_code == 400 and "Elija uno de los idiomas de la lista." in refused.get_data(as_text=True)
    assert app.extensions["console"].accounts.get("ana").console_language == "es"


def test_a_missing_or_broken_translation_falls_back_to_english_per_string():
    catalogue = Catalog(locale="es")
    catalogue.add("Sign out", "Cerrar sesión")
    catalogue.add("Sign in", "")
    catalogue.add("Hello %(name)s", "Hola %(nombre)s")  # a placeholder typo: not used
    catalogue.add(("%(num)d minute", "%(num)d minutes"), ("%(num)d minuto", "%(num)d minutos"))
    catalogue.add(("%(num)d day", "%(num)d days"), ("%(num)d día", ""))
    words = ConsoleWords(catalogue)
    assert words.word("Sign out") == "Cerrar sesión"
    assert words.word("Sign in") == "Sign in" and words.word("Hello %(name)s") == "Hello %(name)s"
    assert [words.words("%(num)d minute", "%(num)d minutes", n) for n in (1, 5)] == ["%(num)d minuto",
                                                                                     "%(num)d minutos"]
    assert words.words("%(num)d day", "%(num)d days", 3) == "%(num)d days"


def test_the_spanish_console_catalogue_is_complete():
    template = {m.id for m in read_po((TRANSLATIONS / "console.pot").open("rb")) if m.id}
    spanish = read_po((TRANSLATIONS / "es" / "LC_MESSAGES" / "console.po").open("rb"), locale="es")
    done = {m.id for m in spanish if m.id and not m.fuzzy
            and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert template - done == set(), "translate these into Spanish in hotline/console/translations/es"


def test_the_console_template_is_up_to_date_with_the_sources(tmp_path):
    fresh = tmp_path / "console.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel-console.cfg",
                    "-k", "N_", "-k", "AccountError",
                    "-k", "Sentence", "-o", str(fresh), "."], cwd=ROOT, check=True, capture_output=True)
    made = {m.id for m in read_po(fresh.open("rb")) if m.id}
    committed = {m.id for m in read_po((TRANSLATIONS / "console.pot").open("rb")) if m.id}
    assert made - committed == set(), "run the console extract command (docs/console.md) and commit console.pot"
    assert committed - made == set(), "console.pot has words no longer used: run the console extract command"
