"""Sessions in Redis: one small hash per conversation, updated atomically, always expiring.

Rules this module keeps:
- No phone number in any key or value. Calls are keyed by CallSid (Twilio's id for the
  call); texters by an HMAC-SHA256 of their number with `HOTLINE_SECRET`, which cannot be
  reversed without the secret.
- Every key has a TTL (voice 1 hour, SMS 24 hours by default), renewed on each write.
- Beside the conversation, two small keys per number (same keyed hash): an opt-out mark
  (STOP; kept 2 years by default, renewed while they keep texting) and the language they
  chose (90 days after their last contact by default; not kept at all if switched off).
- Two round trips per webhook: one pipelined read (the conversation, the opt-out mark and
  the language), one compare-and-set write of all three (a Lua script that only writes if
  the conversation's version is still the one read). A concurrent writer makes the update
  retry instead of silently overwriting the other's change.
"""

from __future__ import annotations

import hashlib
import hmac
import json

import redis

from .flow.session import Person, Session

PREFIX = "hotline"
RETRIES = 5

#: Numbers that say "caller unknown" rather than name one person; nothing is kept for them.
WITHHELD = frozenset({"", "anonymous", "restricted", "unknown", "private", "unavailable", "+266696687"})

_CAS = """
local current = redis.call('HGET', KEYS[1], 'v')
if (current or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
if ARGV[5] == 'set' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[6])
elseif ARGV[5] == 'del' then redis.call('DEL', KEYS[2]) end
if ARGV[7] ~= '' then redis.call('SET', KEYS[3], ARGV[7], 'EX', ARGV[8]) end
return 1
"""


class Conflict(Exception):
    """Another request kept changing the same session; the update was not applied."""


class SessionStore:
    def __init__(self, client: redis.Redis, secret: str, voice_ttl: int, sms_ttl: int, opt_out_ttl: int,
                 language_ttl: int):
        """TTLs in seconds; `language_ttl` 0 keeps no language (see `Config` for the defaults)."""
        self.client, self.secret = client, secret.encode()
        self.ttl = {"voice": voice_ttl, "sms": sms_ttl}
        self.opt_out_ttl, self.language_ttl = opt_out_ttl, language_ttl
        self._cas = client.register_script(_CAS)

    def _digest(self, number: str) -> str:
        return hmac.new(self.secret, number.encode(), hashlib.sha256).hexdigest()

    def call_key(self, call_sid: str) -> str:
        return f"{PREFIX}:call:{call_sid}"

    def texter_key(self, number: str) -> str:
        return f"{PREFIX}:sms:{self._digest(number)}"

    def person_keys(self, number: str) -> tuple[str, str] | None:
        """(opt-out key, language key) of a number; None for a withheld number."""
        if number.strip().lower() in WITHHELD:
            return None
        digest = self._digest(number)
        return f"{PREFIX}:optout:{digest}", f"{PREFIX}:lang:{digest}"

    def update(self, key: str, channel: str, change, number: str = ""):
        """Apply `change(session | None, person) -> (session, person, result)` atomically; return result."""
        people = self.person_keys(number)
        for _ in range(RETRIES):
            pipe = self.client.pipeline(transaction=False)
            pipe.hgetall(key)
            if people:
                pipe.exists(people[0])
                pipe.get(people[1])
            stored, *known = pipe.execute()
            version = stored.get(b"v", b"0").decode()
            session = Session.from_dict(json.loads(stored[b"s"])) if b"s" in stored else None
            person = self._person(known)
            new_session, new_person, result = change(session, person)
            payload = json.dumps(new_session.to_dict(), separators=(",", ":"))
            keys, writes = [key], ["", 0, "", 0]
            if people:
                keys += people
                opt_out = "set" if new_person.opted_out else "del" if person.opted_out else ""
                lang = (new_person.lang or "") if self.language_ttl else ""
                writes = [opt_out, self.opt_out_ttl, lang, self.language_ttl]
            if self._cas(keys=keys, args=[version, int(version) + 1, payload, self.ttl[channel], *writes]):
                return result
        raise Conflict(key)

    def _person(self, known: list) -> Person:
        if not known:
            return Person()
        opted_out, lang = known
        return Person(opted_out=bool(opted_out), lang=lang.decode() if lang and self.language_ttl else None)

    def forget(self, key: str) -> None:
        self.client.delete(key)

    def ping(self) -> bool:
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False
