"""Recordings kept in Redis by their content, so they reach every machine with the revision.

Rules this module keeps:
- A revision names its recordings in a manifest, its file `audio/recordings.json`
  (`"<lang>/<stem>.mp3" -> SHA-256 of the file`); the bytes live here once per content,
  under the revisions' hash tag (one Redis Cluster slot with them). Nothing about any
  caller is in them: they are prompts, like the flow's text.
- A recording uploaded into a draft expires with drafts (`DRAFT_TTL`) unless a published
  revision names it: `keep` makes it last as long as the revisions do.
- `materialise` writes a manifest's recordings into a process's own folder (only those it
  does not have yet, each whole or not at all) and removes the ones no longer named, so
  `Recordings` and `/audio/...` read a plain folder on every machine.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

TAG = "{hotline:revisions}"
DRAFT_TTL = 180 * 86400
MANIFEST_NAME = re.compile(r"^(?P<lang>[a-z]{2,3}(?:_[A-Za-z]{2,4})?)/(?P<file>[0-9a-f]{12}\.(?:mp3|wav))$")


MANIFEST_FILE = "audio/recordings.json"


def read_manifest(files: dict[str, str]) -> dict[str, str] | None:
    """A revision's manifest, or None: it names no recordings of its own (the audio folder is used)."""
    text = files.get(MANIFEST_FILE)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def with_recording(files: dict[str, str], manifest: dict[str, str], lang: str, stem: str, suffix: str,
                   digest: str) -> dict[str, str]:
    """The revision's files with sentence `stem` of `lang` recorded as `digest` (any older one replaced)."""
    kept = {name: d for name, d in manifest.items() if name.rsplit(".", 1)[0] != f"{lang}/{stem}"}
    kept[f"{lang}/{stem}{suffix}"] = digest
    return {**files, MANIFEST_FILE: json.dumps(dict(sorted(kept.items())), indent=1) + "\n"}


def blob_key(digest: str) -> str:
    return f"{TAG}:audio:{digest}"


class RecordingBlobs:
    def __init__(self, client):
        self.client = client

    def put(self, data: bytes) -> str:
        """Keep `data`; returns its SHA-256 (hex). The same content is stored once."""
        digest = hashlib.sha256(data).hexdigest()
        pipe = self.client.pipeline(transaction=False)
        pipe.set(blob_key(digest), data, nx=True, ex=DRAFT_TTL)
        # Already there and still only in drafts: a draft's time again. GT leaves a kept one kept.
        pipe.expire(blob_key(digest), DRAFT_TTL, gt=True)
        pipe.execute()
        return digest

    def get(self, digest: str) -> bytes | None:
        return self.client.get(blob_key(digest))

    def keep(self, digests) -> None:
        """Recordings a published revision names: kept as long as the revisions."""
        pipe = self.client.pipeline(transaction=False)
        for digest in set(digests):
            pipe.persist(blob_key(digest))
        pipe.execute()

    def materialise(self, manifest: dict[str, str], folder: str | Path) -> list[str]:
        """Write `manifest`'s recordings under `folder`; returns the names Redis does not have."""
        root = Path(folder)
        wanted: dict[Path, str] = {}
        for name, digest in manifest.items():
            found = MANIFEST_NAME.match(name)
            if found and re.fullmatch(r"[0-9a-f]{64}", digest):
                wanted[root / found["lang"] / found["file"]] = digest
        lost = []
        for path, digest in wanted.items():
            if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
                continue
            data = self.get(digest)
            if data is None or hashlib.sha256(data).hexdigest() != digest:
                lost.append(f"{path.parent.name}/{path.name}")
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(path.name + ".part")
            partial.write_bytes(data)
            partial.replace(path)
        if root.is_dir():
            for path in root.glob("*/*"):
                if path.suffix in (".mp3", ".wav") and path not in wanted:
                    path.unlink(missing_ok=True)
        return lost
