"""GET /audio/<lang>/<file>: the recordings Twilio plays for languages it cannot speak.

Rules this module keeps: only files named as hotline/authoring/recordings.py names them, in
a folder of a listed language, are served (no path can climb out of the audio folder). The
files are public prompts, like the words Twilio speaks: no signature is needed to fetch them, and
Twilio may cache them.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory

from ..authoring.recordings import FILE_NAME

bp = Blueprint("audio", __name__)
CACHE_SECONDS = 3600


@bp.get("/audio/<lang>/<name>")
def recording(lang: str, name: str):
    hotline = current_app.extensions["hotline"]
    if lang not in hotline.flows.languages.languages or not FILE_NAME.match(name):
        abort(404)
    return send_from_directory(hotline.config.HOTLINE_AUDIO_DIR, f"{lang}/{name}", max_age=CACHE_SECONDS)
