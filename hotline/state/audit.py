"""The console's audit log in Redis: who did what and when, kept one year.

Rules this module keeps:
- One sorted set, scored by time. Each entry is who (an account name, or the terminal),
  what (a short fixed word: login, login-failed, publish, rollback, user-add...) and a
  detail a person can read. No caller data is ever written here, and no client address.
- Entries older than `KEEP_SECONDS` are dropped at each write, and the key itself
  expires a year after the last write, so nothing is kept longer than a year.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

import redis

KEY = "hotline:console:audit"
KEEP_SECONDS = 366 * 86400


@dataclass(frozen=True)
class Entry:
    time: float
    who: str
    what: str
    detail: str


class AuditLog:
    def __init__(self, client: redis.Redis, clock=time.time):
        self.client, self.clock = client, clock

    def add(self, who: str, what: str, detail: str = "") -> None:
        now = self.clock()
        member = json.dumps({"t": now, "who": who, "what": what, "detail": detail, "n": secrets.token_hex(4)})
        pipe = self.client.pipeline(transaction=True)
        pipe.zadd(KEY, {member: now})
        pipe.zremrangebyscore(KEY, "-inf", now - KEEP_SECONDS)
        pipe.expire(KEY, KEEP_SECONDS)
        pipe.execute()

    def recent(self, limit: int = 200, offset: int = 0) -> list[Entry]:
        found = []
        for raw in self.client.zrevrange(KEY, offset, offset + limit - 1):
            data = json.loads(raw)
            found.append(Entry(data["t"], data["who"], data["what"], data["detail"]))
        return found
