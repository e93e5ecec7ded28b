"""Does Redis take a write? The health check's question, asked at most every few seconds.

Rules this module keeps: PING alone is not enough (a full Redis with noeviction, or a
read-only replica, answers it and refuses writes), so a key that expires in 10 seconds is
written; its answer is kept per process for `every` seconds.
"""

from __future__ import annotations

import time

import redis


class WriteCheck:
    def __init__(self, client, breaker, key: str):
        self.client, self.breaker, self.key = client, breaker, key
        self._last = (float("-inf"), False)  # (when, whether Redis took a write)

    def __call__(self, every: float = 0) -> bool:
        """Asked again within `every` seconds, the last answer of this process is given."""
        checked_at, ok = self._last
        if time.monotonic() - checked_at < every:
            return ok
        try:
            ok = bool(self.breaker.call(self.client.set, self.key, "1", ex=10))
        except redis.RedisError:
            ok = False
        self._last = (time.monotonic(), ok)
        return ok
