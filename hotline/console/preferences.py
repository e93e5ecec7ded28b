"""A coordinator's own console language: chosen here, kept with their account.

Any signed-in account may choose; only the languages the console has a catalogue for are
offered (English is always one), and anything else is refused with a sentence saying so.
"""

from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_login import current_user

from .blueprint import bp, console
from .catalogue import _, languages


@bp.route("/account/language", methods=["GET", "POST"])
def console_language():
    offered, error = dict(languages()), None
    if request.method == "POST":
        lang = request.form.get("language", "")
        if lang in offered:
            console().accounts.set_console_language(current_user.name, lang)
            # The notice is in the new language: the account now reads in it.
            current_user.account = console().accounts.get(current_user.name)
            session["notice"] = _("The console is now shown in %(language)s.", language=offered[lang])
            return redirect(url_for("console.console_language"))
        error = _("Choose one of the languages listed.")
    return render_template("console/preferences.html", title=_("Console language"), languages=offered,
                           current=current_user.account.console_language, error=error), 400 if error else 200
