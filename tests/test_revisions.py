"""Revisions in Redis: numbering, publishing against the revision a draft started from, and
surviving a restart of a real redis-server with append-only persistence (AOF)."""

from __future__ import annotations

import logging

import pytest
import redis

from hotline.console.startup import persistence_problem
from hotline.state.revisions import RevisionStore, Stale, read_files, write_files

from .conftest import FIXTURE
from .consolekit import console_app
from .servers import RedisServer

FILES = {"flows/hotline.yaml": "start: a\n", "locales/messages.pot": ""}


def test_publishing_numbers_revisions_and_refuses_a_stale_base(redis_client):
    store = RevisionStore(redis_client)
    assert store.published() is None
    first = store.publish(FILES, "ana", "first", expected=None)
    second = store.publish({**FILES, "flows/hotline.yaml": "start: b\n"}, "ben", "second", expected=1)
    assert (first.number, second.number, store.published_number()) == (1, 2, 2)
    with pytest.raises(Stale) as stale:
        store.publish(FILES, "cy", "from an old draft", expected=1)
    assert stale.value.published == 2 and store.published_number() == 2
    assert [(r.number, r.author, r.note) for r in store.history()] == [(2, "ben", "second"), (1, "ana", "first")]
    assert store.get(1).files == FILES


def test_drafts_are_kept_per_person_and_expire(redis_client):
    store = RevisionStore(redis_client)
    store.save_draft("ana", 1, FILES)
    assert store.draft("ana").files == FILES and store.draft("ben") is None
    assert redis_client.ttl("{hotline:revisions}:draft:ana") > 0
    store.drop_draft("ana")
    assert store.draft("ana") is None


def test_files_round_trip_and_only_flow_files_and_catalogues_are_written(tmp_path):
    files = read_files(FIXTURE / "flows", FIXTURE / "locales")
    assert {"flows/hotline.yaml", "flows/languages.yaml", "flows/services.yaml", "locales/messages.pot",
            "locales/es/LC_MESSAGES/messages.po"} <= set(files)
    write_files(files, tmp_path)
    assert read_files(tmp_path / "flows", tmp_path / "locales") == files
    for name in ("../escape.yaml", "flows/../../x.yaml", "hotline/__init__.py", "locales/es/x.po"):
        with pytest.raises(ValueError):
            write_files({name: ""}, tmp_path / "other")


def test_every_revision_survives_a_redis_restart_with_aof(tmp_path, caplog):
    server = RedisServer(tmp_path, ("--appendonly", "yes", "--appendfsync", "always"))
    server.start()
    try:
        client = redis.Redis.from_url(server.url)
        assert persistence_problem(client) is None
        store = RevisionStore(client)
        for n in range(1, 6):
            store.publish({**FILES, "flows/hotline.yaml": f"start: n{n}\n"}, "ana", f"revision {n}",
                          expected=n - 1 if n > 1 else None)
        store.save_draft("ben", 5, FILES)
        server.kill()  # no clean shutdown: what the append-only file holds is all there is
        server.start()
        store = RevisionStore(redis.Redis.from_url(server.url))
        assert store.published_number() == 5
        assert [store.get(n).files["flows/hotline.yaml"] for n in range(1, 6)] == [
            f"start: n{n}\n" for n in range(1, 6)]
        assert store.draft("ben").files == FILES
    finally:
        server.kill()


def test_start_up_warns_loudly_when_redis_would_lose_the_revisions(redis_client, caplog):
    caplog.set_level(logging.WARNING)
    console_app()
    assert "CONSOLE DATA AT RISK" in caplog.text and "appendonly" in caplog.text


def test_a_redis_away_at_start_up_still_serves_the_files(caplog):
    app = console_app(REDIS_URL="redis://127.0.0.1:1/0")
    assert app.extensions["hotline"].published.bundle.revision is None
    assert "serving flows/ and locales/ from disk" in caplog.text


def test_health_tells_whether_the_published_revision_is_served(redis_client):
    app = console_app()
    client = app.test_client()
    served = client.get("/healthz")
    assert served.status_code == 200
    assert served.json["status"] == "ok" and served.json["flows"] == "served as published"
    live = app.extensions["hotline"].published
    broken = {**live.revisions.published().files, "flows/hotline.yaml": "nodes: [\n"}
    live.revisions.publish(broken, "ana", "broken behind the check's back", expected=live.bundle.revision)
    refused = client.get("/healthz")  # HOTLINE_RELOAD_SECONDS=0: this request looks at Redis
    assert refused.status_code == 200 and refused.json["status"] == "degraded"
    assert refused.json["flows"].startswith("the published revision fails the check")
    assert app.extensions["hotline"].published.bundle.revision == 1, "the last good revision is still served"
