"""Redis memory of the usage figures, per 10,000 calls and texts counted.

The figures are counters per day, channel and language (hashes of measures named by the
flow's node and service ids) and one HyperLogLog per day and channel: they grow with the
nodes and services used and the days, not with the calls. This reads what a run left in
the benchmark's Redis and says how much that is per 10,000 calls and texts.
"""

from __future__ import annotations


def stats_memory(client) -> dict:
    """{'bytes', 'keys', 'contacts', 'per_10000'} of the `hotline:stats:*` keys now in Redis."""
    size, keys, contacts = 0, 0, 0
    for key in client.scan_iter(match="hotline:stats:*", count=1000):
        keys += 1
        size += client.memory_usage(key) or 0
        if key.startswith(b"hotline:stats:day:"):
            counts = client.hmget(key, "calls", "texts")
            contacts += sum(int(n) for n in counts if n)
    per = size / contacts * 10_000 if contacts else 0.0
    return {"bytes": size, "keys": keys, "contacts": contacts, "per_10000": per}
