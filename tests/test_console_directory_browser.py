"""The service directory (and recordings) in a real browser: keyboard only, 360 px wide,
axe-core on every page. A coordinator changes a service's hours and "try it" answers anew."""

from __future__ import annotations

import pytest

from .browser.fixtures import serving
from .browser.kit import (
    ARGS,
    CHROMIUM,
    HEIGHT,
    WIDTH,
    activate,
    check_page,
    fill,
    require_chromium,
    tab_to,
)
from .conftest import TEST_REDIS_URL
from .consolekit import add_account, console_app
from .test_console_browser import go, sign_in
from .test_console_recordings import wav

require_chromium()
from playwright.sync_api import expect  # noqa: E402 - only once Chromium is known to be there


@pytest.fixture(scope="module")
def server():
    with serving(console_app, TEST_REDIS_URL) as running:
        yield running


def try_saturday_night(page) -> str:
    page.goto("/console/services")
    with page.expect_navigation(url="**/console/services/try"):
        activate(page, 'main a[href="/console/services/try"]')
    fill(page, "#t-zip", "94110")
    tab_to(page, "#t-day")
    page.keyboard.type("Saturday")
    fill(page, "#t-time", "23:00")
    with page.expect_navigation(url="**/console/services/try"):
        activate(page, ".try-directory button")
    expect(page.locator("#answer")).to_contain_text("By text, the texter gets")
    return page.locator("#answer").inner_text()


def test_a_coordinator_edits_a_services_hours_and_the_try_it_answer_changes(page, server):
    add_account(server.app, "cora", "editor")
    sign_in(page, "cora", None)
    go(page, "Services")
    expect(page.locator("table.services")).to_contain_text("open until 5:00 PM")
    check_page(page, "services")
    before = try_saturday_night(page)
    assert "No service near you is open right now." in before
    check_page(page, "services-try")
    page.goto("/console/services")
    with page.expect_navigation(url="**/console/service/mission_ssp"):
        activate(page, 'main a[href="/console/service/mission_ssp"]')
    check_page(page, "service")
    fill(page, "#f-hours_sat", "20:00 - 24:00")
    expect(page.locator("#week-preview")).to_contain_text("Saturday: 20:00\u201324:00")  # as it is typed
    fill(page, "#f-phone", "415 555 01")
    with page.expect_navigation():
        activate(page, ".service-form button[type=submit]")
    expect(page.locator("#err-phone")).to_contain_text("write it like (201) 555-0123")
    expect(page.locator("#f-phone")).to_have_attribute("aria-invalid", "true")
    check_page(page, None)
    fill(page, "#f-phone", "(415) 555-0142")
    with page.expect_navigation(url="**/console/service/mission_ssp"):
        activate(page, ".service-form button[type=submit]")
    expect(page.locator(".notice")).to_contain_text("Saved Mission Street Syringe Access to your draft")
    expect(page.locator(".preview")).to_contain_text("Saturday: 20:00\u201324:00")
    after = try_saturday_night(page)
    assert "Open now near you:" in after and "open until 12:00 AM" in after


def test_a_recording_is_uploaded_published_and_served_at_its_url(page, server, tmp_path):
    app = server.app
    sign_in(page, "rosa", add_account(app, "rosa", "publisher", ["ht"]))
    go(page, "Recordings")
    check_page(page, "recordings")
    with page.expect_navigation(url="**/console/recordings/ht"):
        activate(page, 'main a[href="/console/recordings/ht"]')
    check_page(page, "recordings-ht")
    first = page.locator("li.recording").first
    stem = first.get_attribute("id").removeprefix("r-")
    words = first.locator(".words").inner_text()
    sound = tmp_path / "sentence.wav"
    sound.write_bytes(wav(1.0))
    page.set_input_files(f"#a-{stem}", str(sound))  # a file chooser is the system's own dialog
    with page.expect_navigation(url="**/console/recordings/ht*"):
        activate(page, f"#r-{stem} .upload-recording button[type=submit]")
    expect(page.locator(".notice")).to_contain_text("Recording kept in your draft")
    expect(page.locator(f"#r-{stem} audio")).to_have_count(1)
    check_page(page, None)
    page.goto("/console/draft")
    fill(page, "#note", "first Kreyòl recording")
    page.keyboard.press("Enter")
    page.wait_for_url("**/console/history")
    url = app.extensions["hotline"].published.current().recordings.url("ht", words)
    assert url and url.endswith(".wav") and f"/audio/ht/{stem}-" in url
    served = page.request.get(url.split("hotline.example.org", 1)[1])
    assert served.status == 200 and served.body() == sound.read_bytes()
    assert "max-age=31536000" in served.headers["cache-control"] and "immutable" in served.headers["cache-control"]


def test_a_sentence_is_recorded_in_the_page_with_the_microphone(server, playwright):
    """Chromium's fake microphone (a steady tone) stands in for a volunteer's voice."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
        *ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
    try:
        context = chromium.new_context(base_url=server.url, viewport={"width": WIDTH, "height": HEIGHT},
                                       permissions=["microphone"])
        page = context.new_page()
        page.csp_violations = []
        sign_in(page, "vera", add_account(server.app, "vera", "translator", ["ht"]))
        page.goto("/console/recordings/ht")
        second = page.locator("li.recording").nth(1)
        stem = second.get_attribute("id").removeprefix("r-")
        record = f"#r-{stem} button[data-record]"
        expect(page.locator(record)).to_be_visible()
        activate(page, record)
        expect(page.locator(record)).to_have_text("Stop recording")
        page.wait_for_timeout(1500)
        with page.expect_navigation(url="**/console/recordings/ht*"):
            page.keyboard.press("Enter")
        expect(page.locator(".notice")).to_contain_text("Recording kept in your draft")
        expect(page.locator(f"#r-{stem} audio")).to_have_count(1)
        check_page(page, None)
    finally:
        chromium.close()
