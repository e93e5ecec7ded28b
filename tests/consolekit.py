"""Helpers for the console's tests: an app with the console on, accounts, and a signed-in client.

The console is reached the way a browser reaches it: real HTTP requests through Flask's
test client, the session cookie, the CSRF token taken from the page as a form carries it.
"""

from __future__ import annotations

import re

import pyotp
from argon2 import PasswordHasher

from hotline import create_app

from .conftest import NOW, SETTINGS

CONSOLE = {**SETTINGS, "HOTLINE_CONSOLE": "on", "HOTLINE_RELOAD_SECONDS": "0"}
PASSWORD = "a long enough password"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


#: Argon2 at its cheapest: the suite hashes dozens of passwords, and the hash records its own
#: settings, so verifying works the same. Production uses argon2-cffi's defaults.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def console_app(**settings):
    app = create_app({**CONSOLE, **settings}, clock=lambda: NOW)
    app.extensions["console"].accounts.hasher = FAST_HASHER
    return app


def add_account(app, name: str, role: str, languages=()) -> str | None:
    """Create an account with PASSWORD; returns its TOTP secret when the role needs one."""
    accounts = app.extensions["console"].accounts
    account, _ = accounts.add(name, role, password=PASSWORD, languages=languages)
    if account.needs_totp:
        secret = pyotp.random_base32()
        accounts.enrol_totp(name, secret)
        return secret
    return None


class Browser:
    """A person at the console: signs in, follows pages, posts forms with the page's token."""

    def __init__(self, app):
        self.app, self.client, self.token = app, app.test_client(), None

    def get(self, path: str, **kwargs):
        response = self.client.get(path, **kwargs)
        self._remember(response)
        return response

    def post(self, path: str, data: dict | None = None, token: bool = True, **kwargs):
        data = dict(data or {})
        if token:
            data.setdefault("csrf_token", self.token)
        response = self.client.post(path, data=data, **kwargs)
        self._remember(response)
        return response

    def _remember(self, response) -> None:
        found = TOKEN.search(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        if found:
            self.token = found.group(1)

    def sign_in(self, name: str, password: str = PASSWORD, secret: str | None = None):
        self.get("/console/login")
        response = self.post("/console/login", {"name": name, "password": password})
        if secret and response.status_code == 302 and response.location.endswith("/console/login/code"):
            self.get("/console/login/code")
            response = self.post("/console/login/code", {"code": pyotp.TOTP(secret).now()})
        return response

    def text(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:500])
        return response.get_data(as_text=True)


def signed_in(app, name: str, role: str, languages=()) -> Browser:
    secret = add_account(app, name, role, languages)
    browser = Browser(app)
    response = browser.sign_in(name, secret=secret)
    assert response.status_code == 302 and "/login" not in response.location, response.get_data(as_text=True)
    browser.get("/console/draft")  # signing in starts a new session, with a new token
    return browser
