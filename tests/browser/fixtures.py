"""The fixtures every browser test shares: one Chromium per test module, and a fresh page per test.

Each browser test module defines its own `server` fixture (the app it serves, with its own
settings); `page` opens a new browser context on that server, so no cookie or sign-in leaks from
one test into the next. Playwright is imported only when a fixture runs, after
`require_chromium()` has said whether Chromium is there.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import redis

from .kit import Server, launch, new_page


@contextmanager
def serving(make_app, redis_url: str):
    """Serve the app `make_app()` builds over real HTTP, built on a flushed test database (it
    publishes its first revision there), which is flushed again afterwards."""
    redis.Redis.from_url(redis_url).flushdb()
    running = Server(make_app())
    try:
        yield running
    finally:
        running.stop()
        redis.Redis.from_url(redis_url).flushdb()


@pytest.fixture(scope="module")
def playwright():
    """Playwright itself, for a test that launches Chromium with flags of its own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def browser(playwright):
    chromium = launch(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser, server):
    opened = new_page(browser, server.url)
    yield opened
    opened.context.close()
