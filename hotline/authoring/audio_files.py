"""Recordings as they arrive from a coordinator: checked from the file itself, or converted.

Rules this module keeps:
- What a file is comes from its bytes, never its name: `mutagen` reads the format and the
  length from the audio itself (an MP3's frames, a WAV's header). A renamed text file, an
  MP3 that is not one, a file over `MAX_BYTES` or longer than `MAX_SECONDS` is refused
  with the reason, in words a coordinator can act on.
- Twilio's `<Play>` takes MP3 and WAV, so those are stored as they come. A recording made in
  the browser (MediaRecorder gives WebM or Ogg, with Opus) is converted on the server by
  `ffmpeg` into a telephone WAV (mono, 8 kHz, 16-bit: a minute is under 1 MB). Without
  `ffmpeg` on the server that one feature says so plainly; uploads keep working.
- A stored recording's name carries a hash of its content (`content_name`), so when a
  recording is replaced its URL changes and no cache, Twilio's included, plays the old one.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mutagen
from mutagen.mp3 import MP3
from mutagen.wave import WAVE

from ..sentence import Sentence

MAX_BYTES = 2 * 1024 * 1024
MAX_SECONDS = 60
#: The first bytes of what a browser's MediaRecorder makes: WebM (Matroska) and Ogg.
BROWSER_FORMATS = {b"\x1a\x45\xdf\xa3": "WebM", b"OggS": "Ogg"}
CONVERT_SECONDS = 30
FFMPEG_MISSING = Sentence("recording in the browser needs ffmpeg on the server to turn the recording into a file "
                          "phones can play (Debian: apt-get install ffmpeg); until then, record on a phone or "
                          "computer and upload the MP3 or WAV file")


class AudioRefused(ValueError):
    """The file cannot be used as a recording; the message says why."""


@dataclass(frozen=True)
class Audio:
    data: bytes
    suffix: str  # ".mp3" or ".wav"
    seconds: float

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def content_name(stem: str, data: bytes, suffix: str) -> str:
    """`<sentence stem>-<first 8 hex digits of the content's SHA-256><suffix>`."""
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}{suffix}"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_audio(data: bytes) -> Audio:
    """The recording in `data` if it is a real MP3 or WAV within the limits; else `AudioRefused`."""
    if not data:
        raise AudioRefused(Sentence("the file is empty"))
    if len(data) > MAX_BYTES:
        raise AudioRefused(Sentence("the file is %(size)s; a recording can be at most %(max)s (a minute of speech as "
                                    "MP3 is well under 1 MB)", size=_mb(len(data)), max=_mb(MAX_BYTES)))
    if data[:4] in BROWSER_FORMATS:
        raise AudioRefused(Sentence("this is a %(format)s recording, which phones cannot play: upload an MP3 or WAV "
                                    "file (recordings made in the page are converted for you)",
                                    format=BROWSER_FORMATS[data[:4]]))
    try:
        found = mutagen.File(io.BytesIO(data))
    except (mutagen.MutagenError, ValueError, EOFError, OverflowError):
        found = None
    if isinstance(found, MP3):
        suffix = ".mp3"
    elif isinstance(found, WAVE):
        suffix = ".wav"
    else:
        raise AudioRefused(Sentence("this file is not an MP3 or WAV recording (whatever its name says): export the "
                                    "recording as MP3 or WAV and upload that"))
    seconds = float(found.info.length or 0)
    if seconds <= 0:
        raise AudioRefused(Sentence("this recording has no sound in it (its length is 0 seconds)"))
    if seconds > MAX_SECONDS:
        raise AudioRefused(Sentence("this recording is %(seconds)s seconds long; a recording can be at most %(max)s "
                                    "seconds: say just the one sentence", seconds=f"{seconds:.0f}", max=MAX_SECONDS))
    return Audio(data, suffix, seconds)


def can_convert(ffmpeg: str | None = "ffmpeg") -> bool:
    return bool(ffmpeg and shutil.which(ffmpeg))


def convert_browser_recording(data: bytes, ffmpeg: str | None = "ffmpeg") -> Audio:
    """A MediaRecorder recording (WebM or Ogg) as a telephone WAV, checked like an upload."""
    if data[:4] not in BROWSER_FORMATS:
        return check_audio(data)  # some browsers record straight to a format phones play
    if len(data) > MAX_BYTES:
        raise AudioRefused(Sentence("the recording is %(size)s; at most %(max)s can be sent", size=_mb(len(data)),
                                    max=_mb(MAX_BYTES)))
    program = shutil.which(ffmpeg) if ffmpeg else None
    if program is None:
        raise AudioRefused(FFMPEG_MISSING)
    with tempfile.TemporaryDirectory(prefix="hotline-recording-") as folder:
        source, target = Path(folder) / "in", Path(folder) / "out.wav"
        source.write_bytes(data)
        try:
            subprocess.run(
                [program, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(source), "-t",
                 str(MAX_SECONDS + 1), "-ac", "1", "-ar", "8000", "-sample_fmt", "s16", "-f", "wav", str(target)],
                check=True, capture_output=True, timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            raise AudioRefused(Sentence("the recording took too long to convert; try a shorter one")) from None
        except subprocess.CalledProcessError:
            raise AudioRefused(Sentence("the recording could not be read (was it cut off?); record it again")) from None
        return check_audio(target.read_bytes())


def save_recording(directory: str | Path, lang: str, stem: str, audio: Audio) -> Path:
    """Write `audio` as the recording of sentence `stem` in `<directory>/<lang>/`, named by its
    content, and remove the sentence's older recordings (they would only be stale)."""
    folder = Path(directory) / lang
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / content_name(stem, audio.data, audio.suffix)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(audio.data)
    partial.replace(target)  # whole or not at all: a reload never reads half a file
    for other in folder.glob(f"{stem}*"):
        if other != target and other.suffix in (".mp3", ".wav"):
            other.unlink(missing_ok=True)
    return target
