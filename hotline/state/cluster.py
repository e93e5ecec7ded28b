"""The store's reads and writes on a Redis Cluster, where a script may touch only the keys of
one hash slot: the session and the person's keys are read in one pipeline of one-key commands
(after each flood counter's own script), and the person is written after the session's
compare-and-set (see `sessions`, whose rules these keep).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..flow.session import Session
from .scripts import REMEMBERED
from .stored import Stored, reply_field


def read(store, key: str, counters: Sequence[tuple[str, int]], people: tuple[str, str] | None) -> Stored:
    """`SessionStore.read` on a cluster: the counters counted, then the session and the person."""
    person: list = []
    if counters or people:
        counts = [store.count(counter, ttl) for counter, ttl in counters]
        pipe = store.client.pipeline(transaction=False)
        pipe.hgetall(key)
        if people:
            pipe.exists(people[0])
            pipe.get(people[1])
        stored, *person = pipe.execute()
    else:
        stored, counts = store.client.hgetall(key), []
    return Stored(
        session=Session.from_json(stored[b"s"]) if b"s" in stored else None,
        version=int(stored.get(b"v", b"0")),
        requests=tuple(stored.get(b"q", b"").decode().split()),
        replies=tuple(stored.get(reply_field(stored.get(b"p"), k), b"").decode() for k in range(REMEMBERED)),
        counts=tuple(int(n) for n in counts),
        person=store.person(person),
    )


def write_person(client, people: tuple[str, str], opt_out: str, opt_out_ttl: int, lang: str, lang_ttl: int) -> None:
    """The person's opt-out ('set' or 'del') and language, each with its TTL, if either changes."""
    if not (opt_out or lang):
        return
    pipe = client.pipeline(transaction=False)
    if opt_out == "set":
        pipe.set(people[0], "1", ex=opt_out_ttl)
    elif opt_out == "del":
        pipe.delete(people[0])
    if lang:
        pipe.set(people[1], lang, ex=lang_ttl)
    pipe.execute()
