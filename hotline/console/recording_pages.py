"""Recordings for languages Twilio cannot speak: every sentence a caller can hear, recorded or
not, uploaded or recorded in the page, and played back.

Rules this module keeps:
- The sentences are those of `authoring.recordings.call_texts` (the conversation and the
  notices said outside it: the safe answer, the limit notice), rendered in the working
  version; a recording belongs to the exact words it says (their stem).
- A file is judged from its bytes (`authoring.audio_files.check_audio`): MP3 or WAV, at most
  2 MB and 60 s. A recording made in the page (MediaRecorder: WebM or Ogg) is converted on
  the server by ffmpeg; without ffmpeg the page says so and uploads keep working.
- An accepted recording is stored in Redis by its content (`RecordingBlobs`) and named in
  the draft's manifest (`audio/recordings.json`), so it is published with the revision and
  reaches every machine with it. A draft without a manifest starts one from the recordings
  in the audio folder, so none of them is lost.
- A translator works on the languages their account lists, as on the language pages.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from flask import Response, abort, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from ..authoring.audio_files import (
    MAX_BYTES,
    MAX_SECONDS,
    AudioRefused,
    check_audio,
    convert_browser_recording,
)
from ..authoring.recordings import FILE_NAME, call_texts, file_stem
from ..state.recording_blobs import read_manifest, with_recording
from .blueprint import bp, console
from .catalogue import _, said
from .guard import require
from .working import save, working

TYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav"}


def ffmpeg_program() -> str | None:
    """ffmpeg on the server: the system's, else the one imageio-ffmpeg ships (a dev requirement)."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError:
        return None


def _disk_manifest() -> dict[str, Path]:
    """The recordings in the audio folder: manifest name -> file."""
    root = Path(console().audio[0])
    found = {}
    for path in sorted(root.glob("*/*")) if root.is_dir() else ():
        match = FILE_NAME.match(path.name)
        if match and path.is_file():
            found[f"{path.parent.name}/{match['stem']}{path.suffix}"] = path
    return found


def _manifest(files: dict[str, str]) -> dict[str, str]:
    manifest = read_manifest(files)
    if manifest is not None:
        return manifest
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in _disk_manifest().items()}


def _voiceless(version, lang: str):
    flows = version.flows
    if flows is None:
        abort(409, description=_("Your draft does not load: open Check and publish to see what the check found."))
    language = flows.languages.languages.get(lang)
    if language is None or language.voice is not None:
        abort(404)
    if not current_user.account.may_translate(lang):
        abort(403, description=_("Your account may not record %(lang)s. Ask an admin if you need it.", lang=lang))
    return flows


def _draft_of(lang: str):
    """The signed-in translator's working version, for recording `lang` (see `_voiceless`), and
    the recordings it names."""
    version = working(current_user.name)
    _voiceless(version, lang)
    return version, _manifest(version.files)


def _recorded_name(manifest: dict[str, str], lang: str, stem: str) -> str | None:
    """The manifest's file of sentence `stem` in `lang` (`ht/<stem>.mp3` or `.wav`), if recorded."""
    return next((n for n in manifest if n.rsplit(".", 1)[0] == f"{lang}/{stem}"), None)


def _sentences(version, lang: str, manifest: dict[str, str]) -> list[dict]:
    flows, catalogues = version.flows, version.report.catalogues
    out, seen = [], set()
    for item in call_texts(flows, lang):
        words, spoken = catalogues.render(item, lang, flows.variables)
        stem = file_stem(words)
        if stem in seen:
            continue
        seen.add(stem)
        out.append({"words": words, "stem": stem, "translated": spoken == lang,
                    "file": _recorded_name(manifest, lang, stem)})
    return out


@bp.get("/recordings")
@require("translator")
def recordings():
    version = working(current_user.name)
    flows = version.flows
    languages = [] if flows is None else [
        (code, language.name, code in flows.recorded) for code, language in flows.languages.languages.items()
        if language.voice is None and current_user.account.may_translate(code)]
    return render_template("console/recordings.html", title=_("Recordings"), version=version, languages=languages)


@bp.get("/recordings/<lang>")
@require("translator")
def recordings_of(lang: str):
    version = working(current_user.name)
    flows = _voiceless(version, lang)
    sentences = _sentences(version, lang, _manifest(version.files))
    return render_template(
        "console/recordings_of.html", title=_("Recordings: %(name)s", name=flows.languages.languages[lang].name),
        version=version, lang=lang, name=flows.languages.languages[lang].name, sentences=sentences,
        recorded=sum(1 for s in sentences if s["file"]), on_by_voice=lang in flows.recorded,
        can_record=ffmpeg_program() is not None, max_mb=MAX_BYTES // 1024 // 1024,
        max_seconds=MAX_SECONDS)


@bp.get("/recordings/<lang>/<stem>/play")
@require("translator")
def recording_play(lang: str, stem: str):
    version, manifest = _draft_of(lang)
    name = _recorded_name(manifest, lang, stem)
    if name is None:
        abort(404)
    data = console().blobs.get(manifest[name])
    if data is None and read_manifest(version.files) is None:
        data = _disk_manifest()[name].read_bytes()
    if data is None:
        abort(404)
    return Response(data, mimetype=TYPES[Path(name).suffix])


def _back(lang: str, stem: str):
    """To the sentence on the page; the page's own script (a recording made in the page) is told
    where to go instead of being redirected, so the notice is left for that page to show."""
    where = url_for("console.recordings_of", lang=lang) + f"#r-{stem}"
    return jsonify(location=where) if request.headers.get("X-Recording") else redirect(where)


@bp.post("/recordings/<lang>/<stem>")
@require("translator")
def recording_upload(lang: str, stem: str):
    version, manifest = _draft_of(lang)
    sentence = next((s for s in _sentences(version, lang, manifest) if s["stem"] == stem), None)
    if sentence is None or not sentence["translated"]:
        abort(400, description=_("This sentence is not one callers hear in this language (any more); reload the "
                                 "page."))
    back = _back(lang, stem)
    sent = request.files.get("audio")
    if sent is None:
        session["error"] = _("Choose a recording to upload first.")
        return back
    data = sent.stream.read(MAX_BYTES + 1)
    try:
        if request.form.get("recorded"):  # made in the page: converted, or "needs ffmpeg" said
            audio = convert_browser_recording(data, ffmpeg=ffmpeg_program())
        else:
            audio = check_audio(data)
    except AudioRefused as exc:
        session["error"] = _("Not kept: %(reason)s.", reason=said(exc.args[0]))
        return back
    blobs = console().blobs
    if read_manifest(version.files) is None:  # the first recording of the console: keep the folder's too
        for path in _disk_manifest().values():
            blobs.put(path.read_bytes())
    digest = blobs.put(audio.data)
    save(current_user.name, version, with_recording(version.files, manifest, lang, stem, audio.suffix, digest))
    session["notice"] = _("Recording kept in your draft (%(seconds)s s). Callers hear it once the draft is "
                          "published.", seconds=f"{audio.seconds:.0f}")
    return back
