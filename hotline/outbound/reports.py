"""Anonymous bad-batch reports ("REPORT blue pills knocked 3 people out"), for coordinators.

Rules this module keeps:
- A report is its words, the time, and the area of the texter's subscription if they have
  one: never the number, nor its hash (a report must not be linkable to the person's other
  texts). A phone number typed inside the words is removed before they are kept.
- Each report expires 90 days after it arrived (`hotline:alerts:report:<id>`, and an
  index by time); coordinators can delete one sooner.
- A text Twilio delivers twice is one report: its id comes from Twilio's id of the message.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import phonenumbers

from ..state.sessions import PREFIX

REPORT_TTL = 90 * 86400
INDEX = f"{PREFIX}:alerts:reports"
NUMBER_REMOVED = "[number removed]"


@dataclass(frozen=True)
class StoredReport:
    id: str
    text: str
    at: int  # seconds since the epoch
    area: str | None


def report_key(report_id: str) -> str:
    return f"{PREFIX}:alerts:report:{report_id}"


def redact(words: str) -> str:
    """`words` with every phone number in them replaced (US numbers and international ones)."""
    matcher = phonenumbers.PhoneNumberMatcher(words, "US", leniency=phonenumbers.Leniency.POSSIBLE)
    found = [(m.start, m.end) for m in matcher]
    for start, end in reversed(found):
        words = words[:start] + NUMBER_REMOVED + words[end:]
    return words


class Reports:
    def __init__(self, client):
        self.client = client

    def add(self, words: str, area: str | None, now: float, message_id: str | None = None) -> str:
        report_id = (hashlib.sha256(message_id.encode()).hexdigest()[:20] if message_id
                     else secrets.token_hex(10))
        pipe = self.client.pipeline()
        pipe.hset(report_key(report_id), mapping={"t": redact(words), "at": int(now), "a": area or ""})
        pipe.expire(report_key(report_id), REPORT_TTL)
        pipe.zadd(INDEX, {report_id: int(now)})
        pipe.expire(INDEX, REPORT_TTL)
        pipe.execute()
        return report_id

    def recent(self, now: float, limit: int = 200) -> list[StoredReport]:
        """The newest reports first (at most `limit`); expired ones are dropped from the index."""
        self.client.zremrangebyscore(INDEX, 0, now - REPORT_TTL)
        ids = [i.decode() for i in self.client.zrevrange(INDEX, 0, limit - 1)]
        pipe = self.client.pipeline()
        for report_id in ids:
            pipe.hgetall(report_key(report_id))
        found = []
        for report_id, fields in zip(ids, pipe.execute(), strict=True):
            if fields:
                area = fields.get(b"a", b"").decode()
                found.append(StoredReport(report_id, fields[b"t"].decode(), int(fields[b"at"]), area or None))
        return found

    def delete(self, report_id: str) -> bool:
        pipe = self.client.pipeline()
        pipe.delete(report_key(report_id))
        pipe.zrem(INDEX, report_id)
        return bool(pipe.execute()[0])
