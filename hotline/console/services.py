"""The service directory in the console: the list, one service's form, and "try it".

Rules this module keeps:
- The list and "try it" show the person's working version (draft, else published) at the
  hotline's own clock, worded as callers hear it (`authoring.services_view`); nothing about
  any caller is read. "Try it" is a POST, so the ZIP code typed is in no address or log.
- The form is read and judged by `authoring.service_form` (phone numbers normalised, hours
  read as typed, offers and languages from the known ones); refused, each reason is shown at
  its field and nothing is saved. Accepted, the entry is written in place into the draft's
  `services.yaml`, and the check's own problems about it are then shown at their fields.
- Viewers see every page; changing a service needs the editor role.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..authoring import service_form
from ..authoring.services_view import CannotTry, home_zone, moment, service_rows, week_preview, who_answers
from ..flow.directory import DAYS, OFFERS
from ..flow.yamlfile import YamlError, read_yaml
from .blueprint import bp, console
from .catalogue import _, said
from .guard import require
from .marks import N_
from .working import checked, save, working

SERVICES_FILE = "flows/services.yaml"
#: The form's day names (posted as written here), shown translated.
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
TEXT_FIELDS = ("id", "name", "phone", "timezone", "closed_on", "address", "zip", "serves", "radius_miles",
               "verified_on", "verified_by", "source", *(f"hours_{day}" for day in DAYS))


def _loaded():
    version = working(current_user.name)
    if version.flows is None:
        abort(409, description=_("Your draft does not load, so its directory cannot be shown: open Check and "
                                 "publish to see what the check found."))
    return version


def _languages(version):
    """The hotline's languages: the draft's, or the published ones while the draft does not load."""
    flows = version.flows or checked(console().revisions.published().files).flows
    return flows.languages.languages


def _entry(version, service_id: str) -> dict | None:
    try:
        data = read_yaml(version.files[SERVICES_FILE], SERVICES_FILE).data
    except YamlError:
        abort(409, description=_("services.yaml does not read as YAML in your draft: fix it in the file editor."))
    entry = ((data or {}).get("services") or {}).get(service_id) if isinstance(data, dict) else None
    return entry if isinstance(entry, dict) else None


@bp.get("/services")
@require("viewer")
def services():
    version = _loaded()
    now = console().hotline.clock()
    return render_template("console/services.html", title=_("Services"), version=version,
                           rows=service_rows(version.flows, version.report.catalogues, now),
                           limit=version.flows.settings.verify_services_days,
                           may_edit=current_user.account.can("editor"))


def _listed(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [w.strip() for w in str(value or "").split(",")
                                                                     if w.strip()]


def _values(service_id: str, entry: dict) -> dict:
    """The form's fields for a service as `services.yaml` has it (even if it does not load)."""
    values = {name: str(entry.get(name) or "") for name in
              ("name", "phone", "timezone", "address", "zip", "radius_miles", "verified_on", "verified_by", "source")}
    hours = entry.get("hours")
    always = isinstance(hours, str) and hours.strip().lower() in ("always", "24/7")
    week = hours if isinstance(hours, dict) else {}
    values.update(id=service_id, closed_on=", ".join(_listed(entry.get("closed_on"))),
                  serves=", ".join(_listed(entry.get("serves"))), offers=_listed(entry.get("offers")),
                  languages=_listed(entry.get("languages")), always=always, national=bool(entry.get("national")),
                  **{f"hours_{day}": str(week.get(day) or "closed") for day in DAYS})
    return values


def _form(version, service_id: str | None, values: dict, errors: dict, preview, status: int = 200):
    return render_template(
        "console/service.html", title=values.get("name") or _("A new service"), version=version,
        service_id=service_id, values=values, errors=errors, preview=preview, offers=OFFERS, days=DAYS,
        weekdays=WEEKDAYS, languages=_languages(version),
        may_edit=current_user.account.can("editor")), status


@bp.get("/service/<service_id>")
@require("viewer")
def service(service_id: str):
    version = working(current_user.name)
    entry = _entry(version, service_id)
    if entry is None:
        abort(404)
    values = _values(service_id, entry)
    errors = {name: "; ".join(messages) for name, messages in service_form.field_problems(
        version.report.errors, version.files[SERVICES_FILE], service_id).items()}
    preview = service_form.read_form(values, tuple(_languages(version)), console().hotline.clock().date()).preview
    return _form(version, service_id, values, errors, preview)


@bp.get("/services/new")
@require("editor")
def service_new():
    version = _loaded()
    today = console().hotline.clock().date().isoformat()
    values = {"timezone": home_zone(version.flows), "verified_on": today, "offers": [], "languages": [],
              **{f"hours_{day}": "closed" for day in DAYS}}
    return _form(version, None, values, {}, week_preview({}))


@bp.post("/service/<service_id>")
@bp.post("/services/new", defaults={"service_id": None})
@require("editor")
def service_save(service_id: str | None):
    version = working(current_user.name)
    if service_id is not None and _entry(version, service_id) is None:
        abort(404)
    form = {name: request.form.get(name, "") for name in TEXT_FIELDS}
    form.update(offers=request.form.getlist("offers"), languages=request.form.getlist("languages"),
                always=bool(request.form.get("always")), national=bool(request.form.get("national")))
    today = console().hotline.clock().date()
    result = service_form.read_form(form, tuple(_languages(version)), today)
    new_id = result.service_id
    if result.accepted and new_id != service_id and _entry(version, new_id) is not None:
        result.errors["id"] = _("there is already a service '%(id)s': choose another id", id=new_id)
    if not result.accepted:
        session["error"] = _("Nothing was saved: fix what is said at each field.")
        return _form(version, service_id, form, {k: said(v) for k, v in result.errors.items()}, result.preview, 400)
    text = service_form.put_service(version.files[SERVICES_FILE], new_id, result.data, replaces=service_id)
    version = save(current_user.name, version, {**version.files, SERVICES_FILE: text})
    problems = service_form.field_problems(version.report.errors, text, new_id)
    if problems:
        session["error"] = _("Saved to your draft, but the check found errors in it: fix them before publishing.")
        return _form(version, new_id, form, {k: "; ".join(v) for k, v in problems.items()}, result.preview, 400)
    session["notice"] = _("Saved %(name)s to your draft. Callers are sent by the published directory until you "
                          "publish.", name=result.data["name"])
    return redirect(url_for("console.service", service_id=new_id))


@bp.post("/services/preview")
@require("editor")
def service_preview():
    """The week as typed so far (htmx, while the hours are typed): the preview and each day's problem."""
    form = {name: request.form.get(name, "") for name in TEXT_FIELDS}
    form["always"] = bool(request.form.get("always"))
    result = service_form.read_form(form, (), console().hotline.clock().date())
    lines = [_("%(day)s: %(problem)s", day=_(WEEKDAYS[i]), problem=said(result.errors[f"hours_{day}"]))
             if f"hours_{day}" in result.errors else line
             for i, (day, line) in enumerate(zip(DAYS, result.preview, strict=True))]
    return render_template("console/_week.html", preview=lines)


@bp.route("/services/try", methods=["GET", "POST"])
@require("viewer")
def services_try():
    version = _loaded()
    flows = version.flows
    form = request.form
    chosen = {"zip": form.get("zip", "").strip()[:10], "day": form.get("day", "Saturday"),
              "time": form.get("time", "23:00").strip(), "lang": form.get("lang", flows.languages.default)}
    answers, error = [], None
    if request.method == "POST":
        if chosen["day"] not in WEEKDAYS or chosen["lang"] not in flows.languages.languages:
            abort(400, description=_("Choose a day and a language from the lists."))
        try:
            when = moment(WEEKDAYS.index(chosen["day"]), chosen["time"], home_zone(flows),
                          console().hotline.clock().date())
        except ValueError:
            error = _("Write the time as hours and minutes, like 23:00.")
        else:
            try:
                answers = [who_answers(flows, version.report.catalogues, chosen["zip"], when, chosen["lang"], channel)
                           for channel in ("voice", "sms")]
            except CannotTry as exc:
                error = _("This cannot be tried: %(reason)s.", reason=exc)
            day, moment_typed = chosen["day"], when.strftime("%Y-%m-%d %H:%M")
            chosen["when"] = _("%(day)s %(moment)s (%(zone)s)", day=_(day), moment=moment_typed, zone=home_zone(flows))
    return render_template("console/services_try.html", title=_("Try the directory"), version=version, chosen=chosen,
                           answers=answers, error=error, weekdays=WEEKDAYS, languages=flows.languages.languages)
