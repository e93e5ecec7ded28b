"""Recordings for languages Twilio cannot speak: where they live and which are missing.

Rules this module keeps:
- One file per sentence a caller can hear, in `<audio dir>/<lang>/<name>.mp3` (or `.wav`),
  where `<name>` is the first 12 hex digits of the SHA-256 of the exact words said: the
  translation with its numbers filled in. A changed translation or number needs a new
  recording, and the old file simply stops being used: a caller never hears stale words.
- The folder is read once at start-up; `missing` lists what a coordinator still has to
  record (file name and words), for the coordinators' check.
- A language without a voice can be chosen on a call only when every sentence is
  translated and recorded (`recorded_languages`); half a set would leave gaps mid-call.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from ..flow.loader import Problem
from ..flow.model import FlowSet
from ..flow.prompts import voice_texts

SUFFIXES = (".mp3", ".wav")
FILE_NAME = re.compile(r"^[0-9a-f]{12}\.(mp3|wav)$")


def file_stem(words: str) -> str:
    """The name (without suffix) of the recording of exactly these words."""
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:12]


class Recordings:
    """The recordings found at start-up, and the URL Twilio fetches each one from."""

    def __init__(self, directory: str | Path | None, base_url: str = "/audio"):
        self.base_url = base_url.rstrip("/")
        self.files: dict[tuple[str, str], str] = {}  # (lang, stem) -> file name
        root = Path(directory) if directory else None
        if root is not None and root.is_dir():
            for path in sorted(root.glob("*/*")):
                if FILE_NAME.match(path.name) and path.is_file():
                    self.files.setdefault((path.parent.name, path.stem), path.name)

    def url(self, lang: str, words: str) -> str | None:
        name = self.files.get((lang, file_stem(words)))
        return f"{self.base_url}/{lang}/{name}" if name else None

    def missing(self, flows: FlowSet, catalogues, lang: str) -> list[tuple[str, str]]:
        """(file to make, words to record) for every call sentence of `lang` without a recording.

        A sentence not yet translated is listed as `untranslated` instead of a file name.
        """
        out = []
        for item in voice_texts(flows, lang):
            words, spoken = catalogues.render(item, lang, flows.variables)
            if spoken != lang:
                out.append(("untranslated", words))
            elif (lang, file_stem(words)) not in self.files:
                out.append((f"{lang}/{file_stem(words)}.mp3", words))
        return out

    def recorded_languages(self, flows: FlowSet, catalogues) -> frozenset[str]:
        """Languages without a voice that a call can be held in: everything recorded."""
        return frozenset(
            code for code, language in flows.languages.languages.items()
            if language.voice is None and not self.missing(flows, catalogues, code)
        )


def with_recordings(flows: FlowSet, catalogues, recordings: Recordings) -> FlowSet:
    """The flows, told which voiceless languages calls can now be held in."""
    return dataclasses.replace(flows, recorded=recordings.recorded_languages(flows, catalogues))


def check_recordings(flows: FlowSet, catalogues, recordings: Recordings, lang_doc) -> list[Problem]:
    """A warning per language without a voice whose recordings are not all there yet."""
    problems = []
    for code, language in flows.languages.languages.items():
        if language.voice is not None:
            continue
        missing = recordings.missing(flows, catalogues, code)
        if missing:
            total = len(voice_texts(flows, code))
            problems.append(Problem(lang_doc.file, lang_doc.line_of(("languages", code)), (
                f"{code}: {len(missing)} of {total} call sentences have no recording yet, so callers are told "
                f"to text {language.keywords[0]} instead; list them with: python -m hotline recordings {code}"
            ), "warning"))
    return problems
