"""Run the store's reads and writes over a connection each process and thread keeps.

Every webhook makes two Redis calls, and redis-py's general path for one (borrow a
connection from the pool and health-check it, retry and metrics wrappers, give the
connection back) cost more CPU than sending the command and reading the reply: about
70 µs a call against 30 on the benchmark machine (docs/deploy.md, "Profile"). Holding a
connection skips all of that and keeps what matters of the client's behaviour:

- the connection is built from the client's pool settings, so it has the same address,
  credentials, database and timeouts (but outside the pool's count, see `_connection`);
- one immediate retry on a broken connection (a Redis restart), as `client.connect`
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

import hiredis
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
            # Built as the pool builds its own, but outside its count: a thread that ends
            # takes its connection with it, and the count would never go down again.
            held = self._local.connection = self.pool.connection_class(**self.pool.connection_kwargs)
        return held

    def command(self, *args):
        """One plain command on the held connection."""
        return self._retrying(self._command, *args)

    def run(self, script: Script, keys: Sequence, args: Sequence):
        """EVALSHA `script`, as `script(keys=keys, args=args)` would, on the held connection."""
        return self._retrying(self._evalsha, script, keys, args)

    def _retrying(self, send, *args):
        connection = self._connection()
        try:
            return send(connection, *args)
        except redis.ConnectionError:
            connection.disconnect()  # the next command connects again
            return send(connection, *args)

    @staticmethod
    def _command(connection, *args):
        # hiredis packs the command itself: the client's packer first copies every argument
        # through a generator and type checks (a write carries 20-30 arguments).
        connection.send_packed_command([hiredis.pack_command(args)])
        return connection.read_response()

    @classmethod
    def _evalsha(cls, connection, script: Script, keys: Sequence, args: Sequence):
        try:
            return cls._command(connection, "EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:
            cls._command(connection, "SCRIPT", "LOAD", script.script)
            return cls._command(connection, "EVALSHA", script.sha, len(keys), *keys, *args)
