"""What every console request goes through: sign-in, idle timeout, CSRF, roles, headers.

Rules this module keeps:
- Every page needs a signed-in account, except the sign-in pages and static files.
- A session idle for 30 minutes ends: the next request signs out and says why.
- Every state-changing request (POST) must carry the session's CSRF token (Flask-WTF),
  as a form field `csrf_token` or an `X-CSRFToken` header (htmx and the editor send the
  header); without it: 400, and nothing is changed.
- A page needing a higher role answers 403 with a sentence saying which role it needs.
- A request may be up to `MAX_REQUEST` (a file upload), more than a webhook may.
- Every answer: a Content-Security-Policy allowing scripts only from the console's own
  files (no inline scripts) and styles from them or with this page's nonce (CodeMirror's),
  `X-Frame-Options: DENY`, `Cache-Control: no-store`, no referrer to other sites.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
import time

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask_login import UserMixin, current_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms import ValidationError

from ..state.accounts import ROLES
from .blueprint import IDLE_MINUTES, bp, console
from .catalogue import _, chosen, moment_words, ngettext, said
from .marks import N_
from .nav import NAV, NEEDS_ALERTS

#: Each role as the pages name it, translated when shown (`role_word` in every template).
ROLE_WORDS = dict(zip(ROLES, (N_("viewer"), N_("translator"), N_("editor"), N_("publisher"), N_("admin")),
                      strict=True))

#: The largest request the console takes: a 2 MB recording or catalogue and its form. The
#: webhooks keep the app's own, much smaller limit (HOTLINE_MAX_BODY).
MAX_REQUEST = 3 * 1024 * 1024
OPEN = {"console.login", "console.login_code", "console.enrol", "console.static"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ConsoleUser(UserMixin):
    """A signed-in account, as Flask-Login keeps it: its id carries the session token."""

    def __init__(self, account):
        self.account = account

    def get_id(self) -> str:
        return f"{self.account.name}:{self.account.token}"

    @property
    def name(self) -> str:
        return self.account.name


def load_user(user_id: str):
    name, _colon, token = user_id.partition(":")
    account = console().accounts.get(name)
    if account is None or not secrets.compare_digest(account.token, token):
        return None  # removed, or its password was reset: this session is over
    return ConsoleUser(account)


@bp.before_request
def guard():
    g.csp_nonce = secrets.token_urlsafe(16)
    request.max_content_length = MAX_REQUEST
    if request.method not in SAFE_METHODS:
        try:
            validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
        except (ValidationError, CSRFError):
            abort(400, description=_("This request did not carry the console's security token, so nothing was "
                                     "changed. Reload the page and try again."))
    if request.endpoint in OPEN:
        return None
    now = time.time()
    if current_user.is_authenticated and now - session.get("seen", now) > IDLE_MINUTES * 60:
        notice = ngettext("You were signed out after %(num)d minute without activity.",
                          "You were signed out after %(num)d minutes without activity.", IDLE_MINUTES)
        logout_user()
        session.clear()
        session["notice"] = notice
    if not current_user.is_authenticated:
        if request.headers.get("HX-Request"):
            return "", 401, {"HX-Redirect": url_for("console.login")}
        return redirect(url_for("console.login", next=request.full_path if request.method == "GET" else None))
    session["seen"] = now
    session.permanent = True
    if current_user.account.must_change and request.endpoint not in ("console.password", "console.logout"):
        return redirect(url_for("console.password"))
    return None


def require(role: str):
    """The view needs `role` or a higher one."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.account.can(role):
                abort(403, description=_("This needs the %(role)s role; your account is a %(yours)s. Ask an "
                                         "admin if you need it.", role=role, yours=current_user.account.role))
            return view(*args, **kwargs)
        return wrapper
    return decorate


@bp.after_request
def headers(response):
    nonce = getattr(g, "csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; "
        f"style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.context_processor
def page_context():
    user = current_user if current_user.is_authenticated else None
    alerts_on = "alerts" in current_app.extensions
    nav = [(endpoint, label) for endpoint, label, role in NAV if user and user.account.can(role)
           and (alerts_on or endpoint not in NEEDS_ALERTS)]
    return {"nav": nav, "user": user, "csrf_token": generate_csrf, "csp_nonce": getattr(g, "csp_nonce", ""),
            "roles": ROLES, "role_word": role_word, "said": said, "console_language": chosen()}


def role_word(role: str) -> str:
    return _(ROLE_WORDS[role])


@bp.app_template_filter("utc")
def utc(seconds: float) -> str:
    """A moment in UTC, written the way the coordinator's console language writes dates."""
    return moment_words(dt.datetime.fromtimestamp(seconds, dt.UTC))


@bp.errorhandler(400)
def bad_request(error):
    return render_template("console/error.html", title=_("Request refused"), message=error.description), 400


@bp.errorhandler(403)
def forbidden(error):
    return render_template("console/error.html", title=_("Not allowed"), message=error.description), 403


@bp.errorhandler(409)
def not_yet(error):
    return render_template("console/error.html", title=_("Not possible yet"), message=error.description), 409


@bp.errorhandler(413)
def too_large(error):
    return render_template("console/error.html", title=_("Too large"), message=_(
        "The console takes at most %(megabytes)d MB at once, so nothing was changed. Send a smaller file.",
        megabytes=MAX_REQUEST // 1024 // 1024)), 413


@bp.errorhandler(404)
def not_found(error):
    return render_template("console/error.html", title=_("Not found"),
                           message=_("There is nothing at this address in the console.")), 404


@bp.route("/<path:anything>", methods=["GET", "POST"])
def unknown(anything: str):
    """Any other /console address: signed in, with the console's headers, then "not found"."""
    abort(404)
