"""Admins: accounts (add, change role, reset, remove) and the audit log.

Rules this module keeps:
- Only admins reach these pages. A new account or a reset gets a one-time password,
  shown once on the page (as `flask hotline user add` prints it), to be changed at the
  first sign-in; a reset also removes the second factor, which is set up again then.
- An admin cannot remove or demote their own account here (the terminal can), so a
  console is never left without an admin by a slip.
- Every change is in the audit log, which admins read here, newest first.
"""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user

from ..state.accounts import ROLES, AccountError
from .blueprint import bp, console
from .catalogue import _, said
from .guard import require, role_word

PAGE = 100


@bp.get("/accounts")
@require("admin")
def users():
    return render_template("console/users.html", title=_("Accounts"), accounts=console().accounts.all(),
                           shown_password=session.pop("shown_password", None))


def _languages() -> list[str]:
    return [code.strip() for code in request.form.get("languages", "").replace(",", " ").split() if code.strip()]


@bp.post("/accounts/add")
@require("admin")
def user_add():
    c = console()
    name, role = request.form.get("name", "").strip().lower(), request.form.get("role", "")
    try:
        account, password = c.accounts.add(name, role, languages=_languages())
    except AccountError as exc:
        session["error"] = said(exc)
    else:
        c.audit.add(current_user.name, "user-add", f"added {account.name} as {account.role}")
        session["shown_password"] = (account.name, password)
    return redirect(url_for("console.users"))


@bp.post("/accounts/<name>/role")
@require("admin")
def user_role(name: str):
    c, role = console(), request.form.get("role", "")
    if name == current_user.name:
        session["error"] = _("You cannot change your own role here. Ask another admin, or use the terminal.")
    elif c.accounts.get(name) is None or role not in ROLES:
        session["error"] = _("There is no such account or role.")
    else:
        c.accounts.set_role(name, role, _languages())
        c.audit.add(current_user.name, "user-role", f"made {name} a {role}")
        session["notice"] = _("%(name)s is now a %(role)s. Their sessions have ended; they sign in again.", name=name,
                              role=role_word(role))
    return redirect(url_for("console.users"))


@bp.post("/accounts/<name>/reset")
@require("admin")
def user_reset(name: str):
    c = console()
    try:
        password = c.accounts.reset(name)
    except AccountError as exc:
        session["error"] = said(exc)
    else:
        c.audit.add(current_user.name, "user-reset", f"reset the password and second factor of {name}")
        session["shown_password"] = (name, password)
    return redirect(url_for("console.users"))


@bp.post("/accounts/<name>/remove")
@require("admin")
def user_remove(name: str):
    c = console()
    if name == current_user.name:
        session["error"] = _("You cannot remove your own account here.")
        return redirect(url_for("console.users"))
    try:
        c.accounts.remove(name)
    except AccountError as exc:
        session["error"] = said(exc)
    else:
        c.audit.add(current_user.name, "user-remove", f"removed {name}")
        session["notice"] = _("%(name)s is removed.", name=name)
    return redirect(url_for("console.users"))


@bp.get("/audit")
@require("admin")
def audit():
    page = max(request.args.get("page", 0, type=int), 0)
    entries = console().audit.recent(PAGE + 1, page * PAGE)
    return render_template("console/audit.html", title=_("Audit log"), entries=entries[:PAGE], page=page,
                           more=len(entries) > PAGE)
