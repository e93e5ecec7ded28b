"""Edit the draft: one sentence in place, or a whole flow file in the YAML editor.

Rules this module keeps:
- Every edit goes to the coordinator's own draft, never to callers; the first edit starts
  the draft from the published revision.
- A translator may change only the sentences of their languages; English (the flow file)
  and whole files need the editor role.
- The YAML editor's live check (`POST /console/check/<file>`, called as the coordinator
  types, debounced) also keeps the text in the draft, so an edit is never lost to a closed
  tab or an expired session. A file that does not parse is kept too: it is a draft, and
  the check says what is wrong, at which line.
- The schema the editor completes from is the one `python -m hotline schema` writes to
  docs/ (made from the same models).
"""

from __future__ import annotations

import json

from flask import abort, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..authoring.schema import json_schema
from ..flow.directory import Directory
from ..flow.model import Flow, Languages
from .blueprint import bp
from .catalogue import _, ngettext, said
from .guard import require
from .sentences import EditError, set_english, set_translation
from .working import save, working

SCHEMAS = {"flows/hotline.yaml": Flow, "flows/languages.yaml": Languages, "flows/services.yaml": Directory}
MAX_FILE = 2 * 1024 * 1024


@bp.post("/node/<node_id>/sentence")
@require("translator")
def sentence(node_id: str):
    version = working(current_user.name)
    if version.flows is None or node_id not in version.flows.flow.nodes:
        abort(404)
    lang = request.form.get("lang", "")
    text = request.form.get("text", "")
    try:
        path = tuple(json.loads(request.form.get("path", "[]")))
        if lang == version.flows.languages.source:
            if not current_user.account.can("editor"):
                abort(403, description=_("Changing the English needs the editor role."))
            files = set_english(version.files, node_id, path, text)
        elif lang in version.flows.languages.languages:
            if not current_user.account.may_translate(lang):
                abort(403, description=_("Your account may not change the %(lang)s catalogue.", lang=lang))
            english = request.form.get("english", "")
            files = set_translation(version.files, lang, english, text)
        else:
            abort(400, description=_("Unknown language."))
    except (EditError, ValueError, KeyError, IndexError, TypeError) as exc:
        session["error"] = said(exc) if isinstance(exc, EditError) else _("That sentence could not be found any more.")
        return redirect(url_for("console.node", node_id=node_id))
    save(current_user.name, version, files)
    session["notice"] = _("Saved to your draft. Callers still hear the published version until you publish.")
    return redirect(url_for("console.node", node_id=node_id) + f"#s-{lang}-{request.form.get('anchor', '')}")


def _flow_file(name: str, version) -> str:
    if name not in version.files or not name.startswith("flows/"):
        abort(404)
    return name


@bp.get("/file/<path:name>")
@require("editor")
def file(name: str):
    version = working(current_user.name)
    name = _flow_file(name, version)
    problems = [p for p in version.report.problems if p.file == name]
    return render_template("console/file.html", title=_("Edit %(name)s", name=name), version=version, name=name,
                           text=version.files[name], problems=problems,
                           files=[n for n in version.files if n.startswith("flows/")],
                           line=request.args.get("line", type=int))


def _save_text(name: str):
    version = working(current_user.name)
    name = _flow_file(name, version)
    text = request.form.get("text")
    if text is None or len(text) > MAX_FILE:
        abort(400, description=_("The file was not sent, or is larger than 2 MB."))
    text = text.replace("\r\n", "\n")
    if text == version.files[name]:
        return version
    return save(current_user.name, version, {**version.files, name: text})


@bp.post("/file/<path:name>")
@require("editor")
def save_file(name: str):
    version = _save_text(name)
    errors = len(version.report.errors)
    session["notice"] = (ngettext("Saved %(name)s to your draft. The check found %(num)d error: fix it before "
                                  "publishing.", "Saved %(name)s to your draft. The check found %(num)d errors: "
                                  "fix them before publishing.", errors, name=name) if errors
                         else _("Saved %(name)s to your draft. It passes the check.", name=name))
    return redirect(url_for("console.file", name=name))


@bp.post("/check/<path:name>")
@require("editor")
def live_check(name: str):
    """The editor's live check: keeps the text in the draft, answers with the problems."""
    version = _save_text(name)
    problems = version.report.problems
    errors, warnings = len(version.report.errors), len(version.report.warnings)
    return jsonify(
        file=[{"line": p.line, "level": p.level, "message": p.message, "said": _problem_line(p)}
              for p in problems if p.file == name],
        elsewhere=[{"file": p.file, "line": p.line, "level": p.level, "message": p.message,
                    "said": _("error: %(file)s:%(line)s: %(message)s", file=p.file, line=p.line, message=p.message)}
                   for p in problems if p.file != name and p.level == "error"],
        errors=errors, warnings=warnings,
        summary=_("The whole draft: %(errors)s, %(warnings)s. Your text is kept in your draft.",
                  errors=ngettext("%(num)d error", "%(num)d errors", errors),
                  warnings=ngettext("%(num)d warning", "%(num)d warnings", warnings)),
    )


def _problem_line(problem) -> str:
    """A problem of the file being edited, as the editor lists it (like file.html does)."""
    if problem.level == "error":
        return _("error: line %(line)s: %(message)s", line=problem.line, message=problem.message)
    return _("warning: line %(line)s: %(message)s", line=problem.line, message=problem.message)


@bp.get("/schema/<path:name>")
@require("editor")
def schema(name: str):
    if name not in SCHEMAS:
        abort(404)
    return jsonify(json_schema(SCHEMAS[name]))
