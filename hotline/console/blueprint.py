"""The console's blueprint and what its views share: `console()`, the collaborators kept in
`app.extensions["console"]` (the hotline being served, the revisions, accounts and audit
log, all in the hotline's Redis), and the session cookie opened only on console paths.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app
from flask.sessions import SecureCookieSessionInterface

from ..state.accounts import Accounts
from ..state.audit import AuditLog
from ..state.recording_blobs import RecordingBlobs
from ..state.revisions import RevisionStore

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
    blobs: RecordingBlobs  # the recordings drafts and revisions name, by content


def console() -> Console:
    return current_app.extensions["console"]


class ConsoleSessions(SecureCookieSessionInterface):
    """The signed session cookie, opened only for /console: other routes get a null session."""

    def open_session(self, app, request):
        if not request.path.startswith(bp.url_prefix):
            return self.make_null_session(app)
        return super().open_session(app, request)
