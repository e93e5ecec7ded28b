"""The usage dashboard in a real browser (headless Chromium, 360 px, keyboard only): 0
serious axe-core violations, and every table beside a chart equal to its CSV."""

from __future__ import annotations

import csv
import io

import pytest

from .browser.kit import Server, activate, check_page, fill, launch, new_page, require_chromium
from .conftest import TEST_REDIS_URL, Twilio
from .consolekit import PASSWORD, add_account, console_app
from .test_usage_console import RANGE, SETTINGS, spanish_texts
from .test_usage_figures import calls

require_chromium()
from playwright.sync_api import sync_playwright  # noqa: E402 - only once Chromium is known to be there

VIEWS = ("days", "people", "languages", "topics", "dropoff", "transfers", "hours", "weekdays")


@pytest.fixture
def server():
    import redis

    redis.Redis.from_url(TEST_REDIS_URL).flushdb()
    app = console_app(**SETTINGS)
    twilio = Twilio(app.test_client())
    calls(twilio, 12, "1", 0)
    calls(twilio, 3, "2", 100)
    spanish_texts(twilio)
    running = Server(app)
    yield running
    running.stop()
    redis.Redis.from_url(TEST_REDIS_URL).flushdb()


def test_the_dashboard_is_accessible_and_its_tables_match_the_csv(server):
    secret = add_account(server.app, "vera", "viewer")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        page = new_page(chromium, server.url)
        page.goto("/console/login")
        fill(page, "#name", "vera")
        fill(page, "#password", PASSWORD)
        page.keyboard.press("Enter")
        if secret:
            import pyotp

            page.wait_for_url("**/console/login/code")
            fill(page, "#code", pyotp.TOTP(secret).now())
            page.keyboard.press("Enter")
        page.wait_for_url("**/console/")
        with page.expect_navigation(url="**/console/usage"):
            activate(page, 'nav a[href="/console/usage"]')
        fill(page, "#from", "2026-11-24")
        fill(page, "#to", "2026-11-24")
        with page.expect_navigation(url=f"**/console/usage?{RANGE}"):
            activate(page, "form.inline-form button[type=submit]")
        check_page(page, "usage")
        for name in VIEWS:
            shown = page.eval_on_selector(f"#t-{name}", """t => [...t.rows].map(
                r => [...r.cells].map(c => c.textContent.trim()))""")
            downloaded = page.context.request.get(f"/console/usage.csv?view={name}&{RANGE}")
            assert downloaded.ok
            assert list(csv.reader(io.StringIO(downloaded.text()))) == shown, name
        languages = page.eval_on_selector("#t-languages", "t => t.innerText")
        assert "<10" in languages and "suppressed" in languages
        page.context.close()
        chromium.close()
