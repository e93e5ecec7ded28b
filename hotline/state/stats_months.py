"""The end of a month in the usage figures: totals kept, sketches and their key deleted.

Rules this module keeps:
- A month is rolled up once it is over in the programme's time zone: its days' counters
  are added up into monthly totals (`hotline:stats:month:<month>:<channel>:<lang>`, kept
  `MONTH_TTL`), and its unique people are counted from the sketches into plain numbers
  (`hotline:stats:uniques:<month>`: per day and channel, per channel, and in all). Then the
  sketches and the month's HMAC key are deleted: a kept sketch could tell whether a given
  number was counted. The days' counters stay until their own TTL (400 days).
- Safe to run twice or to be cut off: totals are written whole (HSET, not added), the
  mark that the month is done (`hotline:stats:rolled:<month>`) is set before anything is
  deleted, and a month already marked is left alone; one process at a time rolls a
  month up (`hotline:stats:rolling:<month>`, 10 minutes).
- Run by whoever first needs it: a process starting a new month (in a thread of its own,
  never inside a webhook) and every reading of the figures (`usage`).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, defaultdict

from .stats import MONTH_TTL, Stats, key_of_month

log = logging.getLogger("hotline.stats")


def finished_months(client, space: str, current: str) -> list[str]:
    """Months before `current` with figures that are not rolled up yet."""
    months = set()
    for pattern in (f"{space}:day:*", f"{space}:people:*"):
        for key in client.scan_iter(match=pattern, count=1000):
            part = key.decode().removeprefix(f"{space}:").split(":")[1].strip("{}")[:7]
            if part < current:
                months.add(part)
    return sorted(month for month in months if not client.exists(f"{space}:rolled:{month}"))


def roll_up(client, space: str, month: str) -> None:
    """Monthly totals and unique people of `month` from its days; then its sketches go."""
    if client.exists(f"{space}:rolled:{month}") or not client.set(f"{space}:rolling:{month}", "1", nx=True, ex=600):
        return  # done, or being done by another process now
    totals: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for key in client.scan_iter(match=f"{space}:day:{month}-*", count=1000):
        _, day, channel, lang = key.decode().removeprefix(f"{space}:").split(":")
        totals[channel, lang].update({k.decode(): int(v) for k, v in client.hgetall(key).items()})
    sketches = sorted(k.decode() for k in client.scan_iter(match=f"{space}:people:{{{month}}}:*", count=1000))
    uniques: dict[str, int] = {}
    by_channel: dict[str, list[str]] = defaultdict(list)
    for key in sketches:
        day, channel = key.split(":")[-2:]
        uniques[f"{day}:{channel}"] = client.pfcount(key)
        by_channel[channel].append(key)
    for channel, keys in by_channel.items():
        uniques[channel] = client.pfcount(*keys)
    if sketches:
        uniques["all"] = client.pfcount(*sketches)
    pipe = client.pipeline(transaction=False)
    for (channel, lang), counts in totals.items():
        key = f"{space}:month:{month}:{channel}:{lang}"
        pipe.hset(key, mapping=dict(counts))
        pipe.expire(key, MONTH_TTL)
    if uniques:
        pipe.hset(f"{space}:uniques:{month}", mapping=uniques)
        pipe.expire(f"{space}:uniques:{month}", MONTH_TTL)
    pipe.set(f"{space}:rolled:{month}", "1", ex=MONTH_TTL)
    pipe.execute()
    for key in sketches:
        client.delete(key)
    client.delete(key_of_month(month))


def roll_up_finished(stats: Stats, current: str) -> None:
    """Roll up every month before `current` in both the figures and the test traffic."""
    for space in (stats.space(False), stats.space(True)):
        for month in finished_months(stats.client, space, current):
            roll_up(stats.client, space, month)



def roll_up_in_background(stats: Stats) -> None:
    """From now on, a month this process starts has the months before it rolled up by a
    thread of its own (a webhook never waits for it; a failure is tried again next month
    or at the next reading)."""

    def started(month: str) -> None:
        def run() -> None:
            try:
                roll_up_finished(stats, month)
            except Exception:  # noqa: BLE001 - the next reader or month tries again
                log.warning("the usage figures of past months were not rolled up; the next reading will")

        threading.Thread(target=run, name="hotline-stats-months", daemon=True).start()

    stats.month_started = started
