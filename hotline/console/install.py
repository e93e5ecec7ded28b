"""`install`: the console wired into the app.

The session cookie is only opened on console paths (`blueprint.ConsoleSessions`), and
Flask-Login is attached without its app-wide hooks, so a webhook request runs no console
code. The route modules are imported here, each adding its views to the blueprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask_login import LoginManager

from ..state.accounts import Accounts
from ..state.audit import AuditLog
from ..state.recording_blobs import RecordingBlobs
from ..state.revisions import RevisionStore
from . import (  # noqa: F401 - they add their routes to bp
    admin,
    alert_pages,
    auth,
    edit,
    guard,
    po_files,
    preferences,
    publish,
    recording_pages,
    report_pages,
    review,
    see,
    services,
    translate,
    tryout,
    usage,
)
from .blueprint import IDLE_MINUTES, Console, ConsoleSessions, bp
from .catalogue import install_words


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
    manager.user_loader(guard.load_user)
    # Not `init_app`: it would add an after-request hook to every route, webhooks included.
    app.login_manager = manager
    app.extensions["console"] = Console(
        hotline, live, RevisionStore(client), Accounts(client, config.secret), AuditLog(client),
        (config.HOTLINE_AUDIO_DIR, config.audio_url), RecordingBlobs(client),
    )
    install_words(app)
    app.register_blueprint(bp)
