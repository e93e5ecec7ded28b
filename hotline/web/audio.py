"""GET /audio/<lang>/<file>: the recordings Twilio plays for languages it cannot speak.

Rules this module keeps: only recordings the published bundle knows (named as
hotline/authoring/recordings.py names them), in a folder of a listed language, are served (no
path can climb out of the audio folder). The files are public prompts, like the words Twilio
speaks: no signature is needed to fetch them. The name Twilio is given carries a hash of the
file's content, so it can be cached for a year and never goes stale (a new recording gets a
new name); a file asked for by its plain name is cached for an hour only.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("audio", __name__)
CACHE_SECONDS = 3600
FOREVER_SECONDS = 365 * 86400


@bp.get("/audio/<lang>/<name>")
def recording(lang: str, name: str):
    hotline = current_app.extensions["hotline"]
    bundle = hotline.published.current()
    recordings = bundle.recordings
    if lang not in bundle.flows.languages.languages or recordings is None or recordings.directory is None:
        abort(404)
    found = recordings.file_for(lang, name)
    if found is None:
        abort(404)
    file, named_by_content = found
    response = send_from_directory(recordings.directory, f"{lang}/{file}",
                                   max_age=FOREVER_SECONDS if named_by_content else CACHE_SECONDS)
    if named_by_content:
        response.cache_control.immutable = True
    return response
