"""Sessions in Redis: one small hash per conversation, updated atomically, always expiring.

Rules this module keeps:
- No phone number in any key or value. Calls are keyed by CallSid (Twilio's id for the
  call); texters by an HMAC-SHA256 of their number with `HOTLINE_SECRET`, which cannot be
  reversed without the secret.
- Every key has a TTL (voice 1 hour, SMS 24 hours by default), renewed on each write.
- Two round trips per webhook: one read (HGETALL), one compare-and-set write (a Lua
  script that only writes if the version is still the one read). A concurrent writer makes
  the update retry instead of silently overwriting the other's change. The script is sent
  by its SHA1 (EVALSHA); its text goes to Redis only when a server does not know it yet.
- Processes keep nothing between webhooks: any process on any machine can answer any
  step of any conversation, so a deployment grows by adding processes.
- Redis Cluster works because every command touches exactly one key: the session's. A key
  added later that must change atomically with a session (in one script or MULTI) must
  live in the session's hash slot: name it `{<session key>}:<what>`, for example
  `{hotline:call:CA123}:notes`. Redis hashes only the text inside the first braces, here the
  whole session key, so both keys share a slot. Session keys themselves never hold braces.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import redis
from redis.cluster import RedisCluster
from redis.exceptions import NoScriptError, RedisClusterException

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
_CAS_SHA = hashlib.sha1(_CAS.encode()).hexdigest()
CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


def connect(url: str, timeout: float):
    """The client `REDIS_URL` names: one server, or a Redis Cluster by any node's address.

    `redis://`, `rediss://` and `unix://` reach one server (or a proxy in front of many);
    `redis+cluster://host:port` and `rediss+cluster://` reach a cluster, whose other nodes
    are discovered. The cluster is first contacted at the first command, not here: a
    hotline started while its cluster is away still answers callers (with the safe message).
    """
    scheme, _, rest = url.partition("://")
    if scheme in CLUSTER_SCHEMES:
        real = f"{CLUSTER_SCHEMES[scheme]}://{rest}"
        return _Lazy(lambda: RedisCluster.from_url(real, socket_timeout=timeout, socket_connect_timeout=timeout))
    return redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)


class _Lazy:
    """A client built at its first use, and built again at the next use if that failed."""

    def __init__(self, build):
        self._build, self._client = build, None

    def __getattr__(self, name: str):
        if self._client is None:
            self._client = self._build()
        return getattr(self._client, name)


class Conflict(Exception):
    """Another request kept changing the same session; the update was not applied."""


class SessionStore:
    def __init__(self, client: redis.Redis, secret: str, voice_ttl: int, sms_ttl: int):
        self.client, self.secret = client, secret.encode()
        self.ttl = {"voice": voice_ttl, "sms": sms_ttl}

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
            if self._write(key, version, int(version) + 1, payload, self.ttl[channel]):
                return result
        raise Conflict(key)

    def _write(self, key: str, *args) -> int:
        try:
            return self.client.evalsha(_CAS_SHA, 1, key, *args)
        except NoScriptError:  # a new or restarted server: teach it the script, once
            self.client.script_load(_CAS)
            return self.client.evalsha(_CAS_SHA, 1, key, *args)

    def forget(self, key: str) -> None:
        self.client.delete(key)

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except (redis.RedisError, RedisClusterException):
            return False
