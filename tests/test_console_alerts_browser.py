"""Alerts in a real browser (headless Chromium, Playwright), 360 px wide, keyboard only, axe-core
on every page: a publisher composes an alert, a second publisher approves it, and both watch a
real `flask hotline worker` send it to a local stand-in for Twilio's API, the status callbacks
moving the counts in the page; then a bad-batch report is read and deleted."""

from __future__ import annotations

import os
import re
import signal

import pytest

from .alerts_support import FakeTwilio, alert_settings, start_worker, subscribe_many
from .browser.kit import Server, activate, check_page, fill, new_page, require_chromium, tab_to
from .conftest import Twilio
from .consolekit import add_account, console_app
from .test_console_browser import go, sign_in

require_chromium()
from playwright.sync_api import expect  # noqa: E402 - only once Chromium is known to be there

ENGLISH = "Alert: very strong fentanyl in blue pills in the Mission. Carry naloxone. Call {emergency}."
SPANISH = "Alerta: fentanilo muy fuerte en pastillas azules en la Mission. Lleve naloxona. Llame al {emergency}."
OTHERS = ("zh", "vi", "fil", "fr", "ar", "ht")
REPORT = "grey powder at 16th and Mission, two people fell asleep fast"


@pytest.fixture
def fake(httpserver):
    return FakeTwilio(httpserver)


@pytest.fixture
def server(redis_client, fake):
    running = Server(console_app(**alert_settings(fake.url)))
    yield running
    running.stop()


@pytest.fixture
def worker(fake, server):
    process = start_worker(fake.url, quiet=True)
    yield process
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_compose_approve_and_watch_an_alert_sent(browser, server, fake, worker):
    app = server.app
    alerts = app.extensions["alerts"]
    people = subscribe_many(alerts, 30) + subscribe_many(alerts, 12, lang="es", start=100)
    ana, ben = new_page(browser, server.url), new_page(browser, server.url)
    try:
        sign_in(ana, "ana", add_account(app, "ana", "publisher"))
        go(ana, "Alerts")
        expect(ana.locator("table.figures")).to_contain_text("30")
        check_page(ana, "alerts")
        with ana.expect_navigation(url="**/console/alerts/new"):
            activate(ana, 'main a[href="/console/alerts/new"]')
        check_page(ana)
        fill(ana, "#f-english", ENGLISH)
        expect(ana.locator("#cost-en")).to_have_text("1 segment × 30 subscribers = 30 segments")
        fill(ana, "#t-es", SPANISH.replace(" Llame al {emergency}.", ""))
        problems = ana.locator("#alert-problems")
        expect(problems).to_contain_text("The Español text leaves out {emergency}")
        ana.keyboard.type(" Llame al {emergency}.")
        expect(problems).not_to_contain_text("Español")
        expect(problems).to_contain_text("中文 has no translation")
        for lang in OTHERS:
            tab_to(ana, f"#c-{lang}")
            ana.keyboard.type("Skip")
        expect(problems).to_contain_text("Nothing is missing: it can be sent.")
        expect(ana.locator("#cost-es")).to_contain_text("× 12 subscribers = ")
        expect(ana.locator("#cost-zh")).to_have_text("Nothing is sent in this language.")
        tab_to(ana, "input[name=urgent]")
        ana.keyboard.press("Space")  # the worker keeps the real time: quiet hours must not hold this test up
        check_page(ana, "alert-compose")
        with ana.expect_navigation(url=re.compile(r".*/console/alerts/\w+$")):
            activate(ana, "button[value=submit]")
        expect(ana.locator(".notice")).to_contain_text("waits for a second publisher's approval")
        expect(ana.locator("main")).to_contain_text("You wrote this alert: a second publisher must approve it")
        assert ana.locator("text=Approve and send").count() == 0
        check_page(ana)
        address = ana.url.removeprefix(server.url)
        assert fake.sent == [], "nothing leaves before a second publisher approves"

        sign_in(ben, "ben", add_account(app, "ben", "publisher"))
        go(ben, "Alerts")
        with ben.expect_navigation(url=f"**{address}"):
            activate(ben, f'main a[href="{address}"]')
        expect(ben.locator("table.slots")).to_contain_text("Lleve naloxona. Llame al 911.")
        check_page(ben, "alert-approve")
        with ben.expect_navigation(url=f"**{address}"):
            activate(ben, "#approve")
        expect(ben.locator(".notice")).to_contain_text("Approved")
        # Both pages follow the sending by themselves: nobody presses anything from here on.
        progress = ben.locator("#alert-progress")
        expect(progress).to_contain_text("It is sent", timeout=60_000)
        expect(progress).to_contain_text("42 of 42 subscribers dealt with")
        expect(progress.locator('[data-count="queued"]')).to_have_text("42")
        twilio = Twilio(app.test_client())
        for message in fake.sent[:5]:
            twilio.post("/twilio/alerts/status", {"MessageSid": message["sid"], "MessageStatus": "delivered"})
        expect(progress.locator('[data-count="delivered"]')).to_have_text("5", timeout=10_000)
        expect(ana.locator('#alert-progress [data-count="delivered"]')).to_have_text("5", timeout=10_000)
        check_page(ben, "alert-progress")
        assert sorted(m["to"] for m in fake.sent) == sorted(people)

        twilio.text(f"REPORT {REPORT}, call me 415-555-0134", caller=people[0])
        go(ana, "Reports")
        expect(ana.locator(".reports")).to_contain_text(f"{REPORT}, call me [number removed]")
        check_page(ana, "alert-reports")
        with ana.expect_navigation(url="**/console/alerts/reports"):
            activate(ana, ".report button")
        expect(ana.locator(".notice")).to_have_text("The report is deleted.")
        check_page(ana)
        for page in (ana, ben):
            content = page.content()
            for number in people:
                assert number not in content and number[2:] not in content
    finally:
        ana.context.close()
        ben.context.close()
