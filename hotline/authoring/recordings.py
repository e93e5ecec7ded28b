"""Recordings for languages Twilio cannot speak: where they live and which are missing.

Rules this module keeps:
- One file per sentence a caller can hear, in `<audio dir>/<lang>/<name>.mp3` (or `.wav`),
  where `<name>` is the first 12 hex digits of the SHA-256 of the exact words said: the
  translation with its numbers filled in. A changed translation or number needs a new
  recording, and the old file simply stops being used: a caller never hears stale words.
  A file may also be named `<name>-<8 hex digits>.mp3`, as the console stores them (the
  digits are its content's hash, `audio_files.content_name`).
- Twilio is given a URL whose name also carries the hash of the file's content
  (`<name>-<content hash>.mp3`, worked out when the folder is read), so a re-recorded
  sentence gets a new URL and may be cached for a long time (`web/audio.py`).
- The folder is read once at start-up; `missing` lists what a coordinator still has to
  record (file name and words), for the coordinators' check.
- A language without a voice can be chosen on a call only when every sentence is
  translated and recorded (`recorded_languages`); half a set would leave gaps mid-call.
- "Every sentence" includes the notices said outside the conversation: the safe answer when
  something breaks and the notice of a flood of calls (`call_texts`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

from ..flow.events import Text, text
from ..flow.loader import Problem
from ..flow.model import FlowSet
from ..flow.prompts import voice_texts
from ..state.limits import LIMIT_VOICE

SUFFIXES = (".mp3", ".wav")
FILE_NAME = re.compile(r"^(?P<stem>[0-9a-f]{12})(?:-[0-9a-f]{8})?\.(?:mp3|wav)$")


def call_texts(flows: FlowSet, lang: str) -> list[Text]:
    """Every text a caller can hear in `lang`: the conversation's, then the notices."""
    return [*voice_texts(flows, lang), text(LIMIT_VOICE)]


def file_stem(words: str) -> str:
    """The name (without suffix) of the recording of exactly these words."""
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:12]


@dataclasses.dataclass(frozen=True)
class Sentence:
    """One sentence to record: its words, the stem its file is named by, and where it is served."""

    words: str
    stem: str
    translated: bool
    url: str | None

    @property
    def recorded(self) -> bool:
        return self.url is not None


class Recordings:
    """The recordings found at start-up, and the URL Twilio fetches each one from."""

    def __init__(self, directory: str | Path | None, base_url: str = "/audio"):
        self.base_url = base_url.rstrip("/")
        self.directory = Path(directory) if directory else None
        self.files: dict[tuple[str, str], str] = {}  # (lang, stem) -> file name
        self.served: dict[tuple[str, str], str] = {}  # (lang, name in the URL) -> file name
        self._urls: dict[tuple[str, str], str] = {}  # (lang, stem) -> name in the URL
        root = self.directory
        if root is not None and root.is_dir():
            for path in sorted(root.glob("*/*"), key=lambda p: (p.parent.name, -p.stat().st_mtime_ns, p.name)):
                found = FILE_NAME.match(path.name)
                key = (path.parent.name, found["stem"]) if found else None
                if key is None or key in self.files or not path.is_file():
                    continue  # of two files for one sentence, the newer one is used
                self.files[key] = path.name
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
                named = f"{found['stem']}-{digest}{path.suffix}"
                self._urls[key] = named
                self.served[(key[0], named)] = path.name

    def url(self, lang: str, words: str) -> str | None:
        name = self._urls.get((lang, file_stem(words)))
        return f"{self.base_url}/{lang}/{name}" if name else None

    def file_for(self, lang: str, name: str) -> tuple[str, bool] | None:
        """(file in `<lang>/`, whether `name` names its content) for a requested name, or None."""
        if (lang, name) in self.served:
            return self.served[(lang, name)], True
        found = FILE_NAME.match(name)
        if found and self.files.get((lang, found["stem"])) == name:
            return name, False
        return None

    def sentences(self, flows: FlowSet, catalogues, lang: str) -> list[Sentence]:
        """Every sentence a caller can hear in `lang`, each with its recording's URL (or None)."""
        out = []
        for item in call_texts(flows, lang):
            words, spoken = catalogues.render(item, lang, flows.variables)
            translated = spoken == lang
            out.append(Sentence(words, file_stem(words), translated, self.url(lang, words) if translated else None))
        return out

    def missing(self, flows: FlowSet, catalogues, lang: str) -> list[tuple[str, str]]:
        """(file to make, words to record) for every call sentence of `lang` without a recording.

        A sentence not yet translated is listed as `untranslated` instead of a file name.
        """
        out = []
        for item in call_texts(flows, lang):
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
            total = len(call_texts(flows, code))
            problems.append(Problem(lang_doc.file, lang_doc.line_of(("languages", code)), (
                f"{code}: {len(missing)} of {total} call sentences have no recording yet, so a caller who "
                f"chooses it hears one sentence and is put through to a person; list them with: "
                f"python -m hotline recordings {code}"
            ), "warning"))
    return problems
