"""Recordings in the console over HTTP: every sentence a caller hears in Kreyòl listed, a file
checked from its bytes, a recording made in the page converted, kept in the draft, published
with the revision, served under a content name, and the language then offered by voice."""

from __future__ import annotations

import io
import subprocess
import wave
import xml.etree.ElementTree as ET

import imageio_ffmpeg
import pytest

from hotline.authoring.audio_files import MAX_BYTES
from hotline.authoring.recordings import call_texts, file_stem
from hotline.flow.events import text
from hotline.flow.phrases import TROUBLE_VOICE
from hotline.state.limits import LIMIT_VOICE
from hotline.state.recording_blobs import MANIFEST_FILE, RecordingBlobs, read_manifest, with_recording
from hotline.state.revisions import RevisionStore

from .conftest import Twilio
from .consolekit import Browser, add_account, console_app, signed_in

FRAME = bytes([0xFF, 0xFB, 0x90, 0x64]) + bytes(413)  # one MP3 frame, 1152 samples at 44.1 kHz


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x00\x01" * int(seconds * rate))
    return out.getvalue()


@pytest.fixture
def app(redis_client):
    return console_app()


def kreyol(app) -> list[tuple[str, str]]:
    """(words, stem) of every sentence a caller can hear in Kreyòl, as the hotline serves it."""
    bundle = app.extensions["hotline"].published.current()
    found = {}
    for item in call_texts(bundle.flows, "ht"):
        words, _ = bundle.catalogues.render(item, "ht", bundle.flows.variables)
        found.setdefault(file_stem(words), words)
    return [(words, stem) for stem, words in found.items()]


def upload(browser, stem: str, data: bytes, name: str = "sentence.wav", **extra):
    return browser.post(f"/console/recordings/ht/{stem}", {"audio": (io.BytesIO(data), name), **extra},
                        content_type="multipart/form-data")


def test_every_sentence_is_listed_with_whether_it_is_recorded_notices_included(app):
    hilda = signed_in(app, "hilda", "translator", ["ht"])
    assert "/console/recordings/ht" in hilda.text("/console/recordings")
    page = hilda.text("/console/recordings/ht")
    sentences = kreyol(app)
    assert f"0 of {len(sentences)} sentences recorded" in page
    for _, stem in sentences:
        assert f'id="r-{stem}"' in page
    bundle = app.extensions["hotline"].published.current()
    for notice in (TROUBLE_VOICE, LIMIT_VOICE):  # the outage and the limit notices, said outside the flow
        words, spoken = bundle.catalogues.render(text(notice), "ht", bundle.flows.variables)
        assert spoken == "ht" and f'id="r-{file_stem(words)}"' in page and words in page
    assert signed_in(app, "tia", "translator", ["es"]).get("/console/recordings/ht").status_code == 403
    assert hilda.get("/console/recordings/es").status_code == 404, "Twilio speaks Spanish: nothing to record"


@pytest.mark.parametrize("data, name, reason", [
    (b"just some words, not a recording\n" * 20, "sentence.mp3", "is not an MP3 or WAV recording"),
    (FRAME * (MAX_BYTES // len(FRAME) + 2), "sentence.mp3", "a recording can be at most 2.0 MB"),
    (wav(61), "sentence.wav", "a recording can be at most 60 seconds"),
], ids=["renamed-text", "oversized", "overlong"])
def test_what_is_not_a_usable_recording_is_refused_with_the_reason(app, data, name, reason):
    hilda = signed_in(app, "hilda", "translator", ["ht"])
    _, stem = kreyol(app)[0]
    page = hilda.text(upload(hilda, stem, data, name).location)
    assert "Not kept:" in page and reason in page
    assert RevisionStore(app.extensions["hotline"].store.client).draft("hilda") is None, "nothing changed"


def test_a_refused_recording_is_explained_in_spanish_for_an_account_that_chose_spanish(app):
    hilda = signed_in(app, "hilda", "translator", ["ht"])
    hilda.post("/console/account/language", {"language": "es"})
    _, stem = kreyol(app)[0]
    page = hilda.text(upload(hilda, stem, wav(61)).location)
    assert "No se guardó: esta grabación dura 61 segundos; una grabación puede durar como máximo 60 segundos" in page
    assert "Grabación de la frase 1" in page and "Not kept" not in page


def test_an_upload_is_kept_in_the_draft_and_played_back(app):
    hilda = signed_in(app, "hilda", "translator", ["ht"])
    _, stem = kreyol(app)[0]
    sound = wav(1.5)
    kept = upload(hilda, stem, sound)
    assert kept.status_code == 302 and "Recording kept in your draft (2 s)" in hilda.text(kept.location)
    draft = RevisionStore(app.extensions["hotline"].store.client).draft("hilda")
    digest = read_manifest(draft.files)[f"ht/{stem}.wav"]
    assert RecordingBlobs(app.extensions["hotline"].store.client).get(digest) == sound
    page = hilda.text("/console/recordings/ht")
    assert f"/console/recordings/ht/{stem}/play" in page and "1 of" in page
    played = hilda.get(f"/console/recordings/ht/{stem}/play")
    assert played.status_code == 200 and played.data == sound and played.mimetype == "audio/wav"


def test_a_recording_made_in_the_page_is_converted_to_a_telephone_wav(app, tmp_path):
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    (tmp_path / "in.wav").write_bytes(wav(2, rate=48000))
    subprocess.run([ffmpeg, "-nostdin", "-y", "-loglevel", "error", "-i", str(tmp_path / "in.wav"), "-c:a", "libopus",
                    str(tmp_path / "out.webm")], check=True)
    hilda = signed_in(app, "hilda", "translator", ["ht"])
    assert "data-record" in hilda.text("/console/recordings/ht")
    _, stem = kreyol(app)[1]
    upload(hilda, stem, (tmp_path / "out.webm").read_bytes(), "recording", recorded="1")
    draft = RevisionStore(app.extensions["hotline"].store.client).draft("hilda")
    stored = RecordingBlobs(app.extensions["hotline"].store.client).get(read_manifest(draft.files)[f"ht/{stem}.wav"])
    with wave.open(io.BytesIO(stored)) as converted:
        assert (converted.getnchannels(), converted.getframerate()) == (1, 8000)


def test_published_recordings_are_served_and_a_complete_set_offers_the_language_by_voice(app):
    client = app.extensions["hotline"].store.client
    store, blobs = RevisionStore(client), RecordingBlobs(client)
    sentences = kreyol(app)
    secret = add_account(app, "pia", "publisher", ["ht"])
    pia = Browser(app)
    pia.sign_in("pia", secret=secret)
    pia.get("/console/draft")
    published = store.published()
    files, manifest = dict(published.files), {}
    for _, stem in sentences[:-1]:  # recorded earlier, one by one
        files = with_recording(files, manifest, "ht", stem, ".wav", blobs.put(wav(0.5)))
        manifest = read_manifest(files)
    store.save_draft("pia", published.number, files)
    assert "not offered by voice yet" in pia.text("/console/recordings")
    last_words, last_stem = sentences[-1]
    upload(pia, last_stem, wav(1.0))
    assert "callers can choose Kreyòl ayisyen by voice" in pia.text("/console/recordings/ht")
    assert pia.post("/console/publish", {"note": "Kreyòl recorded"}).status_code == 302
    assert MANIFEST_FILE in store.published().files
    twilio = Twilio(app.test_client())
    call = twilio.call()
    call.start()
    call.press("5")
    answer = call.press("4")  # Kreyòl
    plays = [e.text for e in answer.iter("Play")]
    assert plays and all("/audio/ht/" in url for url in plays), ET.tostring(answer, encoding="unicode")
    path = plays[0].split("hotline.example.org", 1)[1]
    served = app.test_client().get(path)
    assert served.status_code == 200 and served.cache_control.max_age == 365 * 86400 and served.cache_control.immutable
    assert served.data in {wav(0.5), wav(1.0)}
    assert client.ttl(f"{{hotline:revisions}}:audio:{read_manifest(store.published().files)[f'ht/{last_stem}.wav']}") \
        == -1, "published: kept as long as the revisions"


def test_a_request_larger_than_the_console_takes_is_refused_plainly(app):
    hilda = signed_in(app, "hilda", "translator", ["ht"])
    _, stem = kreyol(app)[0]
    response = upload(hilda, stem, bytes(4 * 1024 * 1024))
    assert response.status_code == 413 and "at most 3 MB at once, so nothing was changed" in response.get_data(
        as_text=True)
    assert RevisionStore(app.extensions["hotline"].store.client).draft("hilda") is None


def test_without_ffmpeg_recording_in_the_page_says_so_and_uploads_still_work(app, monkeypatch, tmp_path):
    from hotline.console import recording_pages

    monkeypatch.setattr(recording_pages, "ffmpeg_program", lambda: None)  # a server without ffmpeg
    hilda = signed_in(app, "hilda", "translator", ["ht"])
    page = hilda.text("/console/recordings/ht")
    assert "Recording in the page is off: recording in the browser needs ffmpeg" in page and "data-record" not in page
    _, stem = kreyol(app)[0]
    webm = b"\x1a\x45\xdf\xa3" + bytes(200)  # what MediaRecorder sends begins so
    refused = hilda.text(upload(hilda, stem, webm, "recording", recorded="1").location)
    assert "Not kept: recording in the browser needs ffmpeg on the server" in refused
    assert "Recording kept in your draft" in hilda.text(upload(hilda, stem, wav(1)).location)
