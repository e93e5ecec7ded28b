"""Check the draft, publish it, discard it, merge it; the history, its diffs, and rollback.

Rules this module keeps:
- Publishing needs the publisher role, a note, and 0 errors from the check; it names the
  revision the draft started from, so if someone else published meanwhile nothing is
  written and the coordinator is sent to merge (`revisions.Stale`).
- A rollback publishes an old revision's files again as a new revision (checked again,
  since the code may have changed since), with a note saying so.
- After publishing, this process serves the new revision at once; the others within
  HOTLINE_RELOAD_SECONDS (`live`).
- Every publish, rollback and discard goes to the audit log.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..state.recording_blobs import read_manifest
from ..state.revisions import Stale
from .blueprint import bp, console
from .catalogue import _
from .guard import require
from .merge import diff_files, merge
from .working import checked, working

MAX_NOTE = 300


def keep_recordings(files: dict[str, str]) -> None:
    """The recordings a published revision names last as long as it does (not as a draft's)."""
    manifest = read_manifest(files)
    if manifest:
        console().blobs.keep(manifest.values())


@bp.get("/draft")
@require("viewer")
def draft():
    version = working(current_user.name)
    base = console().revisions.get(version.base)
    changes = diff_files(base.files, version.files) if version.is_draft else []
    return render_template("console/draft.html", title=_("Check and publish"), version=version, changes=changes,
                           may_publish=current_user.account.can("publisher"))


def _note() -> str:
    note = " ".join(request.form.get("note", "").split())
    if not note:
        session["error"] = _("Write a short note saying what changed: it is shown in the history.")
    elif len(note) > MAX_NOTE:
        session["error"] = _("Keep the note under %(max)s characters.", max=MAX_NOTE)
        note = ""
    return note


@bp.post("/publish")
@require("publisher")
def publish():
    c, version = console(), working(current_user.name)
    if not version.is_draft:
        session["error"] = _("There is nothing to publish: you have no draft.")
        return redirect(url_for("console.draft"))
    note = _note()
    if not note:
        return redirect(url_for("console.draft"))
    if version.report.errors:
        session["error"] = _("The check found errors. Fix them first: this version would not be served.")
        return redirect(url_for("console.draft"))
    try:
        revision = c.revisions.publish(version.files, current_user.name, note, expected=version.base)
    except Stale:
        return redirect(url_for("console.merge_view"))
    keep_recordings(version.files)
    c.revisions.drop_draft(current_user.name)
    c.live.adopt(revision.number)
    c.audit.add(current_user.name, "publish", f"published revision {revision.number}: {note}")
    session["notice"] = _("Published revision %(number)s. Callers hear it from now on.", number=revision.number)
    return redirect(url_for("console.history"))


@bp.post("/draft/discard")
@require("translator")
def discard():
    c = console()
    if c.revisions.draft(current_user.name):
        c.revisions.drop_draft(current_user.name)
        c.audit.add(current_user.name, "discard", "discarded their draft")
        session["notice"] = _("Your draft is discarded; you see the published version again.")
    return redirect(url_for("console.draft"))


@bp.route("/merge", methods=["GET", "POST"])
@require("translator")
def merge_view():
    c, version = console(), working(current_user.name)
    if not version.stale:
        return redirect(url_for("console.draft"))
    base, theirs = c.revisions.get(version.base), c.revisions.published()
    merged = merge(base.files, version.files, theirs.files, theirs.number)
    if request.method == "POST":
        c.revisions.save_draft(current_user.name, theirs.number, merged.files)
        if merged.conflicts:
            session["error"] = _("Your draft now holds both changes. Where you both changed the same lines, both "
                                 "versions are kept between <<<<<<< and >>>>>>> lines: choose, and delete the others.")
        else:
            session["notice"] = _("Your draft now includes revision %(number)s. Check it and publish.",
                                  number=theirs.number)
        return redirect(url_for("console.draft"))
    return render_template("console/merge.html", title=_("Merge"), version=version, theirs=theirs,
                           their_changes=diff_files(base.files, theirs.files),
                           your_changes=diff_files(base.files, version.files), conflicts=merged.conflicts)


@bp.get("/history")
@require("viewer")
def history():
    c = console()
    revisions = c.revisions.history()
    return render_template("console/history.html", title=_("History"), revisions=revisions,
                           published=c.revisions.published_number(),
                           may_publish=current_user.account.can("publisher"))


@bp.get("/history/diff")
@require("viewer")
def compare():
    c = console()
    a, b = request.args.get("a", type=int), request.args.get("b", type=int)
    old, new = (c.revisions.get(a) if a else None), (c.revisions.get(b) if b else None)
    if old is None or new is None:
        abort(404)
    return render_template("console/diff.html", title=_("Revision %(old)s to %(new)s", old=a, new=b), old=old, new=new,
                           changes=diff_files(old.files, new.files))


@bp.post("/rollback/<int:number>")
@require("publisher")
def rollback(number: int):
    c = console()
    old, current = c.revisions.get(number), c.revisions.published_number()
    if old is None:
        abort(404)
    if checked(old.files).errors:
        session["error"] = _("Revision %(number)s no longer passes the check, so it cannot be published again.",
                             number=number)
        return redirect(url_for("console.history"))
    reason = " ".join(request.form.get("note", "").split())[:MAX_NOTE]
    note = f"Rollback to revision {number}" + (f": {reason}" if reason else "")
    try:
        revision = c.revisions.publish(old.files, current_user.name, note, expected=current, rollback_of=number)
    except Stale:
        session["error"] = _("Someone published while you were looking. Here is the new history: try again.")
        return redirect(url_for("console.history"))
    keep_recordings(old.files)
    c.live.adopt(revision.number)
    c.audit.add(current_user.name, "rollback", f"revision {revision.number} rolls back to revision {number}")
    session["notice"] = _("Revision %(number)s is published again, as revision %(new)s.", number=number,
                          new=revision.number)
    return redirect(url_for("console.history"))
