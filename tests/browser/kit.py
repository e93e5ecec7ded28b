"""Browser-test helpers: the console served over real HTTP, Debian's Chromium driven by
Playwright, axe-core injected into each page, and keyboard-only moves.

- `/usr/bin/chromium` is required (never `playwright install`); without it the browser tests
  are skipped with a clear reason, except under CI (`CI` set), where that is a failure.
- axe-core (tests/browser/axe.min.js, from npm through package.json) is evaluated in the
  page through the DevTools protocol, so the console's own Content-Security-Policy, which
  forbids inline scripts, stays on during the tests.
- Every action goes through the keyboard: `tab_to` presses Tab until the wanted element has
  the focus (failing if it never gets it), then the test presses Enter, Space or types.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = (Path(__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WIDTH, HEIGHT = 360, 800
#: Where screenshots for docs/console.md go when HOTLINE_SCREENSHOTS names a folder.
SHOTS = os.environ.get("HOTLINE_SCREENSHOTS")


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"the console's browser tests need Chromium at {CHROMIUM} (Debian: apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(reason + ": under CI a missing browser is a failure", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


class Server:
    """The app on a free port of 127.0.0.1, in a thread of this process."""

    def __init__(self, app):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.app, self.url = app, f"http://127.0.0.1:{port}"
        self.server = make_server("127.0.0.1", port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


def new_page(browser, base_url: str):
    context = browser.new_context(base_url=base_url, viewport={"width": WIDTH, "height": HEIGHT})
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text
            and page.csp_violations.append(message.text))
    return page


def check_page(page, name: str | None = None) -> None:
    """0 serious or critical axe-core violations, no CSP violation, nothing wider than the screen;
    and a screenshot named `name` when screenshots are asked for."""
    page.evaluate(AXE + "\n;undefined")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '));
    }""")
    assert result == [], f"{page.url}: {result}"
    assert page.csp_violations == [], page.csp_violations
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > WIDTH + 1:
        culprits = page.evaluate("""w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap, .diff, .cm-editor'))
            .slice(0, 5).map(e => e.outerHTML.slice(0, 120))""", WIDTH)
        raise AssertionError(f"{page.url} is {wide}px wide at {WIDTH}px: {culprits}")
    if SHOTS and name:  # at a laptop's width, for docs/console.md
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1100, "height": 760})
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})


def tab_to(page, selector: str, limit: int = 250, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("s => { const a = document.activeElement; return !!a && a.matches(s); }", selector):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} cannot be reached with {key} on {page.url}")


def activate(page, selector: str, key: str = "Enter") -> None:
    tab_to(page, selector)
    page.keyboard.press(key)


def fill(page, selector: str, text: str) -> None:
    """Tab into a field, clear it and type."""
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
