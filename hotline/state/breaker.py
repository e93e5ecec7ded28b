"""A circuit breaker per process: while Redis is stalled or away, webhooks do not wait for it.

Without it, every webhook during a stall waits the whole `HOTLINE_REDIS_TIMEOUT_MS` before
answering with the safe message, and a few sync workers then answer only a few webhooks a
second: callers queue until Twilio gives up on them (15 s) and hear Twilio's error instead
of the emergency advice (docs/reliability.md).

Rules this module keeps:
- Closed (the normal state) costs one attribute read per Redis call: no round trip, no lock.
- A timeout or a connection error opens it. While open, every Redis call fails at once
  with `RedisUnavailable`, so the webhook answers from the safe path without touching Redis.
- After `retry_after` seconds one request at a time probes Redis (a PING with a short
  timeout of its own); the others keep failing fast meanwhile. A good probe closes the
  breaker and that request goes on as usual; a bad one keeps it open for another interval.
- `/healthz` probes whenever it is asked (`check`), so a health check also closes it.
- Per process and thread-safe; nothing is shared between processes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import redis
from redis.exceptions import RedisClusterException

PROBE_TIMEOUT = 0.1  # seconds a probe waits for Redis: it answers a PING in well under a millisecond
#: What says "Redis is not answering" rather than "Redis refused this one command".
OUTAGES = (redis.ConnectionError, redis.TimeoutError, RedisClusterException, redis.exceptions.ClusterDownError)


class RedisUnavailable(redis.ConnectionError):
    """Redis is not used now: the breaker is open after a recent timeout or connection error."""


class Breaker:
    def __init__(self, probe: Callable[[], object], retry_after: float = 0.5,
                 clock: Callable[[], float] = time.monotonic):
        """`probe()` raises if Redis does not answer quickly; `retry_after`: seconds between probes."""
        self.probe, self.retry_after, self.clock = probe, retry_after, clock
        self.open = False
        self.reason = ""  # why it opened, for logs and /healthz
        self._next_probe = 0.0
        self._lock = threading.Lock()

    def call(self, command: Callable, *args, **kwargs):
        """`command(*args, **kwargs)` unless the breaker is open; an outage opens it."""
        if self.open:
            self._probe_or_refuse()
        try:
            return command(*args, **kwargs)
        except OUTAGES as exc:
            self.trip(exc)
            raise

    def check(self) -> bool:
        """Probe now, whatever the state (`/healthz` is a probe): True closes it, False opens it."""
        try:
            self.probe()
        except Exception as exc:  # noqa: BLE001 - any failure means "not answering"
            self.trip(exc)
            return False
        self.open, self.reason = False, ""
        return True

    def trip(self, exc: BaseException) -> None:
        with self._lock:
            if not self.open:
                self.open, self.reason = True, type(exc).__name__
                self._next_probe = self.clock() + self.retry_after

    def _probe_or_refuse(self) -> None:
        if not self._lock.acquire(blocking=False):
            raise RedisUnavailable(f"Redis skipped: the circuit is open after a {self.reason}")
        try:
            if not self.open:
                return  # another request's probe has just closed it
            if self.clock() < self._next_probe:
                raise RedisUnavailable(f"Redis skipped: the circuit is open after a {self.reason}")
            self._next_probe = self.clock() + self.retry_after  # one probe per interval, even if it hangs
            try:
                self.probe()
            except Exception as exc:  # noqa: BLE001 - any failure of the probe keeps it open
                raise RedisUnavailable(f"Redis still not answering: {type(exc).__name__}") from None
            self.open, self.reason = False, ""
        finally:
            self._lock.release()
