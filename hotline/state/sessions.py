"""Sessions in Redis: one small hash per conversation, updated atomically, always expiring.

Rules this module keeps:
- No phone number in any key or value. Calls are keyed by CallSid (Twilio's id for the
  call); texters by an HMAC-SHA256 of their number with `HOTLINE_SECRET`, which cannot be
  reversed without the secret. Twilio's id of the request answered last is kept only as a
  hash, so it cannot be looked up in Twilio's logs either.
- Every key has a TTL: sessions (voice 1 hour, SMS 24 hours by default) renewed on each
  write, flood counters set when they are created.
- Beside the conversation, two small keys per number (same keyed hash), the "person": an
  opt-out mark `hotline:optout:<hmac>` (STOP; kept 2 years by default, renewed while they
  keep texting) and the language they chose `hotline:lang:<hmac>` (90 days after their
  last contact by default; not kept at all if switched off). A withheld number has none.
- At most two round trips per webhook: one read (a Lua script: the session hash, the
  person and the flood counters, incremented; a plain HMGET when only the session is
  needed, unless the request is a repeat), one compare-and-set write (a Lua script that
  only writes the session and the person if the version is still the one read), which
  also carries the usage figures (`stats`). On a single server both go over a connection each process keeps
  (`heldconnection`). A concurrent writer makes the update retry instead of silently
  overwriting the other's change. A new call's first webhook from a number nothing is
  kept about takes one round trip on a single server (`first_contact`).
- Processes keep nothing of a conversation between webhooks: any process on any machine
  can answer any step of any conversation, so a deployment grows by adding processes.
- Redis Cluster (`redis+cluster://`): a script may only touch keys of one hash slot. The
  session and its writes are one key. A key that must change atomically with a session
  (in the same script or MULTI) must live in the session's slot: name it
  `{<session key>}:<what>`, e.g. `{hotline:call:CA123}:notes` (Redis hashes only the text
  inside the first braces, here the whole session key; session keys never hold braces).
  Flood counters cannot share a slot with every session (one counts everyone), so on a
  cluster each counter is incremented by its own one-key script: a counted webhook (a
  call's first, every text) then takes one more round trip per counter. The person's keys
  are shared by a number's calls and texts, so they cannot live in one session's slot
  either: on a cluster they are read with the session in one pipeline of one-key commands
  and written after the session's compare-and-set (one more round trip when they change).
- The hash also keeps the last few requests answered (`q`: their hashes, newest first) and
  the replies sent (`r`, `r1`, ...; `scripts.REMEMBERED` of each), so a request Twilio sends
  twice gets the same answer without moving the conversation twice, even when it arrives
  late, after later turns. A request without an id (a write of the hotline's own) leaves
  them as they are.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property

import redis

from ..flow.session import Person, Session
from . import cluster, scripts
from .breaker import Breaker
from .client import LazyCluster
from .first_contact import First
from .heldconnection import HeldConnection
from .names import PREFIX
from .stats import Counting, Stats
from .stored import Stored, read_alone, reply_field, request_digest
from .writecheck import WriteCheck

# A write can only fail because another request for the same person wrote in between, and
# each of those writes at most once, so this many retries always get a burst of up to this
# many simultaneous messages through. A short random pause spreads the retries out.
RETRIES = 24
RETRY_PAUSE = 0.002  # seconds, at most, times the attempt number

#: Numbers that say "caller unknown" rather than name one person; nothing is kept for them.
WITHHELD = frozenset({"", "anonymous", "restricted", "unknown", "private", "unavailable", "+266696687"})


class Conflict(Exception):
    """Another request kept changing the same session; the update was not applied."""


class SessionStore:
    def __init__(self, client: redis.Redis, secret: str, voice_ttl: int, sms_ttl: int, opt_out_ttl: int,
                 language_ttl: int, breaker: Breaker | None = None, stats: Stats | None = None):
        """TTLs in seconds; `language_ttl` 0 keeps no language (see `Config` for the defaults).
        Every call to Redis goes through `breaker` (see `breaker`; by default one that probes
        with the client's own PING). `stats` names the usage figures' keys."""
        self.client, self.secret = client, secret.encode()
        self.ttl = {"voice": voice_ttl, "sms": sms_ttl}
        self.opt_out_ttl, self.language_ttl = opt_out_ttl, language_ttl
        self.cluster = isinstance(client, LazyCluster)
        self.held = None if self.cluster else HeldConnection(client)
        self.breaker = breaker or Breaker(lambda: client.ping())  # a cluster client is built at first use
        self.stats = stats or Stats(client, cluster=self.cluster)
        self._scripts: dict = {}
        self.can_write = WriteCheck(client, self.breaker, f"{PREFIX}:health")

    # Registered at first use (registering builds a cluster client, which connects).
    @cached_property
    def _read(self):
        return self.client.register_script(scripts.READ)

    @cached_property
    def _count(self):
        return self.client.register_script(scripts.COUNT)

    @cached_property
    def _cas(self):
        return self.client.register_script(scripts.CAS)

    def _run(self, script, keys: list, args: list):
        """Run one of the scripts: over the held connection on a single server (see
        `heldconnection`), through the cluster client on a cluster."""
        if self.held is None:
            return script(keys=keys, args=args)
        return self.held.run(script, keys, args)

    def run_script(self, source: str, keys: list, args: list):
        """Run another module's Lua script (registered once per store), as `_run` does."""
        script = self._scripts.get(source)
        if script is None:
            script = self._scripts[source] = self.client.register_script(source)
        return self._run(script, keys, args)

    def count(self, key: str, ttl: int) -> int:
        """Add one to a counter that expires `ttl` seconds after it was created (cluster path)."""
        return int(self._count(keys=[key], args=[ttl]))

    def call_key(self, call_sid: str) -> str:
        return f"{PREFIX}:call:{call_sid}"

    def digest(self, number: str) -> str:
        """A keyed hash of a phone number: the same number always gives the same digest."""
        return hmac.new(self.secret, number.encode(), hashlib.sha256).hexdigest()

    def texter_key(self, number: str, digest: str | None = None) -> str:
        """The texter's session key; `digest`: the number's, if already computed (one HMAC a text)."""
        return f"{PREFIX}:sms:{digest or self.digest(number)}"

    def optout_key(self, number: str) -> str:
        """`hotline:optout:<HMAC of the number>`: present while a number must not be texted.
        Written by the STOP/START handling; read here before any text the hotline sends."""
        return f"{PREFIX}:optout:{self.digest(number)}"

    def is_opted_out(self, number: str) -> bool:
        return bool(self.breaker.call(self.client.exists, self.optout_key(number)))

    @staticmethod
    def is_withheld(number: str) -> bool:
        """"anonymous", "restricted" and the like: many people, not one number."""
        return number.strip().lower() in WITHHELD

    def person_keys(self, number: str, digest: str | None = None) -> tuple[str, str] | None:
        """(opt-out key, language key) of a number (whose `digest` may be known already); None
        for a withheld number."""
        if self.is_withheld(number):
            return None
        digest = digest or self.digest(number)
        return f"{PREFIX}:optout:{digest}", f"{PREFIX}:lang:{digest}"

    def read(self, key: str, counters: Sequence[tuple[str, int]] = (), people: tuple[str, str] | None = None,
             request_id: str | None = None) -> Stored:
        """The session at `key` (and the person at `people`), after adding one to each
        (counter key, TTL); one round trip. Of the replies remembered, a single server sends
        only the one to `request_id`, if it is a repeat (`Stored.reply` fetches the last one
        when asked)."""
        return self.breaker.call(self._read_now, key, counters, people, request_id)

    def _read_now(self, key: str, counters: Sequence[tuple[str, int]], people: tuple[str, str] | None,
                  request_id: str | None) -> Stored:
        if self.held is None:
            return cluster.read(self, key, counters, people)
        if not (counters or people):
            found = read_alone(self.held, key, request_id)
            if found is not None:
                return self.stored(key, found)
        keys = [key, *(people or ()), *(k for k, _ in counters)]
        args = [len(people or ()), request_digest(request_id) if request_id else "", *(ttl for _, ttl in counters)]
        return self.stored(key, self._run(self._read, keys, args))

    def stored(self, key: str, read: list) -> Stored:
        """The `Stored` of what `scripts.READ` returned for the session at `key`."""
        (version, payload, requests, newest), counts, person, reply = read
        return Stored.sent(payload, version, requests, reply, counts, self.person(person),
                           lambda: self.breaker.call(self.client.hget, key, reply_field(newest, 0)))

    def person(self, known: list) -> Person:
        if not known:
            return Person()
        opted_out, lang = known
        lang = lang.decode() if isinstance(lang, bytes) else lang
        return Person(opted_out=bool(opted_out), lang=lang if lang and self.language_ttl else None)

    def write(self, key: str, channel: str, read: Stored, session: Session, request_id: str | None,
              reply: str, people: tuple[str, str] | None = None, person: Person | None = None,
              counting: Counting | None = None) -> bool:
        """Save `session`, the `reply` to `request_id`, the `person` (at `people`) and what was
        counted if nobody wrote since `read`; one round trip (two on a cluster for a person)."""
        return self.stats.carried(counting, lambda keys, args: self.breaker.call(
            self._write_now, key, channel, read, session, request_id, reply, people, person, keys, args))

    def _write_now(self, key: str, channel: str, read: Stored, session: Session, request_id: str | None,
                   reply: str, people: tuple[str, str] | None, person: Person | None, tally_keys: list,
                   tally_args: list) -> bool:
        payload = session.to_json()
        args = [read.version, read.version + 1, payload, self.ttl[channel],
                request_digest(request_id) if request_id else "", reply]
        writes: list = []
        if people and person is not None:
            opt_out = "set" if person.opted_out else "del" if read.person.opted_out else ""
            lang = (person.lang or "") if self.language_ttl else ""
            writes = [opt_out, self.opt_out_ttl, lang, self.language_ttl]
        if self.cluster or not writes:
            if not self._run(self._cas, [key, *tally_keys], [*args, 0, *tally_args]):
                return False
            if writes:
                cluster.write_person(self.client, people, *writes)
            return True
        return bool(self._run(self._cas, [key, *people, *tally_keys], [*args, 2, *writes, *tally_args]))

    def update(self, key: str, channel: str, change, request_id: str | None = None,
               counters: Sequence[tuple[str, int]] = (), number: str = "", read_person: bool = True,
               counting: Counting | None = None, digest: str | None = None, first: First | None = None) -> str:
        """Answer one request at `key` atomically and return the reply (`digest`: the number's).

        `change(stored) -> (session | None, reply)` decides, or `(session | None, reply,
        person)` to also change what is kept about `number` (`stored.person` is what was
        read, or nothing if not `read_person`: a step of a call needs it only if it chooses a
        language, and then only to write it); a None session writes nothing. A request
        already answered gets its first reply again and changes nothing. The counters are
        counted once, on the first read, even if a conflict makes it retry. What `change`
        adds to `counting` is written with the session, or with the process's next write.
        `first`: what to write if this is a new conversation of a number nothing is kept about
        (`first_contact`: then one round trip in all).
        """
        people = self.person_keys(number, digest) if number else None
        counts = None
        for attempt in range(RETRIES):
            if attempt:
                time.sleep(random.uniform(0, RETRY_PAUSE * attempt))
            if attempt == 0 and first is not None and people and counters and read_person and self.held is not None:
                read = first.try_write(self, key, self.ttl[channel], counters, people, request_id, counting)
                if read is None:
                    return first.reply
            else:
                read = self.read(key, counters if counts is None else (), people if read_person else None, request_id)
            if counts is None:
                counts = read.counts
            else:
                read = replace(read, counts=counts)
            replay = read.answered(request_id)
            if replay is not None:
                return replay
            if counting is not None:
                counting.reset()
            session, reply, *person = change(read)
            if session is None:
                self.stats.defer(counting and counting.tally)
                return reply
            if self.write(key, channel, read, session, request_id, reply, people, person[0] if person else None,
                          counting):
                return reply
        raise Conflict(key)

    def claim_once(self, key: str, ttl: int) -> bool:
        """True the first time in `ttl` seconds, False after (a SET NX that expires)."""
        return bool(self.breaker.call(self.client.set, key, "1", nx=True, ex=ttl))

    def forget(self, *keys: str) -> None:
        self.breaker.call(self.client.delete, *keys)

    def ping(self) -> bool:
        """Does Redis answer now (a probe of the breaker: it opens or closes it)."""
        return self.breaker.check()
