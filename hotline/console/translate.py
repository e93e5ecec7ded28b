"""The translators' pages: every language's coverage, and one language's entries edited,
checked as they are typed, and reviewed.

Rules this module keeps:
- A translator opens only the languages their account lists (`Account.may_translate`);
  any other language answers 403, whatever the address typed. Editors and above open all.
- What is shown and edited is the person's working version (`working`): their draft, else
  the published revision. Every save and every review goes into their draft; callers hear
  it only once it is published, as every edit.
- Statuses, where an entry is heard and its texted size come from `authoring.translating`;
  the live check is `authoring.live_checks`, the same rules as the check; the edits are
  `authoring.catalogue_edit` (a review is a translator comment in the `.po`).
- Keywords entries are a list of words on the page (one field per word) and one
  comma-separated string in the catalogue.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import abort, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..authoring import catalogue_edit
from ..authoring.live_checks import ERROR, check_translation
from ..authoring.translating import SMS, STATUSES, as_texted, language_page
from ..channels.bidi import is_rtl
from ..flow.yamlfile import read_yaml
from .blueprint import bp, console
from .catalogue import _, said
from .guard import require
from .marks import N_
from .sentences import catalogue_name
from .working import FLOW_FILE, Version, save, working

#: The words shown for each status (the page's filter and badges), translated when shown.
STATUS_WORDS = {"missing": N_("missing"), "fuzzy": N_("fuzzy (a guess, not used)"),
                "broken": N_("broken placeholder (not used)"), "draft": N_("draft: needs review by a native speaker"),
                "reviewed": N_("reviewed")}
BLANK_WORDS = 3  # empty fields under a keywords list, for new words


def entry_id(msgid: str, context: str | None) -> str:
    """A stable anchor for an entry (its words can be long and hold any character)."""
    return "e-" + hashlib.sha256(f"{context or ''}\x04{msgid}".encode()).hexdigest()[:10]


@dataclass(frozen=True)
class Opened:
    """A language a person may work on, in their working version."""

    lang: str
    version: Version

    @property
    def flows(self):
        return self.version.flows

    @property
    def po_name(self) -> str:
        return catalogue_name(self.lang)

    @property
    def po_text(self) -> str:
        return self.version.files[self.po_name]

    def flow_doc(self):
        return read_yaml(self.version.files[FLOW_FILE], FLOW_FILE)

    def page(self):
        return language_page(self.flows, self.flow_doc(), catalogue_edit.parse(self.po_text, self.lang), self.lang)


def open_language(lang: str) -> Opened:
    """The language `lang` in the person's working version, or 404/403 with the reason."""
    account = current_user.account
    version = working(current_user.name)
    flows = version.flows
    if flows is None:
        abort(409, description=_("Your draft does not load, so its catalogues cannot be shown: open Check and "
                                 "publish to see what the check found."))
    if lang not in flows.languages.languages or lang == flows.languages.source:
        abort(404)
    if not account.may_translate(lang):
        abort(403, description=_("Your account translates %(mine)s, not %(lang)s. Ask an admin if you need it.",
                                 mine=", ".join(account.languages) or _("none"), lang=lang))
    if catalogue_name(lang) not in version.files:
        abort(409, description=_("There is no catalogue for %(lang)s yet; ask an editor to add the language.",
                                 lang=lang))
    return Opened(lang, version)


@bp.get("/languages")
@require("translator")
def languages():
    account = current_user.account
    version = working(current_user.name)
    rows = [row for row in version.report.coverage if account.may_translate(row.lang)]
    return render_template("console/languages.html", title=_("Languages"), version=version, rows=rows,
                           may_add=account.can("editor"))


@bp.get("/language/<lang>")
@require("translator")
def language(lang: str):
    opened = open_language(lang)
    page = opened.page()
    status = request.args.get("status") if request.args.get("status") in STATUSES else ""
    nodes = sorted({node for entry in page.entries for node in entry.nodes})
    node = request.args.get("node") if request.args.get("node") in nodes else ""
    return render_template(
        "console/language.html", title=f"{page.name} ({lang})", version=opened.version, page=page,
        lang=lang, entries=page.filtered(status or None, node or None), status=status, node=node, nodes=nodes,
        statuses=STATUSES, status_words=STATUS_WORDS, entry_id=entry_id, blank_words=BLANK_WORDS,
        rtl=is_rtl(lang), held=lang in opened.flows.held,
        findings={e.key: check_translation(opened.flows, lang, e.msgid, e.context, e.translation, e.sms is not None)
                  for e in page.entries if e.translation},
    )


def _typed_entry(opened: Opened) -> tuple[str, str | None, str, bool]:
    """The posted entry (msgid, context), its translation as typed, and whether it is texted;
    400 for an entry the hotline no longer uses."""
    msgid = request.form.get("msgid", "")
    context = request.form.get("context") or None
    if request.form.get("keywords"):
        translation = catalogue_edit.keyword_text(request.form.getlist("word"))
    else:
        translation = " ".join(request.form.get("translation", "").split("\n")).strip()
    found = next((e for e in opened.page().entries if e.key == (msgid, context)), None)
    if found is None:
        abort(400, description=_("This entry is not one the hotline uses any more; reload the page."))
    return msgid, context, translation, any(SMS in h.channels for h in found.heard) and not found.is_keywords


def _back(lang: str, msgid: str, context: str | None):
    # The node filter stays; the status one does not, or the entry just fixed would vanish.
    args = {"node": request.form["node"]} if request.form.get("node") else {}
    return redirect(url_for("console.language", lang=lang, **args) + "#" + entry_id(msgid, context))


@bp.post("/language/<lang>/check")
@require("translator")
def language_check(lang: str):
    """The live check as a translation is typed (htmx): the findings, and the texted size."""
    opened = open_language(lang)
    msgid, context, translation, texted = _typed_entry(opened)
    return render_template("console/_findings.html", lang=lang, findings=check_translation(
        opened.flows, lang, msgid, context, translation, texted),
        size=as_texted(opened.flows, lang, translation or msgid) if texted else None)


@bp.post("/language/<lang>/entry")
@require("translator")
def language_save(lang: str):
    opened = open_language(lang)
    msgid, context, translation, texted = _typed_entry(opened)
    try:
        po = catalogue_edit.set_translation(opened.po_text, lang, msgid, context, translation)
    except catalogue_edit.EditRefused as exc:
        session["error"] = _("Not saved: %(reason)s.", reason=said(exc.args[0]))
        return _back(lang, msgid, context)
    if po != opened.po_text:
        save(current_user.name, opened.version, {**opened.version.files, opened.po_name: po})
    errors = [f.message for f in check_translation(opened.flows, lang, msgid, context, translation, texted)
              if f.level == ERROR]
    if errors:
        session["error"] = _("Saved to your draft, but the check will refuse it: %(errors)s.", errors="; ".join(errors))
    else:
        session["notice"] = _("Saved to your draft, marked as needing review by a native speaker. Callers hear "
                              "it once it is published.")
    return _back(lang, msgid, context)


@bp.post("/language/<lang>/review")
@require("translator")
def language_review(lang: str):
    opened = open_language(lang)
    msgid, context = request.form.get("msgid", ""), request.form.get("context") or None
    today = console().hotline.clock().date()
    try:
        po = catalogue_edit.mark_reviewed(opened.po_text, lang, msgid, context, current_user.name, today)
    except catalogue_edit.EditRefused as exc:
        session["error"] = _("Not marked as reviewed: %(reason)s.", reason=said(exc.args[0]))
        return _back(lang, msgid, context)
    save(current_user.name, opened.version, {**opened.version.files, opened.po_name: po})
    session["notice"] = _("Marked as reviewed by %(name)s on %(day)s, in your draft.", name=current_user.name,
                          day=today.isoformat())
    return _back(lang, msgid, context)
