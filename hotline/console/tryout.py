"""Try the hotline as a caller or texter, on the draft or the published version.

The conversation's state is kept under `hotline:console:sim:<account>` for an hour (it is
the coordinator's own typing, never a caller's) and nowhere near the session store: the
simulator never reads or writes a real session, limit, opt-out or figure.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user

from ..live import digest
from . import simulate
from .blueprint import bp, console
from .catalogue import _
from .guard import require
from .working import checked, working

SIM_TTL = 3600


def _key() -> str:
    return f"hotline:console:sim:{current_user.name}"


def _version(which: str):
    if which == "draft":
        version = working(current_user.name)
        return version.files, version.report
    files = console().revisions.published().files
    return files, checked(files)


def _load():
    raw = console().hotline.store.client.get(_key())
    return json.loads(raw) if raw else None


def _keep(state: dict) -> None:
    console().hotline.store.client.set(_key(), json.dumps(state), ex=SIM_TTL)


@bp.get("/try")
@require("viewer")
def tryout():
    state = _load()
    files, report = _version(state["version"] if state else "draft")
    flows = report.flows
    return render_template("console/try.html", title=_("Try"), state=state, report=report, flows=flows,
                           days=simulate.DAYS, zones=simulate.zones(flows) if flows else [],
                           keys=simulate.KEYS, dial_results=simulate.DIAL_RESULTS,
                           has_draft=working(current_user.name).is_draft)


@bp.post("/try/start")
@require("viewer")
def tryout_start():
    form = request.form
    which = "published" if form.get("version") == "published" else "draft"
    files, report = _version(which)
    if report.flows is None:
        session["error"] = _("This version does not load, so it cannot be tried: fix the errors the check lists.")
        return redirect(url_for("console.tryout"))
    flows = report.flows
    lang = form.get("lang") if form.get("lang") in flows.languages.languages else flows.languages.default
    channel = "sms" if form.get("channel") == "sms" else "voice"
    zone = form.get("zone") if form.get("zone") in simulate.zones(flows) else simulate.zones(flows)[0]
    day = form.get("day") if form.get("day") in simulate.DAYS else "Tuesday"
    try:
        when = simulate.moment(day, form.get("time") or "14:00", zone, dt.date.today())
    except ValueError:
        session["error"] = _("Write the time as hours and minutes, like 23:00.")
        return redirect(url_for("console.tryout"))
    state = simulate.start(flows, report.catalogues, channel, lang, when)
    state.update(version=which, digest=digest(files), day=day, time=when.strftime("%H:%M"), zone=zone)
    _keep(state)
    return redirect(url_for("console.tryout") + "#conversation")


@bp.post("/try/send")
@require("viewer")
def tryout_send():
    state, error = _load(), None
    if state is None:
        error = _("Start a call or a text conversation first.")
    else:
        files, report = _version(state["version"])
        if digest(files) != state["digest"] or report.flows is None:
            error = _("This version changed since the conversation started: start again to try the new one.")
        else:
            try:
                simulate.send(report.flows, report.catalogues, state, request.form.get("kind", ""),
                              request.form.get("value", ""))
            except ValueError as exc:
                error = _(str(exc))
            else:
                _keep(state)
    if request.headers.get("HX-Request"):
        return render_template("console/_conversation.html", state=state, error=error,
                               keys=simulate.KEYS, dial_results=simulate.DIAL_RESULTS)
    if error:
        session["error"] = error
    return redirect(url_for("console.tryout") + "#conversation")
