"""The Redis session store: hashed keys, TTLs, compare-and-set updates."""

from __future__ import annotations

import json

import pytest

from hotline.flow.session import Session
from hotline.store import Conflict, SessionStore


@pytest.fixture
def store(redis_client):
    return SessionStore(redis_client, "secret-one-that-is-long", voice_ttl=3600, sms_ttl=86400)


def test_texter_keys_are_keyed_hashes_not_numbers(store):
    key = store.texter_key("+12025550187")
    assert "2025550187" not in key and key.startswith("hotline:sms:") and len(key) == len("hotline:sms:") + 64
    other = SessionStore(store.client, "another-secret-entirely", 1, 1)
    assert other.texter_key("+12025550187") != key, "without the secret the hash cannot be recomputed"


def test_an_update_writes_json_with_the_channel_ttl(store, redis_client):
    result = store.update("hotline:call:CA1", "voice", lambda s: (Session("voice", "es", node="main"), "done"))
    assert result == "done"
    assert 3590 < redis_client.ttl("hotline:call:CA1") <= 3600
    assert json.loads(redis_client.hget("hotline:call:CA1", "s"))["lang"] == "es"
    store.update("hotline:call:CA1", "voice", lambda s: (s.update(node="strips"), None))
    assert redis_client.hget("hotline:call:CA1", "v") == b"2"


def test_a_concurrent_write_makes_the_update_retry_on_fresh_state(store, redis_client):
    store.update("k", "sms", lambda s: (Session("sms", "en", failures=0), None))
    seen = []

    def change(session):
        seen.append(session.failures)
        if len(seen) == 1:  # another request writes between our read and our write
            store.update("k", "sms", lambda s: (s.update(failures=s.failures + 1), None))
        return session.update(failures=session.failures + 1), None

    store.update("k", "sms", change)
    assert seen == [0, 1]
    assert json.loads(redis_client.hget("k", "s"))["failures"] == 2


def test_an_update_that_never_gets_through_raises(store):
    def always_interrupted(session):
        store.update("k", "sms", lambda s: ((s or Session("sms", "en")).update(failures=1), None))
        return Session("sms", "en"), None

    with pytest.raises(Conflict):
        store.update("k", "sms", always_interrupted)


def test_a_server_that_forgot_the_script_is_taught_it_again(store, redis_client):
    redis_client.script_flush()  # a new or restarted Redis knows no scripts
    store.update("k", "sms", lambda s: (Session("sms", "es"), None))
    store.update("k", "sms", lambda s: (s.update(failures=1), None))
    assert json.loads(redis_client.hget("k", "s"))["failures"] == 1
