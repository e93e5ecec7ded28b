"""A call has ended (Twilio's status callback): its session is deleted and where it ended
is counted, in one round trip.

Rules this module keeps: the node the call ended on and the language it was in are read
from the session inside the same script that deletes it (`scripts.ENDED`), so the status
callback costs what a plain DEL did. On a Redis Cluster the session is read and deleted in
one pipeline (one key, one round trip) and the counts wait for the process's flush.
"""

from __future__ import annotations

import json

from ..flow.model import EndNode
from . import scripts
from .stats import Counting, length_bucket


def ended(store, key: str, counting: Counting, flows, seconds: int) -> None:
    """Delete the session at `key`; count `left:<node>`, `hangup:<node>` (ended anywhere but
    at an end node of `flows`) and the length bucket of `seconds` under the call's language."""
    languages = tuple(flows.languages.languages)
    end_nodes = [node_id for node_id, node in flows.flow.nodes.items() if isinstance(node, EndNode)]
    bucket = length_bucket(seconds)
    stats = store.stats
    if store.cluster:
        pipe = store.client.pipeline(transaction=False)
        pipe.hget(key, "s")
        pipe.delete(key)
        stored = store.breaker.call(pipe.execute)[0]
        if stored:
            session = json.loads(stored)
            node, lang = session.get("node"), session.get("lang")
            if isinstance(node, str):
                counting.add(lang, f"left:{node}")
                counting.add(lang, f"length:{bucket}")
                if node not in end_nodes:
                    counting.add(lang, f"hangup:{node}")
        stats.defer(counting.tally)
        return
    day_keys = [stats.day_key(counting.space, counting.day, "voice", lang) for lang in languages]
    args = [bucket, " ".join(end_nodes), counting.ttl, len(languages), *languages]
    stats.carried(None, lambda keys, tail: store.breaker.call(
        store.run_script, scripts.ENDED, [key, *day_keys, *keys], [*args, *tail]) is not None)
