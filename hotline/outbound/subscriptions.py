"""Subscribers in Redis: found by the keyed hash of their number, the number kept encrypted.

Rules this module keeps:
- `hotline:alerts:sub:<hmac>` holds the number encrypted with Fernet under
  HOTLINE_ALERTS_KEY (`n`), the area (`a`), the language (`l`), when they said YES
  (`since`), when they last got an alert (`last`) and when they were asked whether they
  still want them (`asked`). The HMAC is the same keyed hash sessions use, so STOP,
  FORGET and a status callback find the subscription without the number.
- One set of hashes per area and language (`hotline:alerts:members:<area>:<lang>`) is
  what a broadcast reads: 50,000 subscribers are a few SUNIONs, never a scan.
- A subscription expires a year and a week after the last alert it got (each alert renews
  it); a year without alerts brings one "still want them?" text (see `jobs.sweep`). The
  member sets expire 400 days after their last change or broadcast. A hash in a member set
  whose subscription has gone (expired, LEAVE, FORGET) is dropped when next met.
- The number is decrypted only by the worker, just before it is handed to Twilio.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken

from ..state.sessions import PREFIX
from ..usage.suppress import hidden
from .texting import Subscriber

SUB_TTL = (365 + 7) * 86400
MEMBERS_TTL = 400 * 86400
STILL_WANTED_AFTER = 365 * 86400


class NumberBox:
    """Encrypts and decrypts numbers with the alerts key (Fernet: AES-128-CBC and HMAC-SHA256)."""

    def __init__(self, key: str):
        self.fernet = Fernet(key.encode("ascii"))

    def seal(self, number: str) -> str:
        return self.fernet.encrypt(number.encode()).decode("ascii")

    def open(self, token: bytes | str) -> str | None:
        """The number, or None if the token was made with another key (or altered)."""
        try:
            return self.fernet.decrypt(token).decode()
        except (InvalidToken, ValueError):
            return None


def sub_key(digest: str) -> str:
    return f"{PREFIX}:alerts:sub:{digest}"


def members_key(area: str, lang: str) -> str:
    return f"{PREFIX}:alerts:members:{area}:{lang}"


SETS_KEY = f"{PREFIX}:alerts:sets"  # "area:lang" of every member set, for "all areas" and counts


class Subscriptions:
    def __init__(self, client, digest, box: NumberBox | None):
        """`digest(number)` is the store's keyed hash; `box` None: numbers cannot be kept (no key)."""
        self.client, self.digest, self.box = client, digest, box

    def get(self, number: str) -> Subscriber | None:
        area, lang = self.client.hmget(sub_key(self.digest(number)), "a", "l")
        return Subscriber(area.decode(), lang.decode()) if area and lang else None

    def subscribe(self, number: str, area: str, lang: str, now: float, confirmed_now: bool) -> None:
        if self.box is None:
            raise RuntimeError("HOTLINE_ALERTS_KEY is not set: subscriptions cannot be kept")
        digest = self.digest(number)
        key = sub_key(digest)
        old_area, old_lang = self.client.hmget(key, "a", "l")
        pipe = self.client.pipeline()
        if old_area and old_lang and (old_area.decode(), old_lang.decode()) != (area, lang):
            pipe.srem(members_key(old_area.decode(), old_lang.decode()), digest)
        fields = {"n": self.box.seal(number), "a": area, "l": lang, "last": int(now)}
        if confirmed_now or not old_area:
            fields["since"] = int(now)
        pipe.hset(key, mapping=fields)
        pipe.hdel(key, "asked")
        pipe.expire(key, SUB_TTL)
        self._add_member(pipe, area, lang, digest)
        pipe.execute()

    @staticmethod
    def _add_member(pipe, area: str, lang: str, digest: str) -> None:
        pipe.sadd(members_key(area, lang), digest)
        pipe.expire(members_key(area, lang), MEMBERS_TTL)
        pipe.sadd(SETS_KEY, f"{area}:{lang}")
        pipe.expire(SETS_KEY, MEMBERS_TTL)

    def unsubscribe(self, number: str) -> bool:
        return self.end(self.digest(number))

    def end(self, digest: str) -> bool:
        """Remove the subscription of `digest` (LEAVE, FORGET, 21610/21614); was there one?"""
        key = sub_key(digest)
        area, lang = self.client.hmget(key, "a", "l")
        pipe = self.client.pipeline()
        pipe.delete(key)
        if area and lang:
            pipe.srem(members_key(area.decode(), lang.decode()), digest)
        return bool(pipe.execute()[0])

    def member_sets(self) -> list[tuple[str, str]]:
        """(area, language) of every member set there is."""
        return [tuple(entry.decode().rsplit(":", 1)) for entry in self.client.smembers(SETS_KEY)]

    def members(self, areas: Iterable[str] | None, lang: str) -> list[str]:
        """The hashes subscribed in `lang` to any of `areas` (None: all) or to every area."""
        sets = [members_key(area, lang) for area, set_lang in self.member_sets()
                if set_lang == lang and (areas is None or area in areas or area == "*")]
        if not sets:
            return []
        pipe = self.client.pipeline()
        pipe.sunion(sets)
        for key in sets:
            pipe.expire(key, MEMBERS_TTL)  # a set that is used is kept
        return sorted(member.decode() for member in pipe.execute()[0])

    def counts(self) -> dict[tuple[str, str], int]:
        """Subscribers per (area, language), as stored (see `figures` for what may be shown)."""
        sets = self.member_sets()
        pipe = self.client.pipeline()
        for area, lang in sets:
            pipe.scard(members_key(area, lang))
        return {pair: n for pair, n in zip(sets, pipe.execute(), strict=True) if n}

    def due_for_asking(self, now: float) -> list[str]:
        """Hashes of subscribers who have had nothing for a year and were not asked yet."""
        due = []
        for area, lang in self.member_sets():
            digests = [d.decode() for d in self.client.smembers(members_key(area, lang))]
            pipe = self.client.pipeline()
            for digest in digests:
                pipe.hmget(sub_key(digest), "last", "asked")
            for digest, (last, asked) in zip(digests, pipe.execute(), strict=True):
                if last is None:
                    self.client.srem(members_key(area, lang), digest)  # expired or ended
                elif not asked and now - int(last) >= STILL_WANTED_AFTER:
                    due.append(digest)
        return due


def figures(counts: dict[tuple[str, str], int], limit: int) -> dict[tuple[str, str], int | None]:
    """Counts safe to show: a cell under `limit` (HOTLINE_SMALL_CELLS) becomes None ("fewer than 10"),
    by the rule the usage figures keep (`usage.suppress.hidden`), so one setting moves both."""
    return {pair: (None if hidden(n, limit) else n) for pair, n in counts.items()}


@dataclass(frozen=True)
class Reach:
    """How many subscribers an alert reaches, as it may be shown: from `low` to `high`.

    Worked out from the cells as shown (`figures`), never from the exact counts: a cell shown
    exactly counts as itself, a suppressed one as 1 to `limit` - 1. Every reach is then a
    function of the table the console already shows, so no set of them (all areas against all
    areas but one, say) gives a suppressed cell back by subtraction. `limit` is the small-cell
    limit the cells were suppressed under, which the wording needs ("fewer than 10")."""

    low: int
    high: int
    limit: int

    def __mul__(self, times: int) -> Reach:
        return Reach(self.low * times, self.high * times, self.limit)

    def __add__(self, other: Reach) -> Reach:
        return Reach(self.low + other.low, self.high + other.high, self.limit)

    @property
    def exact(self) -> bool:
        return self.low == self.high

    @property
    def small(self) -> bool:
        """A range wholly under the limit: shown as "fewer than 10", not as "1 to 9"."""
        return not self.exact and hidden(self.high, self.limit)

    def __str__(self) -> str:
        if self.exact:
            return str(self.low)
        if self.small:
            return f"fewer than {self.limit}"
        return f"{self.low} to {self.high}"


def reach(shown: dict[tuple[str, str], int | None], counted, limit: int) -> dict[str, Reach]:
    """Per language, the reach of the cells (area, language) for which `counted(area)` is true."""
    low: dict[str, int] = {}
    high: dict[str, int] = {}
    for (area, lang), n in shown.items():
        if counted(area):
            low[lang] = low.get(lang, 0) + (1 if n is None else n)
            high[lang] = high.get(lang, 0) + (limit - 1 if n is None else n)
    return {lang: Reach(low[lang], high[lang], limit) for lang in low}
