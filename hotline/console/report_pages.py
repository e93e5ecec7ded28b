"""The bad-batch reports texters sent (REPORT ..., OD ...), for publishers and admins to read
and delete.

Rules this module keeps:
- A report is shown as it is kept: its words (any number typed in them was removed before
  they were kept), its time in the programme's time zone, and the area of the texter's
  subscription if they had one. There is no number, nor anything that leads to one.
- Deleting one is a POST with the console's token, and goes to the audit log (its time
  and area, never its words).
"""

from __future__ import annotations

from flask import redirect, render_template, session, url_for
from flask_login import current_user

from . import alert_form
from .alert_pages import alerts_box
from .blueprint import bp, console
from .catalogue import _
from .guard import require


@bp.get("/alerts/reports")
@require("publisher")
def alert_reports():
    box = alerts_box()
    plan = box.plan()
    rows = [(r.id, alert_form.local_time(r.at, plan), plan.name(r.area) if r.area and plan else "", r.text)
            for r in box.reports.recent(box.now().timestamp())]
    return render_template("console/alert_reports.html", title=_("Bad-batch reports"), rows=rows,
                           zone=plan.timezone if plan else "UTC")


@bp.post("/alerts/reports/<report_id>/delete")
@require("publisher")
def alert_report_delete(report_id: str):
    box = alerts_box()
    kept = {r.id: r for r in box.reports.recent(box.now().timestamp())}
    report = kept.get(report_id)
    if report is None or not box.reports.delete(report_id):
        session["error"] = _("That report is no longer kept (deleted, or older than 90 days): nothing was changed.")
    else:
        where = box.plan().name(report.area) if report.area and box.plan() else "no area"
        console().audit.add(current_user.name, "report-delete",
                            f"deleted the report of {alert_form.local_time(report.at, box.plan())} ({where})")
        session["notice"] = _("The report is deleted.")
    return redirect(url_for("console.alert_reports"))
