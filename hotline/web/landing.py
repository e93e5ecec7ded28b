"""GET /: one line saying what this server is, for whoever opens its address in a browser.

Callers never see it (they reach the hotline by phone); it tells the person who deployed it
that the server is up and where to look next, instead of a bare 404.
"""

from __future__ import annotations

from flask import Blueprint, current_app
from markupsafe import escape

bp = Blueprint("landing", __name__)


@bp.get("/")
def landing():
    name = current_app.extensions["hotline"].flows.settings.programme_name
    line = (f"{escape(name)}: this server answers the hotline's calls and texts for Twilio "
            f"(webhooks under /twilio/, see the README). Health: <a href=\"/healthz\">/healthz</a>.")
    page = f'<!doctype html><html lang="en"><title>{escape(name)}</title><p>{line}</p></html>\n'
    return page, 200, {"Content-Type": "text/html; charset=utf-8"}
