"""Usage figures beyond one server: the console's simulator is never counted, and on a Redis
Cluster the counts are batched per process, spread over the masters, with no round trip of
their own in a webhook."""

from __future__ import annotations

import datetime as dt

from redis.cluster import RedisCluster

from hotline import create_app

from .conftest import SETTINGS, RoundTrips, Twilio
from .consolekit import Browser, add_account, console_app
from .test_scale import redis_cluster  # noqa: F401 - the fixture: three masters on loopback
from .test_usage_counts import CALLERS, STATS

ALONE = dt.datetime(2026, 3, 3, 18, 0, tzinfo=dt.UTC)


def test_the_consoles_simulator_is_never_counted(redis_client):
    app = console_app(**{key: STATS[key] for key in ("HOTLINE_TIME_ZONE", "HOTLINE_TEST_NUMBERS")})
    secret = add_account(app, "vera", "viewer")
    browser = Browser(app)
    browser.sign_in("vera", secret=secret)
    browser.get("/console/try")
    for channel, inputs in (("voice", [("key", "1"), ("key", "1"), ("key", "1")]), ("sms", [("text", "NARCAN")])):
        assert browser.post("/console/try/start", {"version": "published", "channel": channel, "lang": "en"}
                            ).status_code == 302
        for kind, value in inputs:
            assert browser.post("/console/try/send", {"kind": kind, "value": value}).status_code == 302
    assert "Give naloxone" in browser.text("/console/try"), "the conversation happened"
    assert redis_client.keys("hotline:*stats:*") == []


def test_on_a_cluster_counts_are_batched_and_spread_over_the_masters(redis_cluster, monkeypatch):  # noqa: F811
    # A day of its own: the cluster is shared with the other cluster tests, which count today.
    app = create_app({**SETTINGS, "REDIS_URL": redis_cluster, "HOTLINE_TIME_ZONE": "America/Los_Angeles",
                      "HOTLINE_STATS_FLUSH": "3600"}, clock=lambda: ALONE)  # flushed by the test itself
    twilio = Twilio(app.test_client())
    stats = app.extensions["hotline"].store.stats
    twilio.text("hello", caller=CALLERS[0])  # this process's month key, fetched once
    trips = RoundTrips(monkeypatch)
    for number, key in zip(CALLERS, ("1", "2", "1"), strict=True):
        call = twilio.call(number)
        call.start()
        call.press(key)
        twilio.text("NARCAN", caller=number)
    assert not any(b"HINCRBY" in sent or b"PFADD" in sent for sent in trips.sent), "nothing written in a webhook"
    assert stats.pending, "the counts wait in the process"
    stats.flush()
    assert not stats.pending
    cluster = RedisCluster.from_url(redis_cluster.replace("redis+cluster", "redis"))
    keys = set(cluster.scan_iter(match="hotline:stats:day:2026-03-03:*", target_nodes=RedisCluster.ALL_NODES))
    assert len({cluster.keyslot(key) for key in keys}) > 1, "not all in one slot"
    calls = sum(int(cluster.hget(key, "calls") or 0) for key in keys if b":voice:" in key)
    texts = sum(int(cluster.hget(key, "texts") or 0) for key in keys if b":sms:" in key)
    assert (calls, texts) == (3, 4)
    assert all(0 < cluster.ttl(key) <= 402 * 86400 for key in keys)
