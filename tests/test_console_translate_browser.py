"""The translators' pages in a real browser (headless Chromium, Playwright), 360 px wide,
keyboard only, axe-core on every page: a broken placeholder fixed, reviewed, published and
texted back; a translator kept to their language; a refused upload; a new language."""

from __future__ import annotations

import re

import pytest

from hotline.state.revisions import RevisionStore

from .browser.fixtures import serving
from .browser.kit import activate, check_page, fill, new_page, require_chromium, tab_to
from .conftest import TEST_REDIS_URL, Twilio
from .consolekit import add_account, console_app
from .test_console_browser import go, sign_in

require_chromium()
from playwright.sync_api import expect  # noqa: E402 - only once Chromium is known to be there

ES_PO = "locales/es/LC_MESSAGES/messages.po"
OLD_ES = "Si alguien no respira o no despierta, llame al {emergency} ahora."
BROKEN_ES = "Si alguien no respira o no despierta, llame al {emergencia} ahora."
FR_OLD = '"{emergency} tout de suite."'
FR_NEW = '"{emergency} sans attendre."'
NEW_ES = "Si alguien no respira o no se despierta, llame ya al {emergency}."


@pytest.fixture(scope="module")
def server():
    with serving(console_app, TEST_REDIS_URL) as running:
        yield running


def show(page, status: str, backwards: bool = False) -> None:
    """Filter the language page by status, by keyboard (typing selects the option)."""
    tab_to(page, "#f-status", backwards=backwards)
    page.keyboard.type(status)
    with page.expect_navigation(url=f"**status={status}*"):
        activate(page, ".filters button")


def test_a_translator_fixes_a_broken_placeholder_reviews_and_publishes(browser, page, server):
    app = server.app
    store = RevisionStore(app.extensions["hotline"].store.client)
    published = store.published()
    # An earlier edit left a placeholder broken in the draft (so the check blocks publishing).
    files = {**published.files, ES_PO: published.files[ES_PO].replace(OLD_ES, BROKEN_ES, 1)}
    store.save_draft("teo", published.number, files)
    add_account(app, "teo", "translator", ["es"])
    sign_in(page, "teo", None)
    go(page, "Languages")
    check_page(page, "languages")
    with page.expect_navigation(url="**/console/language/es"):
        activate(page, 'main a[href="/console/language/es"]')
    expect(page.locator("main")).to_contain_text("1 with a broken placeholder")
    show(page, "broken")
    entry = page.locator("li.entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("broken placeholder")
    expect(entry).to_contain_text("error: keep every {name} exactly as in the English")
    check_page(page, "language")
    textarea = entry.locator("textarea")
    fill(page, f"#{textarea.get_attribute('id')}", NEW_ES)
    expect(entry.locator(".live-check")).to_contain_text("The check accepts it", timeout=10_000)
    expect(entry.locator(".live-check")).to_contain_text("1 SMS segment")
    with page.expect_navigation(url="**/console/language/es*"):
        activate(page, "li.entry .entry-form button[type=submit]")
    expect(page.locator(".notice")).to_contain_text("needing review by a native speaker")
    show(page, "draft", backwards=True)  # the page opened at the saved entry, below the filter
    expect(page.locator("li.entry")).to_have_count(1)
    with page.expect_navigation(url="**/console/language/es*"):
        activate(page, "li.entry .review-form button")
    expect(page.locator(".notice")).to_contain_text("Marked as reviewed by teo on 2026-11-25")
    tab_to(page, 'nav a[href="/console/draft"]', backwards=True)
    with page.expect_navigation(url="**/console/draft"):
        page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("0 errors")
    expect(page.locator("main")).to_contain_text("publishers find it under Drafts")
    # A publisher publishes the translator's draft.
    publisher = new_page(browser, server.url)
    try:
        sign_in(publisher, "pia", add_account(app, "pia", "publisher"))
        go(publisher, "Drafts")
        check_page(publisher, "drafts")
        with publisher.expect_navigation(url="**/console/drafts/teo"):
            activate(publisher, 'main a[href="/console/drafts/teo"]')
        expect(publisher.locator("main")).to_contain_text(NEW_ES)
        check_page(publisher, "draft-of")
        fill(publisher, "#note", "Spanish emergency line fixed and reviewed")
        publisher.keyboard.press("Enter")
        publisher.wait_for_url("**/console/history")
        expect(publisher.locator(".notice")).to_contain_text("Published teo's draft as revision 2")
    finally:
        publisher.context.close()
    po = store.published().files[ES_PO]
    assert NEW_ES in po and "# reviewed by teo on 2026-11-25" in po
    reply = Twilio(app.test_client()).text("ES", caller="+12025550144")
    assert "llame ya al 911" in reply and "{emergencia}" not in reply


def test_a_translator_for_es_cannot_open_zh(page, server):
    add_account(server.app, "tia", "translator", ["es"])
    sign_in(page, "tia", None)
    go(page, "Languages")
    expect(page.locator("main table")).to_contain_text("Español")
    expect(page.locator("main table")).not_to_contain_text("中文")
    page.goto("/console/language/zh")
    expect(page.locator("h1")).to_have_text("Not allowed")
    expect(page.locator("main")).to_contain_text("translates es, not zh")
    check_page(page, None)
    page.goto("/console/language/es")
    expect(page.locator("h1")).to_contain_text("Español")


def test_a_refused_upload_and_a_new_language(page, server, tmp_path):
    sign_in(page, "eda", add_account(server.app, "eda", "publisher"))
    page.goto("/console/language/fr")
    bad = tmp_path / "fr.po"
    bad.write_text('msgid ""\nmsgstr ""\n"Language: es\\n"\n', encoding="utf-8")
    page.set_input_files("#po-file", str(bad))  # a file chooser is the system's own dialog
    with page.expect_navigation(url="**/console/language/fr/po"):
        activate(page, 'form[action="/console/language/fr/po"] button')
    expect(page.locator("p.error")).to_contain_text("nothing was changed")
    expect(page.locator("main")).to_contain_text("not French")
    check_page(page, "upload-refused")
    store = RevisionStore(server.app.extensions["hotline"].store.client)
    french = store.published().files["locales/fr/LC_MESSAGES/messages.po"]
    good = tmp_path / "hotline-fr.po"
    good.write_text(french.replace(FR_OLD, FR_NEW, 1), encoding="utf-8")
    page.goto("/console/language/fr")
    page.set_input_files("#po-file", str(good))
    with page.expect_navigation(url="**/console/language/fr/po"):
        activate(page, 'form[action="/console/language/fr/po"] button')
    expect(page.locator(".upload-diff")).to_contain_text("{emergency} sans attendre.")
    check_page(page, "upload-accepted")
    page.goto("/console/languages/new")
    fill(page, "#q", "korean")
    with page.expect_navigation(url="**/languages/new?q=korean"):
        page.keyboard.press("Enter")
    with page.expect_navigation(url="**/languages/new?code=ko"):
        activate(page, 'main a[href="/console/languages/new?code=ko"]')
    expect(page.locator("main")).to_contain_text(re.compile(r"Voice Google\.ko-KR"))
    check_page(page, "language-new")
    with page.expect_navigation(url="**/console/language/ko"):
        activate(page, "form.create button")
    expect(page.locator(".notice")).to_contain_text("stays off for callers and texters")
    expect(page.locator("main")).to_contain_text("hear 0%")
