"""The console's blueprint, and `install`, which wires it into the app.

The console keeps its collaborators in `app.extensions["console"]` (a `Console`): the
hotline being served, the revisions, accounts and audit log (all in the hotline's Redis).
The session cookie is only opened on console paths (`ConsoleSessions`), and Flask-Login
is attached without its app-wide hooks, so a webhook request runs no console code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from flask import Blueprint, current_app
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager

from ..accounts import Accounts
from ..audit import AuditLog
from ..revisions import RevisionStore

bp = Blueprint("console", __name__, url_prefix="/console", template_folder="templates",
               static_folder="static")
IDLE_MINUTES = 30


@dataclass
class Console:
    hotline: object  # hotline.service.Hotline
    live: object  # hotline.live.LiveRevisions
    revisions: RevisionStore
    accounts: Accounts
    audit: AuditLog
    audio: tuple[str, str]


def console() -> Console:
    return current_app.extensions["console"]


class ConsoleSessions(SecureCookieSessionInterface):
    """The signed session cookie, opened only for /console: other routes get a null session."""

    def open_session(self, app, request):
        if not request.path.startswith(bp.url_prefix):
            return self.make_null_session(app)
        return super().open_session(app, request)


def install(app, hotline, live) -> None:
    config = hotline.config
    client = hotline.store.client
    # The cookie key is derived from HOTLINE_SECRET, so there is no second secret to manage.
    app.secret_key = hmac.new(config.secret.encode(), b"hotline console session", hashlib.sha256).hexdigest()
    app.session_interface = ConsoleSessions()
    app.config.update(
        SESSION_COOKIE_NAME="hotline_console",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not config.development,
        SESSION_COOKIE_PATH=bp.url_prefix,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=IDLE_MINUTES),
        # The token lives as long as the signed-in session (which ends after 30 idle
        # minutes): a page left open while editing never fails with an expired token.
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=not config.development,
    )
    manager = LoginManager()
    manager.login_view = "console.login"
    manager.login_message = None
    manager.session_protection = None  # the 30-minute idle timeout and session tokens do this job
    from .guard import load_user

    manager.user_loader(load_user)
    # Not `init_app`: it would add an after-request hook to every route, webhooks included.
    app.login_manager = manager
    app.extensions["console"] = Console(
        hotline, live, RevisionStore(client), Accounts(client, config.secret), AuditLog(client),
        (config.HOTLINE_AUDIO_DIR, config.audio_url),
    )
    from . import admin, auth, edit, guard, publish, see, tryout  # noqa: F401 - they add their routes to bp

    app.register_blueprint(bp)
