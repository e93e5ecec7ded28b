"""The console in a real browser (headless Chromium, Playwright), 360 px wide, keyboard only,
with axe-core on every page: the coordinator's walkthrough of docs/console.md, step by step."""

from __future__ import annotations

import itertools
import re

import pyotp
import pytest

from hotline.state.revisions import RevisionStore

from .browser.fixtures import serving
from .browser.kit import activate, check_page, fill, new_page, require_chromium, tab_to
from .conftest import TEST_REDIS_URL, Twilio, words
from .consolekit import PASSWORD, add_account, console_app

require_chromium()
from playwright.sync_api import expect  # noqa: E402 - only once Chromium is known to be there

SPANISH = "Dele naloxona ahora: rocíe una dosis en un lado de la nariz."
OPTION = '\n      - {key: 5, label: "how much naloxone to give for fentanyl", goto: naloxone_fentanyl}'
NODE = ('\n\n  naloxone_fentanyl:\n    type: message\n    source: CDC "Lifesaving Naloxone" (more than one dose '
        'may be needed)\n    say:\n      - "Fentanyl overdoses can need more than one dose of naloxone."\n'
        '      - "If they do not wake up in 2 to 3 minutes, give another dose."')
NEW_GUIDANCE = "Fentanyl overdoses can need more than one dose of naloxone."


@pytest.fixture(scope="module")
def server():
    with serving(console_app, TEST_REDIS_URL) as running:
        yield running


def sign_in(page, name: str, secret: str | None, password: str = PASSWORD, shot: bool = False) -> None:
    page.goto("/console/login")
    if shot:
        check_page(page, "login")
    fill(page, "#name", name)
    fill(page, "#password", password)
    page.keyboard.press("Enter")
    if secret:
        page.wait_for_url("**/console/login/code")
        check_page(page, "code" if shot else None)
        fill(page, "#code", pyotp.TOTP(secret).now())
        page.keyboard.press("Enter")
    page.wait_for_url("**/console/")


def go(page, label: str) -> None:
    """Follow a link of the navigation, by keyboard."""
    href = page.get_by_role("navigation", name="Console").get_by_role("link", name=label).get_attribute("href")
    with page.expect_navigation():
        activate(page, f'nav a[href="{href}"]')


CALLERS = itertools.count(120)


def overdose_menu_choice(twilio: Twilio, key: str) -> str:
    """What a new caller (whose language is not remembered yet) hears in Spanish."""
    call = twilio.call(caller=f"+1202555{next(CALLERS):04d}")
    call.start()
    call.press("2")  # español
    call.press("1")  # sobredosis o naloxona
    return words(call.press(key))


def test_the_coordinator_walkthrough(page, server):
    """docs/console.md's nine steps: sign in; find the Spanish overdose steps; fix a sentence;
    add a menu option with a new guidance node; see and fix the error; try it at 23:00 on a
    Saturday; publish; hear it on the next real call; roll it back."""
    app = server.app
    secret = add_account(app, "maria", "publisher")
    twilio = Twilio(app.test_client())
    # 1. Sign in, with the second step
    sign_in(page, "maria", secret, shot=True)
    check_page(page, "flow")
    # 2. Find the Spanish overdose steps
    with page.expect_navigation(url="**/console/node/overdose"):
        activate(page, '.diagram a[href="/console/node/overdose"]')
    expect(page.locator("#t-es-2")).to_have_value(re.compile("rocíe una dosis"))
    check_page(page, "node")
    # 3. Fix a sentence
    fill(page, "#t-es-2", SPANISH)
    with page.expect_navigation(url="**/console/node/overdose*"):
        activate(page, "#s-es-2 button")
    expect(page.locator(".notice")).to_contain_text("Saved to your draft")
    expect(page.locator("#t-es-2")).to_have_value(SPANISH)
    # 4. Add a menu option (pointing at a node not written yet: 5. the error, at its line)
    page.goto("/console/file/flows/hotline.yaml")
    expect(page.locator(".cm-content")).to_be_visible()
    tab_to(page, ".cm-content")
    page.keyboard.press("Control+f")
    page.keyboard.type("goto: good_samaritan}")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.keyboard.press("End")
    page.keyboard.insert_text(OPTION)
    problems = page.locator("#live-problems")
    expect(problems).to_contain_text("naloxone_fentanyl", timeout=15_000)
    text = page.evaluate("window.hotlineEditor.state.doc.toString()")
    error_line = text.split("\n").index(OPTION.strip("\n")) + 1
    expect(problems).to_contain_text(f"error: line {error_line}:")
    expect(page.locator(".cm-lint-marker-error").first).to_be_visible()
    check_page(page, "editor-error")
    page.keyboard.insert_text(NODE)  # the new guidance node fixes it
    expect(problems).to_contain_text("The whole draft: 0 errors,", timeout=15_000)
    page.keyboard.press("Escape")
    with page.expect_navigation(url="**/console/file/flows/hotline.yaml"):
        activate(page, "#file-form button[type=submit]")
    expect(page.locator(".notice")).to_contain_text("passes the check")
    assert "naloxone_fentanyl" in RevisionStore(app.extensions["hotline"].store.client).draft("maria").files[
        "flows/hotline.yaml"]
    # 6. Try it as a caller at 23:00 on a Saturday, then as a texter
    go(page, "Try")
    tab_to(page, "#lang")
    page.keyboard.type("Español")
    tab_to(page, "#day")
    page.keyboard.type("Saturday")
    fill(page, "#time", "23:00")
    with page.expect_navigation(url="**/console/try*"):
        activate(page, ".try-setup button[type=submit]")
    thread = page.locator("#thread")
    expect(thread).to_contain_text("es-US")
    for key in ("1", "5"):
        activate(page, f'.keypad button[value="{key}"]')
        expect(thread).to_contain_text(f"presses {key}")
    expect(thread).to_contain_text(NEW_GUIDANCE)
    expect(page.locator("#conv-h")).to_contain_text("Saturday 23:00")
    check_page(page, "try-call")
    tab_to(page, "input[name=channel][value=voice]")
    page.keyboard.press("ArrowRight")  # to "Texter (SMS)"
    with page.expect_navigation(url="**/console/try*"):
        activate(page, ".try-setup button[type=submit]")
    fill(page, "#sms-text", "NARCAN")
    page.keyboard.press("Enter")
    expect(thread).to_contain_text("segment")
    expect(thread).to_contain_text("GSM-7")
    check_page(page, "try-sms")
    # 7. Publish
    go(page, "Check and publish")
    expect(page.locator("main")).to_contain_text("0 errors")
    check_page(page, "draft")
    fill(page, "#note", "Fentanyl and naloxone; clearer Spanish steps")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/history")
    expect(page.locator(".notice")).to_contain_text("Published revision 2")
    check_page(page, "history")
    # 8. The next real call (a webhook signed as Twilio signs it) hears it
    assert NEW_GUIDANCE in overdose_menu_choice(twilio, "5")
    assert SPANISH in overdose_menu_choice(twilio, "1")
    # the changes of revision 2, readably
    with page.expect_navigation(url="**/history/diff*"):
        activate(page, 'a[href="/console/history/diff?a=1&b=2"]')
    expect(page.locator("main")).to_contain_text("naloxone_fentanyl")
    check_page(page, "diff")
    # 9. Roll it back
    page.goto("/console/history")
    with page.expect_navigation(url="**/console/history"):
        activate(page, 'form[action="/console/rollback/1"] button')
    expect(page.locator(".notice")).to_contain_text("Revision 1 is published again, as revision 3")
    assert NEW_GUIDANCE not in overdose_menu_choice(twilio, "5")
    assert SPANISH not in overdose_menu_choice(twilio, "1")


def test_two_editors_at_once_are_asked_to_merge(browser, server):
    app = server.app
    first, second = new_page(browser, server.url), new_page(browser, server.url)
    try:
        sign_in(first, "ana", add_account(app, "ana", "publisher"))
        sign_in(second, "ben", add_account(app, "ben", "publisher"))
        for page, sentence in ((first, "es-2"), (second, "es-3")):
            page.goto("/console/node/overdose")
            fill(page, f"#t-{sentence}", f"Cambio de {sentence}.")
            with page.expect_navigation(url="**/console/node/overdose*"):
                activate(page, f"#s-{sentence} button")
        first.goto("/console/draft")
        fill(first, "#note", "ana's change")
        first.keyboard.press("Enter")
        first.wait_for_url("**/console/history")
        second.goto("/console/draft")
        expect(second.locator("main")).to_contain_text("was published after you started this draft")
        with second.expect_navigation(url="**/console/merge"):
            activate(second, 'main a[href="/console/merge"]')
        expect(second.locator("main")).to_contain_text("Cambio de es-2.")
        check_page(second, "merge")
        with second.expect_navigation(url="**/console/draft"):
            activate(second, "main form button[type=submit]")
        fill(second, "#note", "ben's change, merged")
        second.keyboard.press("Enter")
        second.wait_for_url("**/console/history")
        po = RevisionStore(app.extensions["hotline"].store.client).published().files[
            "locales/es/LC_MESSAGES/messages.po"]
        assert "Cambio de es-2." in po and "Cambio de es-3." in po, "nobody's work is overwritten"
    finally:
        first.context.close()
        second.context.close()


def test_a_viewer_is_refused_an_edit_and_a_request_without_token_is_refused(page, server):
    add_account(server.app, "vic", "viewer")
    sign_in(page, "vic", None)
    page.goto("/console/node/overdose")
    expect(page.locator("#t-es-2")).to_have_attribute("readonly", "")
    assert page.locator("#s-es-2 button").count() == 0
    statuses = page.evaluate("""async () => {
        const token = document.querySelector('meta[name="csrf-token"]').content;
        const form = (withToken) => { const f = new FormData(document.getElementById('s-es-2'));
            f.set('text', 'forged'); if (!withToken) f.delete('csrf_token'); return f; };
        const a = await fetch('/console/node/overdose/sentence', {method: 'POST', body: form(true)});
        const b = await fetch('/console/node/overdose/sentence', {method: 'POST', body: form(false)});
        return [a.status, b.status, token.length > 0];
    }""")
    assert statuses == [403, 400, True]
    assert RevisionStore(server.app.extensions["hotline"].store.client).draft("vic") is None
    page.goto("/console/file/flows/hotline.yaml")
    expect(page.locator("h1")).to_have_text("Not allowed")
    check_page(page, None)


def test_an_account_is_locked_after_repeated_wrong_passwords(page, server):
    add_account(server.app, "lou", "editor")
    for _ in range(5):
        page.goto("/console/login")
        fill(page, "#name", "lou")
        fill(page, "#password", "not the password")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    expect(page.locator(".error")).to_contain_text("try again in 15 minutes")
    fill(page, "#password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".error")).to_contain_text("locked")
    check_page(page, None)


def test_every_other_page_is_accessible(page, server):
    app = server.app
    app.extensions["console"].accounts.add("ada", "admin", password=PASSWORD)
    page.goto("/console/login")
    fill(page, "#name", "ada")
    fill(page, "#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/login/enrol")
    check_page(page, "enrol")
    secret = page.locator("#secret").inner_text().replace(" ", "")
    fill(page, "#code", pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    expect(page.locator("#codes li")).to_have_count(8)
    check_page(page, "recovery")
    with page.expect_navigation(url="**/console/"):
        activate(page, "main a")
    go(page, "Accounts")
    fill(page, "#new-name", "newcomer")
    activate(page, 'form[action="/console/accounts/add"] button')
    expect(page.locator("#one-time")).to_be_visible()
    check_page(page, "accounts")
    go(page, "Audit log")
    expect(page.locator("main")).to_contain_text("user-add")
    check_page(page, "audit")
    page.goto("/console/account/password")
    check_page(page, None)
    page.goto("/console/node/language")
    check_page(page, None)
    page.goto("/console/nowhere")
    check_page(page, None)
    activate(page, ".who button")  # sign out
    page.wait_for_url("**/console/login")
    expect(page.locator(".notice")).to_contain_text("signed out")
