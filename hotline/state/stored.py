"""What one read of a session returns, and how repeats of a request are recognised.

Rules this module keeps:
- Twilio's id of a request is never kept as it is, only as a hash (`request_digest`), so
  a Redis dump cannot be matched with Twilio's logs.
- A session remembers the last few requests it answered with their replies
  (`scripts.REMEMBERED`), so a copy of an earlier turn that arrives late, after later
  turns, is answered as it was the first time instead of moving the conversation again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from ..flow.session import Person, Session
from .scripts import REMEMBERED

#: The hash fields the replies remembered are kept in, by slot (see `scripts.REMEMBERED`).
REPLY_FIELDS = (b"r", *(f"r{i}".encode() for i in range(1, REMEMBERED)))


def reply_field(newest: bytes | int | None, place: int) -> bytes:
    """The field of the reply to the `place`-th newest request remembered, given the session's
    `p` (the slot of the newest; none: 0)."""
    return REPLY_FIELDS[(int(newest or 0) + place) % REMEMBERED]


@dataclass(frozen=True)
class Stored:
    """One read: the session (None if new), its version, the last few requests and replies,
    counters, and what is kept about the number."""

    session: Session | None
    version: int
    requests: tuple[str, ...] = ()  # digests of the last few requests answered, newest first
    replies: tuple[str, ...] = ()  # their replies, in the same order
    counts: tuple[int, ...] = ()
    person: Person = Person()
    #: Reads the reply sent last, where the read did not bring it (`sent`).
    last_reply: Callable[[], bytes | None] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def sent(cls, payload: bytes | None, version: bytes | None, requests: bytes | None, reply: list,
             counts: list, person: Person, last_reply: Callable[[], bytes | None]) -> Stored:
        """A read of the single-server script (`scripts.READ`), which sends a reply only to a
        repeat: `reply` is [its place among the requests, the reply], or empty."""
        replies = [""] * REMEMBERED
        if reply:
            replies[int(reply[0])] = reply[1].decode()
        return cls(Session.from_json(payload) if payload else None, int(version or 0),
                   tuple(requests.decode().split()) if requests else (), tuple(replies),
                   tuple(int(n) for n in counts), person, None if reply and int(reply[0]) == 0 else last_reply)

    @property
    def reply(self) -> str:
        """The reply sent last ("" if none is remembered)."""
        if self.last_reply is not None:
            return (self.last_reply() or b"").decode()
        return self.replies[0] if self.replies else ""

    def answered(self, request_id: str | None) -> str | None:
        """The reply already sent for `request_id`, if it is one of the requests remembered."""
        if request_id:
            digest = request_digest(request_id)
            for known, reply in zip(self.requests, self.replies, strict=False):
                if known == digest:
                    return reply
        return None

    def moved_past(self, turn: str | None) -> bool:
        """Is this a copy of a call's turn that the call has already moved past? Each voice
        answer's URLs carry the version it wrote (`n`), so a turn below the session's
        version is a late repeat, even one older than every request remembered."""
        return bool(turn and turn.isdigit() and int(turn) < self.version and self.replies)


def request_digest(request_id: str) -> str:
    return hashlib.sha256(request_id.encode()).hexdigest()[:32]


def read_alone(held, key: str, request_id: str | None) -> list | None:
    """What `scripts.READ` gives for a session read on its own (a call's later step), by one
    plain HMGET over the `held` connection, which costs Redis less than running a script;
    None for a repeat of a request remembered, whose reply the script fetches in the same
    atomic step."""
    found = held.command("HMGET", key, "v", "s", "q", "p")
    if request_id and found[2] and request_digest(request_id).encode() in found[2].split():
        return None
    return [found, [], [], []]
