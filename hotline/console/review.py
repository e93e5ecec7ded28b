"""Other people's drafts, for a publisher: see what a translator or editor changed, and publish it.

Rules this module keeps:
- A translator or editor cannot publish; their draft waits under their name. A publisher sees
  every other account's draft here, with the check and a diff against the revision it started
  from, and publishes it with a note, exactly as their own (0 errors, the draft's base still
  the published revision, else the author merges first). Publishing sends every file of that
  draft; the draft is then gone, as one's own is after publishing.
- The revision's author is the publisher; the note says whose draft it was, and so does the
  audit log.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..state.revisions import Stale
from .blueprint import bp, console
from .catalogue import _
from .guard import require
from .merge import diff_files
from .publish import MAX_NOTE, keep_recordings
from .working import checked


def _others():
    c = console()
    names = [name for name in c.accounts.names() if name != current_user.name]
    return c.revisions.drafts(names)


@bp.get("/drafts")
@require("publisher")
def drafts():
    waiting = [(draft, len(checked(draft.files).errors)) for draft in _others()]
    return render_template("console/drafts.html", title=_("Drafts"), waiting=waiting,
                           published=console().revisions.published_number())


def _draft_of(user: str):
    if user == current_user.name:
        abort(404)
    found = console().revisions.draft(user)
    if found is None:
        abort(404)
    return found


@bp.get("/drafts/<user>")
@require("publisher")
def draft_of(user: str):
    c, draft = console(), _draft_of(user)
    base = c.revisions.get(draft.base)
    return render_template("console/draft_of.html", title=_("Draft of %(user)s", user=user), draft=draft,
                           report=checked(draft.files), changes=diff_files(base.files if base else {}, draft.files),
                           published=c.revisions.published_number())


@bp.post("/drafts/<user>/publish")
@require("publisher")
def publish_draft_of(user: str):
    c, draft = console(), _draft_of(user)
    back = redirect(url_for("console.draft_of", user=user))
    note = " ".join(request.form.get("note", "").split())[:MAX_NOTE]
    if not note:
        session["error"] = _("Write a short note saying what changed: it is shown in the history.")
        return back
    if checked(draft.files).errors:
        session["error"] = _("The check found errors in this draft. Its author fixes them first.")
        return back
    try:
        revision = c.revisions.publish(draft.files, current_user.name, f"{note} (draft of {user})",
                                       expected=draft.base)
    except Stale:
        session["error"] = _("Another revision was published after %(user)s started this draft: they open Check "
                             "and publish and merge it first, so nobody's work is overwritten.", user=user)
        return back
    keep_recordings(draft.files)
    c.revisions.drop_draft(user)
    c.live.adopt(revision.number)
    c.audit.add(current_user.name, "publish", f"published revision {revision.number} from {user}'s draft: {note}")
    session["notice"] = _("Published %(user)s's draft as revision %(number)s. Callers hear it from now on.",
                          user=user, number=revision.number)
    return redirect(url_for("console.history"))
