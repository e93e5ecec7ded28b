"""What the console says when the app starts: a loud warning when Redis would lose the
revisions, and in development mode only, the demo sign-in.

Rules this module keeps:
- The revisions, drafts and accounts live only in Redis, so a Redis without append-only
  persistence (AOF) can lose published work at a restart. It is checked with INFO (which
  managed services allow where CONFIG is refused); a Redis that cannot be asked is warned
  about too. The hotline still starts: callers must be answered.
- Production never gets a default account. Development mode (`./dev serve`) makes one
  admin, `demo`, with a fresh password at every start and a known second-factor key, and
  prints both, so the quick start needs no set-up.
"""

from __future__ import annotations

import logging
import secrets

import pyotp
import redis

from .blueprint import console

log = logging.getLogger("hotline.console")
DEMO = "demo"


def persistence_problem(client) -> str | None:
    """None when Redis keeps an append-only file; else why the revisions are at risk."""
    try:
        info = client.info("persistence")
    except redis.RedisError as exc:
        return f"Redis could not be asked whether it saves its data ({exc.__class__.__name__})"
    if int(info.get("aof_enabled", 0)) != 1:
        return "Redis is running without append-only persistence (appendonly no)"
    return None


def announce(app) -> None:
    c = app.extensions["console"]
    client = c.hotline.store.client
    problem = persistence_problem(client)
    if problem:
        log.warning(
            "!!! CONSOLE DATA AT RISK: %s. Published revisions, drafts, accounts and the audit log live only in "
            "Redis and can be LOST when it restarts. Turn on AOF: `appendonly yes` and `appendfsync everysec` in "
            "redis.conf (docs/deploy.md, docs/console.md). !!!", problem)
    if c.hotline.config.development:
        with app.app_context():
            demo_login(console())


def demo_login(c) -> None:
    password = secrets.token_urlsafe(12)
    secret = pyotp.random_base32()
    try:
        if c.accounts.get(DEMO) is None:
            c.accounts.add(DEMO, "admin", password=password)
        else:
            c.accounts.reset(DEMO, password=password)
        c.accounts.enrol_totp(DEMO, secret)
    except redis.RedisError:
        log.warning("no demo sign-in: Redis cannot be reached")
        return
    log.warning(
        "DEVELOPMENT MODE: console demo sign-in at /console: name %s, password %s. Second step: add the key %s "
        "to an authenticator app, or get a code with: python3 -c \"import pyotp; print(pyotp.TOTP('%s').now())\"",
        DEMO, password, secret, secret)
