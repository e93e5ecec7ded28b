"""The usage dashboard in a real browser (headless Chromium, 360 px, keyboard only): 0
serious axe-core violations, and every table beside a chart equal to its CSV."""

from __future__ import annotations

import csv
import io

import pytest

from .browser.fixtures import serving
from .browser.kit import activate, check_page, fill, require_chromium
from .conftest import TEST_REDIS_URL, Twilio
from .consolekit import add_account, console_app
from .test_console_browser import sign_in
from .test_usage_console import RANGE, SETTINGS, spanish_texts
from .test_usage_figures import calls

require_chromium()

VIEWS = ("days", "people", "languages", "topics", "dropoff", "transfers", "hours", "weekdays")


@pytest.fixture
def server():
    with serving(lambda: console_app(**SETTINGS), TEST_REDIS_URL) as running:
        twilio = Twilio(running.app.test_client())
        calls(twilio, 12, "1", 0)
        calls(twilio, 3, "2", 100)
        spanish_texts(twilio)
        yield running


def test_the_dashboard_is_accessible_and_its_tables_match_the_csv(server, page):
    sign_in(page, "vera", add_account(server.app, "vera", "viewer"))
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
