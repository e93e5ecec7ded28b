"""Run the store's two Lua scripts over a connection each process and thread keeps.

Every webhook makes two Redis calls, and redis-py's general path for one (borrow a
connection from the pool and health-check it, retry and metrics wrappers, give the
connection back) cost more CPU than sending the command and reading the reply: about
70 µs a call against 30 on the benchmark machine (docs/deploy.md, "Profile"). Holding a
connection skips all of that and keeps what matters of the client's behaviour:

- the connection is made by the client's own pool, so it has the same address,
  credentials, database and timeouts;
- one immediate retry on a broken connection (a Redis restart), as `store.connect`
  configures for the rest, and a script the server has forgotten is loaded again;
- one connection per process and thread: a forked worker never uses its parent's, and
  a connection goes away with the thread that held it.

Only a single Redis server (or a proxy) is reached this way; a cluster client routes each
key to its node itself and keeps redis-py's path.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence

import redis
from redis.commands.core import Script
from redis.exceptions import NoScriptError


class HeldConnection:
    def __init__(self, client: redis.Redis):
        self.pool = client.connection_pool
        self._local = threading.local()

    def _connection(self):
        held = getattr(self._local, "connection", None)
        if held is None or held.pid != os.getpid():
            held = self._local.connection = self.pool.make_connection()
        return held

    def run(self, script: Script, keys: Sequence, args: Sequence):
        """EVALSHA `script`, as `script(keys=keys, args=args)` would, on the held connection."""
        connection = self._connection()
        try:
            return self._evalsha(connection, script, keys, args)
        except redis.ConnectionError:
            connection.disconnect()  # the next command connects again
            return self._evalsha(connection, script, keys, args)

    @staticmethod
    def _evalsha(connection, script: Script, keys: Sequence, args: Sequence):
        try:
            connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
            return connection.read_response()
        except NoScriptError:
            connection.send_command("SCRIPT", "LOAD", script.script)
            connection.read_response()
            connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
            return connection.read_response()
