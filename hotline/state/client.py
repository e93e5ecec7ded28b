"""The Redis client `REDIS_URL` names: one server, or a Redis Cluster reached through any node.

Rules this module keeps:
- A slow or absent Redis never keeps a caller waiting: short timeouts, no back-off.
- A cluster is first contacted at its first command, so a hotline started while it is
  away still answers callers (with the safe message).
"""

from __future__ import annotations

import redis
from redis.backoff import NoBackoff
from redis.cluster import RedisCluster
from redis.retry import Retry

CLUSTER_SCHEMES = {"redis+cluster": "redis", "rediss+cluster": "rediss"}


def connect(url: str, timeout: float):
    """The client `REDIS_URL` names: one server, or a Redis Cluster by any node's address.

    `redis://`, `rediss://` and `unix://` reach one server (or a proxy in front of many);
    `redis+cluster://host:port` and `rediss+cluster://` reach a cluster, whose other nodes
    are discovered. A slow or absent Redis must not keep a caller waiting: a short timeout
    and no retries with back-off (redis-py's default would wait many seconds). One immediate
    retry on a broken connection lets a pooled connection from before a Redis restart be
    replaced without the caller noticing. A cluster is first contacted at the first
    command, not here: a hotline started while it is away still answers callers (with the
    safe message).
    """
    scheme, _, rest = url.partition("://")
    if scheme in CLUSTER_SCHEMES:
        real = f"{CLUSTER_SCHEMES[scheme]}://{rest}"
        return LazyCluster(lambda: RedisCluster.from_url(real, socket_timeout=timeout, socket_connect_timeout=timeout))
    return redis.Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
    )


class LazyCluster:
    """A cluster client built at its first use, and built again at the next use if that failed."""

    def __init__(self, build):
        self._build, self._client = build, None

    def __getattr__(self, name: str):
        if self._client is None:
            self._client = self._build()
        return getattr(self._client, name)
