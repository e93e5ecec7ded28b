"""Drug-supply alerts in the console (publishers and admins): the list with the subscriber
figures, composing with a slot per language, asking for approval, approving, following the
progress live, cancelling.

Rules this module keeps:
- Everything goes through `outbound.desk`, as `flask hotline alerts` does, so the console
  and the terminal keep the same rules; here the author and the approver are the
  signed-in accounts, so the composer can never approve their own alert.
- Nothing here shows a number, encrypted or not: subscribers are counts, and a count
  under the small-cell limit (HOTLINE_SMALL_CELLS, as for the usage figures) is "fewer than 10".
- A form that cannot be read (a time) is shown again as typed, with the reason; nothing
  typed is lost. Refusals from the desk are shown in its own sentences.
- Every change (new, save, ask for approval, approve, cancel) goes to the audit log.
- The console's own words (states, counts, notices) are in the coordinator's console
  language, and so are the desk's refusals and an alert's problems (`Sentence`s).
- The page follows a sending by polling its progress (htmx, every 2 s) while it can change;
  its counts are shown as `outbound.progress` allows (a sending that counted a suppressed
  cell shows its size as a range and hides what adds up to it).
"""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..outbound import broadcasts as bc
from ..outbound import desk
from . import alert_form
from .blueprint import bp, console
from .catalogue import _, said
from .guard import require
from .marks import N_

POLL_AFTER_FINISH = 15 * 60  # seconds a finished alert's page keeps polling: status callbacks still come
#: An alert's state as the pages word it, translated when shown.
STATES = {bc.DRAFT: N_("a draft"), bc.AWAITING: N_("waiting for a second publisher's approval"),
          bc.SCHEDULED: N_("approved, waiting for its time"), bc.SENDING: N_("being sent"), bc.SENT: N_("sent"),
          bc.CANCELLED: N_("cancelled")}


def alerts_box():
    box = current_app.extensions.get("alerts")
    if box is None:
        abort(409, description=_("Alerts are off on this hotline. Whoever runs the server can switch them on with "
                                 "HOTLINE_ALERTS=on and HOTLINE_ALERTS_KEY (docs/alerts.md)."))
    return box


def _reasons(refused: desk.Refused) -> str:
    """The desk's refusal in the coordinator's language."""
    return " ".join(said(reason) for reason in refused.reasons)


def _found(box, broadcast_id: str) -> bc.Broadcast:
    try:
        return desk.find(box, broadcast_id)
    except desk.Refused:
        abort(404)


@bp.get("/alerts")
@require("publisher")
def alerts():
    box = alerts_box()
    flows, plan = box.flows(), box.plan()
    languages = flows.languages.languages
    figures, limit = desk.subscriber_figures(box), desk.small_cells(box)
    areas = [(area_id, area.name) for area_id, area in (plan.areas.items() if plan else ())]
    if any(area == "*" for area, _ in figures):
        areas.append(("*", _("No area (they get every alert)")))
    grid = [(name, [_cell(figures, (area_id, lang), limit) for lang in languages]) for area_id, name in areas]
    return render_template("console/alerts.html", title=_("Alerts"), recent=box.broadcasts.recent(),
                           states=STATES, languages=languages, grid=grid, plan=plan, local=alert_form.local_time,
                           limit=limit)


def _cell(figures: dict, pair: tuple[str, str], limit: int) -> str:
    """One subscriber figure as shown: a suppressed one (None) as "fewer than 10"."""
    if pair not in figures:
        return "0"
    n = figures[pair]
    return _("fewer than %(n)s", n=limit) if n is None else str(n)


@bp.get("/alerts/new")
@require("publisher")
def alert_new():
    box = alerts_box()
    return _page(box, bc.Broadcast(id="", english="", author=current_user.name))


def _page(box, broadcast: bc.Broadcast, status: int = 200, typed_at: str | None = None, error: str | None = None):
    plan = box.plan()
    editable = broadcast.state == bc.DRAFT
    found = [said(p) for p in desk.problems(box, broadcast)] if broadcast.english or broadcast.id else []
    send_at = typed_at if typed_at is not None else (
        alert_form.local_time(broadcast.send_at, plan).replace(" ", "T") if broadcast.send_at else "")
    return render_template(
        "console/alert.html", title=_("Alert %(id)s", id=broadcast.id) if broadcast.id else _("A new alert"),
        b=broadcast,
        slots=alert_form.slots(box, broadcast), problems=found, plan=plan, editable=editable,
        source=box.flows().languages.source, send_at=send_at, states=STATES, error=error,
        two_person=box.config.HOTLINE_ALERTS_TWO_PERSON == "on", mine=_is_author(broadcast),
        cancellable=broadcast.state in desk.CANCELLABLE and broadcast.id, local=alert_form.local_time,
        progress=desk.progress(box, broadcast.id) if broadcast.id and not editable else None,
        polling=_polling(box, broadcast), labels=LABELS, goes_at=_goes_at(box, broadcast),
        words=alert_form.count_words,
        area_names=[plan.name(a) if plan else a for a in broadcast.areas]), status


def _goes_at(box, broadcast: bc.Broadcast) -> str | None:
    """When an approved alert will go, if it has to wait (its time, or the end of quiet hours)."""
    if broadcast.state != bc.SCHEDULED:
        return None
    now = box.now()
    held = box.held_until(broadcast, now)
    if held is None:
        return None
    at, zone = alert_form.local_time(int(held.timestamp()), box.plan()), box.plan().timezone
    if broadcast.send_at > now.timestamp():
        return _("%(time)s (%(zone)s)", time=at, zone=zone)
    return _("%(time)s (%(zone)s), when quiet hours end", time=at, zone=zone)


def _is_author(broadcast: bc.Broadcast) -> bool:
    return broadcast.author.casefold() == current_user.name.casefold()


def _polling(box, broadcast: bc.Broadcast) -> bool:
    if broadcast.state in (bc.AWAITING, bc.SCHEDULED, bc.SENDING):
        return True
    ended = broadcast.finished or broadcast.started
    return broadcast.state == bc.SENT and box.now().timestamp() - ended < POLL_AFTER_FINISH


@bp.get("/alerts/<broadcast_id>")
@require("publisher")
def alert(broadcast_id: str):
    box = alerts_box()
    return _page(box, _found(box, broadcast_id))


def _typed(box) -> tuple[dict, str | None]:
    """The form's fields, and why its time cannot be read (then the fields say "as soon as approved")."""
    flows = box.flows()
    languages, source = flows.languages.languages, flows.languages.source
    try:
        return alert_form.read(request.form, languages, source, box.plan(), box.now()), None
    except alert_form.Unreadable as unreadable:
        form = request.form.copy()
        form["when"] = "now"
        return alert_form.read(form, languages, source, box.plan(), box.now()), str(unreadable)


@bp.post("/alerts/save")
@require("publisher")
def alert_save():
    """Save a new alert or a draft; with `then=submit`, also ask for it to be sent."""
    box, c, name = alerts_box(), console(), current_user.name
    broadcast_id = request.form.get("id", "")
    base = _found(box, broadcast_id) if broadcast_id else None
    fields, unreadable = _typed(box)
    if unreadable:
        shown = alert_form.draft(fields, base or bc.Broadcast(id="", english="", author=name))
        return _page(box, shown, 400, typed_at=request.form.get("send_at", ""), error=unreadable)
    try:
        if base is None:
            saved = desk.new(box, name, **fields)
            c.audit.add(name, "alert-new", f"wrote alert {saved.id}")
        else:
            saved = desk.edit(box, base.id, **{**fields, "english": fields["english"].strip()})
            c.audit.add(name, "alert-save", f"changed alert {saved.id}")
    except desk.Refused as refused:
        session["error"] = _reasons(refused)
        return redirect(url_for("console.alert", broadcast_id=broadcast_id) if base else url_for("console.alerts"))
    if request.form.get("then") == "submit":
        return _submit(box, saved.id)
    session["notice"] = _("Saved as a draft. Nothing is sent until it is approved.")
    return redirect(url_for("console.alert", broadcast_id=saved.id))


def _submit(box, broadcast_id: str):
    name = current_user.name
    try:
        moved = desk.submit(box, broadcast_id, name)
    except desk.Refused as refused:
        session["error"] = _("It was saved, but it cannot go yet: %(reasons)s", reasons=_reasons(refused))
    else:
        console().audit.add(name, "alert-submit", f"asked for alert {broadcast_id} to be sent")
        session["notice"] = (_("Saved. It now waits for a second publisher's approval: ask one to open this page.")
                             if moved.state == bc.AWAITING else _("Saved and approved: it is sent at its time."))
    return redirect(url_for("console.alert", broadcast_id=broadcast_id))


@bp.post("/alerts/measure")
@require("publisher")
def alert_measure():
    """What is being typed, measured (htmx): each language's segments and cost, and the problems."""
    box = alerts_box()
    fields, when_problem = _typed(box)
    broadcast = alert_form.draft(fields, None)
    found = [said(p) for p in desk.problems(box, broadcast)] + ([when_problem] if when_problem else [])
    return render_template("console/_alert_measure.html", slots=alert_form.slots(box, broadcast), problems=found)


@bp.post("/alerts/<broadcast_id>/approve")
@require("publisher")
def alert_approve(broadcast_id: str):
    return _decide(broadcast_id, lambda box, name: desk.approve(box, broadcast_id, name), "alert-approve",
                   "approved", N_("Approved: it is sent at its time (after quiet hours, unless it is urgent)."))


@bp.post("/alerts/<broadcast_id>/cancel")
@require("publisher")
def alert_cancel(broadcast_id: str):
    return _decide(broadcast_id, lambda box, name: desk.cancel(box, broadcast_id), "alert-cancel", "cancelled",
                   N_("Cancelled: nothing more is sent."))


def _decide(broadcast_id: str, act, kind: str, done: str, notice: str):
    """Do `act` to an alert as the signed-in publisher; back to its page with the desk's refusal,
    or with `notice` (marked English, shown translated) and the change in the audit log."""
    name = current_user.name
    try:
        act(alerts_box(), name)
    except desk.Refused as refused:
        session["error"] = _reasons(refused)
    else:
        console().audit.add(name, kind, f"{done} alert {broadcast_id}")
        session["notice"] = _(notice)
    return redirect(url_for("console.alert", broadcast_id=broadcast_id))


#: The progress counts, in order, as the page names them (translated when shown).
LABELS = {"total": N_("Subscribers it is for"), "queued": N_("Queued (handed to Twilio)"), "sent": N_("Sent"),
          "delivered": N_("Delivered"), "undelivered": N_("Undelivered"), "failed": N_("Failed"),
          "opted_out": N_("Not sent: sent STOP since it was written"),
          "unsubscribed": N_("Not sent: unsubscribed at the carrier (21610)"),
          "not_mobile": N_("Not sent: not a mobile number (21614)"), "gone": N_("Not sent: left alerts"),
          "error": N_("Not sent: an error")}


@bp.get("/alerts/<broadcast_id>/progress")
@require("publisher")
def alert_progress(broadcast_id: str):
    """The progress region alone, for the page to poll."""
    box = alerts_box()
    broadcast = _found(box, broadcast_id)
    return render_template("console/_alert_progress.html", b=broadcast, progress=desk.progress(box, broadcast_id),
                           polling=_polling(box, broadcast), states=STATES, labels=LABELS, plan=box.plan(),
                           local=alert_form.local_time, goes_at=_goes_at(box, broadcast),
                           words=alert_form.count_words)
