"""Usage figures: counters incremented as things happen, never a record of a person.

Rules this module keeps:
- Counters only, per day of the programme's time zone, channel and language
  (`hotline:stats:day:<day>:<channel>:<lang>`, a hash of measures such as `calls`,
  `visit:<node>`, `rung:<service>`). The hour of the day has its own hash per day and
  channel (`hotline:stats:hours:<day>:<channel>`), never crossed with language. No number,
  ZIP code, message text or CallSid is ever part of a key, a field or a value: measures are
  named by the flow's own node and service ids.
- Unique people: a HyperLogLog per day and channel (not per language: a caller is
  counted when the call comes in, before a language is chosen), fed an HMAC of the number
  with a random key of the month (`hotline:stats:key:<month>`), which is deleted with the
  sketches when the month is rolled up (`stats_months`), or expires with them. A withheld number
  is not counted as a person.
- No round trip of its own: on a single server a request's increments ride in the
  session's compare-and-set (`scripts.CAS`, the `tally` block), and counts with nothing to
  ride on (a flood limit, a safe answer, FORGET) wait in this process's
  `pending` until its next write. On a Redis Cluster the counters cannot share the
  session's slot, so each process adds them up in memory and a background thread writes
  them every `HOTLINE_STATS_FLUSH` seconds in one pipeline (and when it exits in good
  order); a process that crashes loses at most that many seconds of figures (and a single
  server's process, what is pending).
- Test traffic (numbers in `HOTLINE_TEST_NUMBERS`) is counted apart, under
  `hotline:teststats:`, and never mixed into the figures.
- Every key expires: days after `DAY_TTL` (400 days), sketches `SKETCH_TTL` after their
  month at the latest, monthly totals after `MONTH_TTL`.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hmac
import secrets
import threading
import time
from zoneinfo import ZoneInfo

from .names import PREFIX

DAY = 86400
DAY_TTL = 400 * DAY  # daily counters; then only the monthly totals are left
SKETCH_TTL = 40 * DAY  # a month's sketches at most this long after it, should nobody roll it up
MONTH_TTL = 7 * 366 * DAY  # monthly totals
HASH, SKETCH = "h", "p"
UNKNOWN_LANG = "und"  # a safe answer before the language is known
LENGTHS = ((30, "under-30s"), (120, "30s-2min"), (600, "2-10min"))
LONGEST = "over-10min"


def length_bucket(seconds: int) -> str:
    """The call-length bucket of a call that lasted `seconds`."""
    return next((name for limit, name in LENGTHS if seconds < limit), LONGEST)


def month_of(day: str) -> str:
    return day[:7]


def key_of_month(month: str) -> str:
    """Where the month's HMAC key for unique people is kept (test traffic shares it)."""
    return f"{PREFIX}:stats:key:{month}"


def month_end(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year + number // 12, number % 12 + 1, 1)


class Tally:
    """The increments of one request (or of a process, waiting): per key a dict of field
    increments (a hash) or a set of elements (a sketch), and the key's TTL."""

    def __init__(self):
        self.items: dict[str, dict | set] = {}
        self.ttls: dict[str, int] = {}

    def __bool__(self) -> bool:
        return bool(self.items)

    def add(self, key: str, field: str, ttl: int, n: int = 1) -> None:
        fields = self.items.get(key)
        if fields is None:
            fields = self.items[key] = {}
            self.ttls[key] = ttl
        fields[field] = fields.get(field, 0) + n

    def element(self, key: str, element: str, ttl: int) -> None:
        if key not in self.items:
            self.items[key], self.ttls[key] = set(), ttl
        self.items[key].add(element)

    def merge(self, other: Tally) -> None:
        for key, values in other.items.items():
            if isinstance(values, set):
                self.items.setdefault(key, set()).update(values)
            else:
                mine = self.items.setdefault(key, {})
                for field, n in values.items():
                    mine[field] = mine.get(field, 0) + n
            self.ttls[key] = max(self.ttls.get(key, 0), other.ttls[key])

    def clear(self) -> None:
        self.items.clear()
        self.ttls.clear()

    def script_parts(self) -> tuple[list[str], list]:
        """(KEYS, ARGV) for the `tally` block of a script: per key its kind, TTL, number of
        items, then the items (field and increment pairs, or sketch elements)."""
        args: list = []
        for key, values in self.items.items():
            if isinstance(values, set):
                args += [SKETCH, self.ttls[key], len(values), *values]
            else:
                args += [HASH, self.ttls[key], len(values)]
                for pair in values.items():
                    args += pair
        return list(self.items), args


class Stats:
    """Where a process's counts go: names the keys, keeps what waits, flushes on a cluster."""

    def __init__(self, client, time_zone: str = "UTC", test_numbers=(), cluster: bool = False,
                 flush_seconds: int = 5):
        self.client, self.zone = client, ZoneInfo(time_zone)
        self.test_numbers = frozenset(test_numbers)
        self.cluster, self.flush_seconds = cluster, flush_seconds
        self.pending = Tally()
        self._lock = threading.Lock()
        self._keys: dict[str, bytes] = {}
        self._day: dict[dt.date, tuple] = {}
        self._flusher: threading.Thread | None = None
        self.month_started = None  # called with a month this process starts (`stats_months`)
        self.rolled_through = ""  # the month before which this process has rolled everything up

    @staticmethod
    def space(test: bool) -> str:
        """Where the figures are kept: test traffic apart."""
        return f"{PREFIX}:teststats" if test else f"{PREFIX}:stats"

    def day_key(self, space: str, day: str, channel: str, lang: str) -> str:
        return f"{space}:day:{day}:{channel}:{lang}"

    def people_key(self, space: str, day: str, channel: str) -> str:
        # One slot per month on a cluster (the braces), so that a month can be counted at its end.
        return f"{space}:people:{{{month_of(day)}}}:{day}:{channel}"

    def day_facts(self, day: dt.date) -> tuple[str, int, str, int]:
        """(the day, when it ends, its month, when that ends: seconds since the epoch), kept
        for the day this process is counting in."""
        facts = self._day.get(day)
        if facts is None:
            iso = day.isoformat()
            ends = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), self.zone).timestamp()
            month_ends = dt.datetime.combine(month_end(iso[:7]), dt.time(), self.zone).timestamp()
            facts = (iso, int(ends), iso[:7], int(month_ends))
            self._day = {day: facts}
        return facts

    def request(self, now: dt.datetime | None, channel: str, number: str = "") -> Counting:
        """What one request counts, at `now`, from `number` (for test traffic; never kept)."""
        when = now or dt.datetime.now(dt.UTC)  # a test's engine may run without a time
        return Counting(self, when.astimezone(self.zone), channel, number in self.test_numbers)

    def count_later(self, now: dt.datetime | None, channel: str, number: str, lang: str | None,
                    measure: str) -> None:
        """One count with no write to ride on (a safe answer): it waits for the next."""
        counting = self.request(now, channel, number)
        counting.add(lang, measure)
        self.defer(counting.tally)

    def month_secret(self, month: str) -> bytes:
        """The month's random HMAC key, made by the first process to need it (one round trip
        per process and month). A process that finds last month's key still there has the
        months before rolled up (`month_started`, a thread: no webhook waits for it)."""
        secret = self._keys.get(month)
        if secret is None:
            ends = dt.datetime.combine(month_end(month), dt.time(), self.zone)
            ttl = int((ends - dt.datetime.now(self.zone)).total_seconds()) + SKETCH_TTL
            earlier = (dt.date.fromisoformat(f"{month}-01") - dt.timedelta(days=1)).isoformat()
            pipe = self.client.pipeline(transaction=False)
            pipe.set(key_of_month(month), secrets.token_hex(32), nx=True, ex=max(ttl, 60))
            pipe.get(key_of_month(month))
            pipe.exists(key_of_month(month_of(earlier)))
            _, secret, unfinished = pipe.execute()
            self._keys = {month: secret}  # last month's key is forgotten here too
            if unfinished and self.month_started is not None:
                self.month_started(month)
        return secret

    def defer(self, tally: Tally | None) -> None:
        """Counts with no write to ride on: they go with this process's next one."""
        if tally:
            with self._lock:
                self.pending.merge(tally)
            self._start_flusher()

    def tail(self, counting: Counting | None) -> tuple[list[str], list, Tally | None]:
        """(KEYS, ARGV) of the `tally` block for a write carrying `counting`'s counts and what
        waits (taken out: give it back if the write is not made). On a cluster everything
        waits for the flush instead, and the block is empty."""
        tally = counting.tally if counting else None
        if self.cluster:
            if tally:
                self.defer(tally)
            return [], [], None
        waiting = None
        if self.pending:
            with self._lock:
                waiting, self.pending = self.pending, Tally()
        if not waiting:
            return (*tally.script_parts(), None) if tally else ([], [], None)
        both = Tally()
        both.merge(waiting)
        if tally:
            both.merge(tally)
        return (*both.script_parts(), waiting)

    def carried(self, counting: Counting | None, write) -> bool:
        """`write(keys, args)` with the `tail` block; what waited waits again if it is not made."""
        keys, args, waiting = self.tail(counting)
        try:
            written = write(keys, args)
        except BaseException:
            self.defer(waiting)
            raise
        if not written:
            self.defer(waiting)
        return written

    def _start_flusher(self) -> None:
        if self.cluster and self._flusher is None:
            self._flusher = threading.Thread(target=self._flush_forever, name="hotline-stats", daemon=True)
            self._flusher.start()
            atexit.register(self.flush)  # a worker that stops in good order writes what waits

    def _flush_forever(self) -> None:
        while True:
            time.sleep(self.flush_seconds)
            self.flush()

    def flush(self) -> None:
        """Write what waits in one pipeline (the cluster path; a single server's is the CAS)."""
        with self._lock:
            waiting, self.pending = self.pending, Tally()
        if not waiting:
            return
        try:
            pipe = self.client.pipeline(transaction=False)
            for key, values in waiting.items.items():
                if isinstance(values, set):
                    pipe.pfadd(key, *values)
                else:
                    for field, n in values.items():
                        pipe.hincrby(key, field, n)
                pipe.expire(key, waiting.ttls[key], nx=True)
            pipe.execute()
        except Exception:  # noqa: BLE001 - Redis away: keep the counts for the next flush
            with self._lock:
                waiting.merge(self.pending)
                self.pending = waiting


class Counting:
    """One request's counts, in `Stats`' keys for its day, channel and test-or-not."""

    def __init__(self, stats: Stats, local: dt.datetime, channel: str, test: bool):
        self.stats, self.local, self.channel, self.test = stats, local, channel, test
        self.day, day_ends, self.month, month_ends = stats.day_facts(local.date())
        self.space = stats.space(test)
        self.tally = Tally()
        now = int(local.timestamp())
        self.ttl = day_ends - now + DAY_TTL  # a day's keys live until DAY_TTL after the day is over
        self._sketch_ttl = month_ends - now + SKETCH_TTL

    def add(self, lang: str | None, measure: str, n: int = 1) -> None:
        self.tally.add(f"{self.space}:day:{self.day}:{self.channel}:{lang or UNKNOWN_LANG}", measure, self.ttl, n)

    def arrived(self, lang: str | None, number: str, withheld: bool) -> None:
        """A call or text came in: its measure, its hour, and its person."""
        self.add(lang, "calls" if self.channel == "voice" else "texts")
        self.tally.add(f"{self.space}:hours:{self.day}:{self.channel}", f"{self.local.hour:02d}", self.ttl)
        if not withheld:
            self.person(number)

    def person(self, number: str) -> None:
        secret = self.stats.month_secret(self.month)
        element = hmac.digest(secret, number.encode(), "sha256").hex()[:24]
        self.tally.element(self.stats.people_key(self.space, self.day, self.channel), element, self._sketch_ttl)

    def reset(self) -> None:
        self.tally.clear()
