"""The state of one conversation between two webhooks: small, plain and JSON-safe.

Rules this module keeps: no phone number, no message body, nothing a person typed is
ever part of a session. Only where they are in the flow, how the hotline should talk to
them, the pages of the hotline's own reply still to send, and an alerts request waiting for
its YES.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from functools import lru_cache

DECODED = 4096  # stored sessions remembered decoded, per process (a few hundred bytes each)
ENCODED = 4096  # sessions remembered encoded, by identity (the same)


@dataclass(frozen=True)
class Session:
    channel: str  # "voice" or "sms"
    lang: str
    node: str | None = None  # the node waiting for input
    failures: int = 0  # wrong keys or silences in a row at this node
    back: tuple[str, ...] = ()  # menus to return to with the back key
    told_keys: bool = False  # the fixed keys were announced on this call
    person_tried: bool = False  # a transfer to a person was already tried
    chosen: bool = False  # the language was chosen (or remembered), not just the default
    more_time: bool = False  # the caller asked for more time: every wait is doubled
    more: tuple[str, ...] = ()  # the rest of a long SMS reply, one page each ("reply MORE")
    tried: tuple[str, ...] = ()  # services already rung by the transfer in progress
    #: Services just listed by a ZIP lookup, with their distance in miles (None for a
    #: national line), so "1 again" and "2 by text" work without keeping the ZIP code.
    found: tuple[tuple[str, float | None], ...] = ()
    #: Alerts asked for and waiting for YES: the area ("*" for every area) and since when
    #: (seconds since the epoch); see hotline/outbound/texting.py.
    joining: str = ""
    joining_at: int = 0
    texted: tuple[str, ...] = ()  # nodes whose text was sent during this call (one each, a few in all)

    def to_dict(self) -> dict:
        # What `dataclasses.asdict` gives for these flat fields, without its deep copy.
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, data: dict) -> Session:
        """Rebuild a session; unknown fields (from an older version) are dropped."""
        values = {k: v for k, v in data.items() if k in _FIELDS}
        values["back"] = tuple(values.get("back", ()))
        values["more"] = tuple(values.get("more", ()))
        values["tried"] = tuple(values.get("tried", ()))
        values["texted"] = tuple(values.get("texted", ()))
        values["found"] = tuple(tuple(pair) for pair in values.get("found", ()))
        return cls(**values)

    def to_json(self) -> str:
        """The session as it is stored (compact JSON, read back by `from_json`). A remembered
        step or reply hands back the very session it gave before, so its JSON is found by
        identity, without encoding it (or hashing its fields) again."""
        seen = _encoded.get(id(self))
        if seen is not None and seen[0] is self:
            return seen[1]
        payload = json.dumps(self.to_dict(), separators=(",", ":"))
        if len(_encoded) >= ENCODED:
            _encoded.clear()
        _encoded[id(self)] = (self, payload)  # keeping the session keeps its id from being reused
        return payload

    @staticmethod
    def from_json(payload: bytes | str) -> Session:
        """A stored session. Many conversations are in the same few states, and a session is
        immutable, so each process decodes each distinct payload once: rebuilding the frozen
        dataclass was most of a webhook's cost of reading its session."""
        return _decoded(payload)

    def update(self, **changes) -> Session:
        # What `dataclasses.replace` gives, in half its time (it inspects every field anew);
        # the engine updates a session several times a step.
        return Session(**{**self.__dict__, **changes})


_FIELDS = tuple(f.name for f in fields(Session))
_encoded: dict[int, tuple[Session, str]] = {}


@lru_cache(maxsize=DECODED)
def _decoded(payload: bytes | str) -> Session:
    return Session.from_dict(json.loads(payload))


@dataclass(frozen=True)
class Person:
    """What the hotline keeps about a number beyond one conversation, under a keyed hash.

    `opted_out`: the texter sent STOP. `lang`: the language they last chose, if remembering
    is switched on. Nothing else, and never the number.
    """

    opted_out: bool = False
    lang: str | None = None

    def update(self, **changes) -> Person:
        return replace(self, **changes)
