"""Published revisions of the flows and catalogues, and each coordinator's draft, in Redis.

Rules this module keeps:
- A revision is the full text of every flow file and catalogue (`flows/*.yaml`,
  `locales/messages.pot`, `locales/<lang>/LC_MESSAGES/messages.po`), and the manifest of
  its recordings once the console has stored one (`recording_blobs`), with its author,
  time and note. Revisions are numbered 1, 2, 3... and never changed once written; a rollback
  is a new revision holding an old one's files.
- Exactly one revision is published. Publishing names the revision the author's draft
  started from (`expected`): if another one was published meanwhile, nothing is written
  and `Stale` says which one is live, so the author merges instead of overwriting it
  (WATCH/MULTI: two publishers at the same moment cannot both win).
- This module does not check anything: callers (`hotline.served`, the console, `flask
  hotline revisions import`) publish only what passed `run_check`.
- Every key shares the hash tag `{hotline:revisions}` so they live in one Redis Cluster
  slot. Revisions and the published id never expire: they are what callers hear and hold
  nothing about any caller; Redis must persist them (AOF, docs/deploy.md). A draft expires
  `DRAFT_TTL` after its last save.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import redis

from .. import metrics
from .recording_blobs import MANIFEST_FILE

TAG = "{hotline:revisions}"
PUBLISHED = f"{TAG}:published"
NEXT = f"{TAG}:next"
DRAFT_TTL = 180 * 86400  # half a year without a save


def revision_key(number: int) -> str:
    return f"{TAG}:{number}"


def draft_key(user: str) -> str:
    return f"{TAG}:draft:{user}"


class Stale(Exception):
    """Another revision was published since the draft was started."""

    def __init__(self, published: int | None):
        super().__init__(f"revision {published} was published meanwhile")
        self.published = published


@dataclass(frozen=True)
class Revision:
    number: int
    author: str
    time: float  # seconds since the epoch
    note: str
    files: dict[str, str] = field(repr=False)
    rollback_of: int | None = None


@dataclass(frozen=True)
class Draft:
    """A coordinator's edits: every file's text, and the revision they started from."""

    user: str
    base: int
    files: dict[str, str] = field(repr=False)
    saved: float = 0.0


def read_files(flows_dir: str | Path, locales_dir: str | Path) -> dict[str, str]:
    """The files of a revision, as found on disk: relative name -> text."""
    flows_dir, locales_dir = Path(flows_dir), Path(locales_dir)
    found = {f"flows/{p.name}": p for p in sorted(flows_dir.glob("*.yaml"))}
    found.update({f"locales/{p.relative_to(locales_dir).as_posix()}": p
                  for p in sorted([*locales_dir.glob("*.pot"), *locales_dir.glob("*/LC_MESSAGES/*.po")])})
    return {name: path.read_text(encoding="utf-8") for name, path in found.items()}


def write_files(files: dict[str, str], root: str | Path) -> tuple[Path, Path]:
    """Write a revision's files under `root` (as flows/ and locales/); returns both folders."""
    root = Path(root)
    for name, text in files.items():
        if not _is_revision_file(name):
            raise ValueError(f"not a flow file or catalogue: {name}")
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "flows").mkdir(parents=True, exist_ok=True)
    (root / "locales").mkdir(parents=True, exist_ok=True)
    return root / "flows", root / "locales"


def _is_revision_file(name: str) -> bool:
    if name == MANIFEST_FILE:
        return True
    parts = name.split("/")
    if ".." in parts or "" in parts:
        return False
    if parts[0] == "flows":
        return len(parts) == 2 and name.endswith(".yaml")
    if parts[0] == "locales":
        return (len(parts) == 2 and name.endswith(".pot")) or (
            len(parts) == 4 and parts[2] == "LC_MESSAGES" and name.endswith(".po"))
    return False


class RevisionStore:
    def __init__(self, client: redis.Redis, clock=time.time):
        self.client, self.clock = client, clock

    def published_number(self) -> int | None:
        raw = self.client.get(PUBLISHED)
        return int(raw) if raw else None

    def get(self, number: int) -> Revision | None:
        raw = self.client.hgetall(revision_key(number))
        if not raw:
            return None
        fields = {k.decode(): v.decode() for k, v in raw.items()}
        return Revision(number, fields["author"], float(fields["time"]), fields["note"],
                        json.loads(fields["files"]), int(fields["rollback_of"]) if fields.get("rollback_of") else None)

    def published(self) -> Revision | None:
        number = self.published_number()
        return self.get(number) if number else None

    def history(self, limit: int = 100) -> list[Revision]:
        """The newest revisions first, without their files (they are read when needed)."""
        last = int(self.client.get(NEXT) or 0)
        numbers = list(range(last, max(0, last - limit), -1))
        pipe = self.client.pipeline(transaction=False)
        for number in numbers:
            pipe.hmget(revision_key(number), "author", "time", "note", "rollback_of")
        found = []
        for number, (author, when, note, rollback_of) in zip(numbers, pipe.execute(), strict=True):
            if author is not None:
                found.append(Revision(number, author.decode(), float(when), note.decode(), {},
                                      int(rollback_of) if rollback_of else None))
        return found

    def publish(self, files: dict[str, str], author: str, note: str, expected: int | None,
                rollback_of: int | None = None) -> Revision:
        """Write a new revision and make it the published one, if `expected` is still the
        published one (None: only if nothing is published yet); else raise `Stale`."""
        with self.client.pipeline(transaction=True) as pipe:
            while True:
                try:
                    pipe.watch(PUBLISHED, NEXT)
                    current = pipe.get(PUBLISHED)
                    current = int(current) if current else None
                    if current != expected:
                        raise Stale(current)
                    number = int(pipe.get(NEXT) or 0) + 1
                    revision = Revision(number, author, self.clock(), note, dict(files), rollback_of)
                    pipe.multi()
                    pipe.hset(revision_key(number), mapping={
                        "author": author, "time": repr(revision.time), "note": note,
                        "files": json.dumps(revision.files, ensure_ascii=False),
                        "rollback_of": "" if rollback_of is None else str(rollback_of),
                    })
                    pipe.set(NEXT, number)
                    pipe.set(PUBLISHED, number)
                    pipe.execute()
                    metrics.REVISIONS_PUBLISHED.inc()
                    return revision
                except redis.WatchError:
                    continue

    # -- drafts ----------------------------------------------------------------------

    def draft(self, user: str) -> Draft | None:
        raw = self.client.get(draft_key(user))
        if not raw:
            return None
        data = json.loads(raw)
        return Draft(user, data["base"], data["files"], data.get("saved", 0.0))

    def save_draft(self, user: str, base: int, files: dict[str, str]) -> Draft:
        draft = Draft(user, base, dict(files), self.clock())
        payload = json.dumps({"base": base, "files": draft.files, "saved": draft.saved}, ensure_ascii=False)
        self.client.set(draft_key(user), payload, ex=DRAFT_TTL)
        return draft

    def drafts(self, users) -> list[Draft]:
        """The drafts of these accounts (those that have one), in the order given."""
        users = list(users)
        pipe = self.client.pipeline(transaction=False)
        for user in users:
            pipe.get(draft_key(user))
        found = []
        for user, raw in zip(users, pipe.execute(), strict=True):
            if raw:
                data = json.loads(raw)
                found.append(Draft(user, data["base"], data["files"], data.get("saved", 0.0)))
        return found

    def drop_draft(self, user: str) -> None:
        self.client.delete(draft_key(user))
