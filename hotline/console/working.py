"""The version a coordinator is looking at: their draft if they have one, else the published
revision; checked with exactly the code `python -m hotline check` runs.

Rules this module keeps:
- The check runs on the version's files written to a temporary folder (`live.check_files`);
  its problems name files as the revision does (`flows/hotline.yaml:12`).
- A check is remembered by the files' content (`live.check_files`), so looking at the same
  version again (or the published revision, by everyone) does not check it again.
- A problem in the flow file is put on the node whose text holds its line.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..authoring.checks import Report
from ..live import check_files
from .blueprint import console

FLOW_FILE = "flows/hotline.yaml"


def checked(files: dict[str, str]) -> Report:
    """The check's report on `files` (remembered by content: see `live.check_files`)."""
    c = console()
    return check_files(files, c.audio, c.blobs)


@dataclass(frozen=True)
class Version:
    files: dict[str, str] = field(repr=False)
    base: int  # the revision it starts from
    published: int  # the revision callers hear now
    is_draft: bool
    report: Report = field(repr=False)

    @property
    def flows(self):
        return self.report.flows

    @property
    def stale(self) -> bool:
        """Another revision was published after this draft was started."""
        return self.is_draft and self.base != self.published

    def node_problems(self) -> dict[str, list]:
        """Problems of the flow file, by the node they are in."""
        if self.flows is None:
            return {}
        starts = sorted((line, node) for node, (_, line) in self.flows.locations.items())
        lines = [line for line, _ in starts]
        found: dict[str, list] = {}
        for problem in self.report.problems:
            if problem.file != FLOW_FILE:
                continue
            at = bisect.bisect_right(lines, problem.line) - 1
            if at >= 0:
                found.setdefault(starts[at][1], []).append(problem)
        return found


def working(name: str) -> Version:
    c = console()
    published = c.revisions.published()
    draft = c.revisions.draft(name)
    if draft is not None:
        return Version(draft.files, draft.base, published.number, True, checked(draft.files))
    return Version(published.files, published.number, published.number, False, checked(published.files))


def save(name: str, version: Version, files: dict[str, str]) -> Version:
    """Keep `files` as the coordinator's draft (starting from the version's base)."""
    c = console()
    c.revisions.save_draft(name, version.base, files)
    return Version(files, version.base, version.published, True, checked(files))
