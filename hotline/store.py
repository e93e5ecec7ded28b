"""Sessions in Redis: one small hash per conversation, updated atomically, always expiring.

Rules this module keeps:
- No phone number in any key or value. Calls are keyed by CallSid (Twilio's id for the
  call); texters by an HMAC-SHA256 of their number with `HOTLINE_SECRET`, which cannot be
  reversed without the secret.
- Every key has a TTL (voice 1 hour, SMS 24 hours by default), renewed on each write.
- Two round trips per webhook: one read (HGETALL), one compare-and-set write (a Lua
  script that only writes if the version is still the one read). A concurrent writer makes
  the update retry instead of silently overwriting the other's change.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import redis

from .flow.session import Session

PREFIX = "hotline"
RETRIES = 5

_CAS = """
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""


class Conflict(Exception):
    """Another request kept changing the same session; the update was not applied."""


class SessionStore:
    def __init__(self, client: redis.Redis, secret: str, voice_ttl: int, sms_ttl: int):
        self.client, self.secret = client, secret.encode()
        self.ttl = {"voice": voice_ttl, "sms": sms_ttl}
        self._cas = client.register_script(_CAS)

    def call_key(self, call_sid: str) -> str:
        return f"{PREFIX}:call:{call_sid}"

    def texter_key(self, number: str) -> str:
        return f"{PREFIX}:sms:{self.digest(number)}"

    def optout_key(self, number: str) -> str:
        """`hotline:optout:<HMAC of the number>`: present while a number must not be texted.
        Written by the STOP/START handling; read here before any text the hotline sends."""
        return f"{PREFIX}:optout:{self.digest(number)}"

    def digest(self, number: str) -> str:
        return hmac.new(self.secret, number.encode(), hashlib.sha256).hexdigest()

    def is_opted_out(self, number: str) -> bool:
        return bool(self.client.exists(self.optout_key(number)))

    def update(self, key: str, channel: str, change):
        """Apply `change(session | None) -> (session, result)` atomically; return result."""
        for _ in range(RETRIES):
            stored = self.client.hgetall(key)
            version = stored.get(b"v", b"0").decode()
            session = Session.from_dict(json.loads(stored[b"s"])) if b"s" in stored else None
            new_session, result = change(session)
            payload = json.dumps(new_session.to_dict(), separators=(",", ":"))
            if self._cas(keys=[key], args=[version, int(version) + 1, payload, self.ttl[channel]]):
                return result
        raise Conflict(key)

    def forget(self, key: str) -> None:
        self.client.delete(key)

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False
