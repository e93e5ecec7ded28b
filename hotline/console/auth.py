"""Signing in: password, then the second factor (TOTP or a recovery code) for publishers and
admins, setting up TOTP the first time; a first password to choose after a one-time one.

Rules this module keeps:
- Wrong passwords and codes count against the account and the client address alike; a
  locked sign-in is told when it can try again, and is refused even with the right password.
- "Name and password do not match" whether the name exists or not.
- A person is signed in only after every factor their role needs; until then the session
  holds only which account is half-way (`pending`).
- Every sign-in, failure and lock is in the audit log (never the client address).
"""

from __future__ import annotations

import datetime as dt
import math
import urllib.parse

import pyotp
from flask import redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..state.accounts import AccountError
from .blueprint import bp, console
from .catalogue import _, ngettext, said
from .guard import ConsoleUser


def _address() -> str:
    return request.remote_addr or "unknown"


def _locked_message(seconds: int) -> str:
    until = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("Too many wrong attempts. Sign-in is locked: try again in %(num)d minute (at %(time)s UTC).",
                    "Too many wrong attempts. Sign-in is locked: try again in %(num)d minutes (at %(time)s UTC).",
                    minutes, time=f"{until:%H:%M}")


def _safe_next(target: str | None) -> str:
    if target and target.startswith(bp.url_prefix + "/") and not target.startswith("//"):
        return target
    return url_for("console.flow")


@bp.route("/login", methods=["GET", "POST"])
def login():
    c = console()
    notice, error = session.pop("notice", None), None
    if request.method == "POST":
        name = request.form.get("name", "").strip().lower()
        password = request.form.get("password", "")
        wait = c.accounts.locked_for(name, _address())
        account = c.accounts.get(name)
        if wait:
            c.audit.add(name or "(no name)", "login-locked", "sign-in refused while locked")
            error = _locked_message(wait)
        elif not c.accounts.verify_password(account, password):
            c.accounts.failed(name, _address())
            c.audit.add(name or "(no name)", "login-failed", "wrong name or password")
            wait = c.accounts.locked_for(name, _address())
            error = _locked_message(wait) if wait else _("That name and password do not match.")
        else:
            session.clear()
            session["pending"] = account.name
            session["next"] = _safe_next(request.args.get("next"))
            if account.needs_totp:
                return redirect(url_for("console.login_code" if account.totp_secret else "console.enrol"))
            return _signed_in(account)
    return render_template("console/login.html", title=_("Sign in"), notice=notice, error=error), 400 if error else 200


def _pending():
    name = session.get("pending")
    return console().accounts.get(name) if name else None


def _signed_in(account):
    c = console()
    c.accounts.succeeded(account.name, _address())
    target = session.pop("next", None)
    session.pop("pending", None)
    login_user(ConsoleUser(account))
    session.permanent = True
    c.audit.add(account.name, "login", f"signed in as {account.role}")
    return redirect(_safe_next(target))


@bp.route("/login/code", methods=["GET", "POST"])
def login_code():
    c, account = console(), _pending()
    if account is None or not account.totp_secret:
        return redirect(url_for("console.login"))
    error = None
    if request.method == "POST":
        wait = c.accounts.locked_for(account.name, _address())
        if wait:
            error = _locked_message(wait)
        elif c.accounts.verify_code(account, request.form.get("code", "")):
            return _signed_in(account)
        else:
            c.accounts.failed(account.name, _address())
            c.audit.add(account.name, "login-failed", "wrong second-factor code")
            wait = c.accounts.locked_for(account.name, _address())
            error = _locked_message(wait) if wait else (
                _("That code is not right. Type the 6 digits your authenticator app shows now, or one of your "
                  "recovery codes."))
    return render_template("console/code.html", title=_("Second step"), error=error), 400 if error else 200


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol():
    c, account = console(), _pending()
    if account is None or not account.needs_totp or account.totp_secret:
        return redirect(url_for("console.login"))
    secret = session.setdefault("enrol_secret", pyotp.random_base32())
    error = None
    if request.method == "POST":
        wait = c.accounts.locked_for(account.name, _address())
        if wait:
            error = _locked_message(wait)
        elif c.accounts.verify_code(account, request.form.get("code", ""), secret=secret):
            codes = c.accounts.enrol_totp(account.name, session.pop("enrol_secret"))
            c.audit.add(account.name, "totp-enrolled", "set up the second factor")
            response = _signed_in(c.accounts.get(account.name))
            return render_template("console/recovery.html", title=_("Recovery codes"), codes=codes,
                                   next=response.location)
        else:
            c.accounts.failed(account.name, _address())
            error = _("That code is not right. Type the 6 digits the app shows for the hotline console.")
    uri = pyotp.TOTP(secret).provisioning_uri(name=account.name, issuer_name="Hotline console")
    grouped = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return render_template("console/enrol.html", title=_("Set up the second step"), secret=grouped,
                           uri=urllib.parse.unquote(uri), error=error), 400 if error else 200


@bp.post("/logout")
def logout():
    name, notice = current_user.name, _("You are signed out.")  # in their language, before signing out
    logout_user()
    session.clear()
    console().audit.add(name, "logout", "signed out")
    session["notice"] = notice
    return redirect(url_for("console.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    c, error = console(), None
    account = current_user.account
    if request.method == "POST":
        new, again = request.form.get("new", ""), request.form.get("again", "")
        if not c.accounts.verify_password(account, request.form.get("current", "")):
            error = _("Your current password is not right.")
        elif new != again:
            error = _("The two new passwords are not the same.")
        else:
            try:
                c.accounts.change_password(account.name, new)
            except AccountError as exc:
                error = said(exc)
            else:
                c.audit.add(account.name, "password", "changed their password")
                return redirect(url_for("console.flow"))
    return render_template("console/password.html", title=_("Choose a password"), error=error,
                           first=account.must_change), 400 if error else 200
