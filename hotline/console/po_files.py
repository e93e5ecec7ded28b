"""A language's `.po` file downloaded and uploaded, and a new language added.

Rules this module keeps:
- The download is the catalogue of the person's working version, as it is: reviews are in
  it as translator comments, so they survive a round trip through Poedit or Weblate.
- An upload is checked by `authoring.po_upload` before anything changes (strict syntax, the
  `Language` header, every placeholder). Refused, it says why, line by line, and the draft
  is not touched. Accepted, its changes go into the person's draft and the page shows them
  as a diff (before and after), with the check's warnings.
- A new language is picked from Babel's list and proposed a voice and speech language from
  Twilio's list (`authoring.new_language`); creating it (editor role) writes its block in
  `languages.yaml` and an empty catalogue into the draft. It is off for callers and texters
  until its catalogue is complete (`checks/held.py`).
"""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..authoring import new_language
from ..authoring.checks.translations import needed_messages
from ..authoring.po_upload import MAX_UPLOAD, export_name, read_upload
from .blueprint import bp, console
from .catalogue import _, said
from .guard import require
from .sentences import POT, catalogue_name
from .translate import open_language
from .working import save, working

LANGUAGES_FILE = "flows/languages.yaml"
MAX_CHOICES = 40


@bp.get("/language/<lang>/po")
@require("translator")
def language_po(lang: str):
    opened = open_language(lang)
    return Response(opened.po_text.encode("utf-8"), mimetype="text/x-gettext-translation",
                    headers={"Content-Disposition": f'attachment; filename="{export_name(lang)}"'})


@bp.post("/language/<lang>/po")
@require("translator")
def language_upload(lang: str):
    opened = open_language(lang)
    sent = request.files.get("po")
    if sent is None or not sent.filename:
        session["error"] = _("Choose a .po file to upload first.")
        return redirect(url_for("console.language", lang=lang))
    data = sent.stream.read(MAX_UPLOAD + 1)
    name = sent.filename.replace("\\", "/").rsplit("/", 1)[-1][:80]
    upload = read_upload(data, lang, opened.po_text, opened.flows, needed_messages(opened.flow_doc()), name)
    if upload.accepted and upload.changes:
        save(current_user.name, opened.version, {**opened.version.files, opened.po_name: upload.po_text})
        console().audit.add(current_user.name, "po-upload", f"uploaded {len(upload.changes)} {lang} entries")
    status = 200 if upload.accepted else 400
    return render_template("console/upload.html", title=_("Upload for %(lang)s", lang=lang),
                           version=working(current_user.name), lang=lang, upload=upload, name=name), status


@bp.route("/languages/new", methods=["GET", "POST"])
@require("editor")
def language_new():
    version = working(current_user.name)
    if version.flows is None:
        abort(409, description=_("Your draft does not load: fix what the check found before adding a language."))
    existing = tuple(version.flows.languages.languages)
    code = (request.form.get("code") or request.args.get("code") or "").strip()
    search = request.args.get("q", "")
    proposal, refused = None, None
    if code:
        try:
            proposal = new_language.propose(code, existing)
        except new_language.NotALanguage as exc:
            refused = said(exc.args[0])
    if request.method == "POST" and proposal is not None:
        try:
            languages_yaml, po = new_language.add_language(
                version.files[LANGUAGES_FILE], version.files[POT], proposal, console().hotline.clock())
        except new_language.NotALanguage as exc:
            refused = said(exc.args[0])
        else:
            save(current_user.name, version, {**version.files, LANGUAGES_FILE: languages_yaml,
                                              catalogue_name(proposal.code): po})
            session["notice"] = _("%(name)s is added to your draft, with an empty catalogue. It stays off for "
                                  "callers and texters until every entry is translated.", name=proposal.english)
            return redirect(url_for("console.language", lang=proposal.code))
    choices = new_language.language_choices(existing, search)[:MAX_CHOICES] if search or not code else []
    return render_template("console/language_new.html", title=_("Add a language"), version=version, search=search,
                           choices=choices, proposal=proposal, refused=refused,
                           summary=said(proposal.summary()) if proposal else ""), 400 if refused else 200
