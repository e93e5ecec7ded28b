"""Recordings from coordinators: checked from the file itself, named by content, served for a year,
kept in Redis by content so every machine gets them, and a language on by voice once complete."""

from __future__ import annotations

import hashlib
import io
import subprocess
import wave

import imageio_ffmpeg
import pytest

from hotline import create_app
from hotline.authoring.audio_files import (
    FFMPEG_MISSING,
    MAX_BYTES,
    AudioRefused,
    check_audio,
    convert_browser_recording,
    save_recording,
)
from hotline.authoring.checks import run_check
from hotline.authoring.recordings import Recordings, file_stem, with_recordings
from hotline.state.recording_blobs import DRAFT_TTL, RecordingBlobs, blob_key

from .conftest import FIXTURE, SETTINGS

#: One MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz): 1152 samples, 417 bytes. mutagen reads the
#: format and length from frames like these, as from any MP3.
FRAME = bytes([0xFF, 0xFB, 0x90, 0x64]) + bytes(413)
FRAME_SECONDS = 1152 / 44100


def mp3(seconds: float) -> bytes:
    return FRAME * round(seconds / FRAME_SECONDS)


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(bytes(int(2 * rate * seconds)))
    return out.getvalue()


def test_real_mp3_and_wav_are_accepted_with_their_length():
    song = check_audio(mp3(4))
    assert song.suffix == ".mp3" and song.seconds == pytest.approx(4, abs=0.05)
    spoken = check_audio(wav(2.5))
    assert spoken.suffix == ".wav" and spoken.seconds == pytest.approx(2.5)


@pytest.mark.parametrize(("data", "reason"), [
    (b"Pou Kreyol, peze 4.\n" * 50, "not an MP3 or WAV recording (whatever its name says)"),
    (b"", "the file is empty"),
    (mp3(61), "61 seconds long; a recording can be at most 60 seconds"),
    (wav(30, rate=48000), "the file is 2.7 MB; a recording can be at most 2.0 MB"),
    (b"\x1a\x45\xdf\xa3" + bytes(200), "this is a WebM recording, which phones cannot play"),
    (wav(0), "has no sound in it"),
])
def test_what_is_not_a_usable_recording_is_refused_with_the_reason(data, reason):
    with pytest.raises(AudioRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_audio(data)
    assert len(mp3(60)) < MAX_BYTES and check_audio(mp3(60)).seconds <= 60


def test_a_browser_recording_without_ffmpeg_says_so_and_an_upload_still_works():
    webm = b"\x1a\x45\xdf\xa3" + bytes(200)
    with pytest.raises(AudioRefused) as refused:
        convert_browser_recording(webm, ffmpeg="no-such-ffmpeg-here")
    assert str(refused.value) == FFMPEG_MISSING and "apt-get install ffmpeg" in FFMPEG_MISSING
    assert convert_browser_recording(wav(1), ffmpeg="no-such-ffmpeg-here").suffix == ".wav", "already playable"


def browser_recording(ffmpeg: str, source: bytes, tmp_path, container: str) -> bytes:
    """What MediaRecorder makes (Opus in WebM or Ogg), made here from a WAV by ffmpeg."""
    (tmp_path / "in.wav").write_bytes(source)
    target = tmp_path / f"out.{container}"
    subprocess.run([ffmpeg, "-nostdin", "-y", "-loglevel", "error", "-i", str(tmp_path / "in.wav"), "-c:a", "libopus",
                    str(target)], check=True, timeout=60)
    return target.read_bytes()


@pytest.mark.parametrize("container", ["webm", "ogg"])
def test_a_browser_recording_is_converted_to_a_telephone_wav(tmp_path, container):
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    recorded = browser_recording(ffmpeg, wav(3, rate=48000), tmp_path, container)
    converted = convert_browser_recording(recorded, ffmpeg=ffmpeg)
    assert converted.suffix == ".wav" and converted.seconds == pytest.approx(3, abs=0.1)
    with wave.open(io.BytesIO(converted.data)) as sound:
        assert (sound.getnchannels(), sound.getframerate(), sound.getsampwidth()) == (1, 8000, 2)
    too_long = browser_recording(ffmpeg, wav(70, rate=8000), tmp_path, container)
    with pytest.raises(AudioRefused, match="at most 60 seconds"):
        convert_browser_recording(too_long, ffmpeg=ffmpeg)
    with pytest.raises(AudioRefused, match="could not be read"):
        convert_browser_recording(recorded[:4] + b"cut off", ffmpeg=ffmpeg)


def test_a_recording_is_named_by_its_content_and_a_new_one_replaces_it(tmp_path):
    stem = file_stem("Liy lan okipe.")
    first = save_recording(tmp_path, "ht", stem, check_audio(wav(1)))
    recordings = Recordings(tmp_path, "/audio")
    url = recordings.url("ht", "Liy lan okipe.")
    assert url == f"/audio/ht/{first.name}" and first.name.startswith(stem + "-")
    second = save_recording(tmp_path, "ht", stem, check_audio(wav(2)))
    assert not first.exists() and [p.name for p in (tmp_path / "ht").iterdir()] == [second.name]
    assert Recordings(tmp_path, "/audio").url("ht", "Liy lan okipe.") != url, "new content, new name"


def test_published_recordings_are_served_with_long_cache_headers(redis_client, tmp_path):
    words = "Liy lan okipe."
    saved = save_recording(tmp_path, "ht", file_stem(words), check_audio(wav(1)))
    client = create_app({**SETTINGS, "HOTLINE_AUDIO_DIR": str(tmp_path)}).test_client()
    answer = client.get(f"/audio/ht/{saved.name}")
    assert answer.status_code == 200 and answer.data == saved.read_bytes() and answer.mimetype == "audio/x-wav"
    assert answer.cache_control.max_age == 365 * 86400 and answer.cache_control.immutable
    stale = f"/audio/ht/{file_stem(words)}-00000000.wav"
    assert client.get(stale).status_code == 404, "a name whose content has gone is not served"


def test_recordings_are_kept_in_redis_by_content_and_reach_another_machine(redis_client, tmp_path):
    blobs = RecordingBlobs(redis_client)
    sound = wav(1)
    digest = blobs.put(sound)
    assert digest == hashlib.sha256(sound).hexdigest() and blobs.get(digest) == sound
    assert 0 < redis_client.ttl(blob_key(digest)) <= DRAFT_TTL, "only in a draft: it expires like one"
    blobs.keep([digest])
    assert redis_client.ttl(blob_key(digest)) == -1, "named by a published revision: kept"
    blobs.put(sound)
    assert redis_client.ttl(blob_key(digest)) == -1, "storing it again does not make it expire"
    stem = file_stem("Liy lan okipe.")
    machine = tmp_path / "other-machine"
    (machine / "ht").mkdir(parents=True)
    (machine / "ht" / "aaaaaaaaaaaa.mp3").write_bytes(b"old")  # no longer in the revision
    lost = blobs.materialise({f"ht/{stem}.wav": digest, "ht/bbbbbbbbbbbb.mp3": "0" * 64}, machine)
    assert lost == ["ht/bbbbbbbbbbbb.mp3"]
    assert (machine / "ht" / f"{stem}.wav").read_bytes() == sound
    assert not (machine / "ht" / "aaaaaaaaaaaa.mp3").exists()
    assert Recordings(machine).url("ht", "Liy lan okipe.") is not None


def test_once_every_sentence_is_recorded_the_language_is_on_by_voice(tmp_path):
    report = run_check(FIXTURE / "flows", FIXTURE / "locales", Recordings(tmp_path))
    assert report.flows.recorded == frozenset() and not report.flows.can_speak("ht")
    sentences = Recordings(tmp_path).sentences(report.flows, report.catalogues, "ht")
    assert sentences and all(s.translated and not s.recorded for s in sentences)
    for sentence in sentences[:-1]:
        save_recording(tmp_path, "ht", sentence.stem, check_audio(wav(0.5)))
    partial = Recordings(tmp_path)
    assert [s.words for s in partial.sentences(report.flows, report.catalogues, "ht") if not s.recorded] == [
        sentences[-1].words]
    assert with_recordings(report.flows, report.catalogues, partial).recorded == frozenset()
    save_recording(tmp_path, "ht", sentences[-1].stem, check_audio(mp3(1)))
    complete = run_check(FIXTURE / "flows", FIXTURE / "locales", Recordings(tmp_path))
    assert complete.flows.recorded == {"ht"} and complete.flows.can_speak("ht")
