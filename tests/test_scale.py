"""Beyond one process: state lives only in Redis, a single server or a Redis Cluster.

Two real gunicorn processes answer alternate steps of the same conversations, and whole
conversations run through a three-master Redis Cluster started on loopback for the test.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from urllib.request import urlopen

import pytest
import redis
from redis.cluster import RedisCluster

from hotline import create_app
from hotline.config import ConfigError

from .conftest import ROOT, SETTINGS, Twilio, check_voice, spoken, words
from .servers import free_port, post, server_command, stop, wait_for

# -- two app processes -----------------------------------------------------------------


@pytest.fixture
def two_processes(redis_client):
    """Two separate gunicorn processes serving the hotline on one Redis; yields their ports."""
    ports, processes = [free_port(), free_port()], []
    env = {**os.environ, **SETTINGS}
    try:
        for port in ports:
            processes.append(subprocess.Popen(server_command(port, 1), cwd=ROOT, env=env, stdout=subprocess.DEVNULL))
        for port in ports:
            wait_for(lambda port=port: urlopen(f"http://127.0.0.1:{port}/healthz").status == 200, f"port {port}")
        yield ports
    finally:
        stop(processes)


def test_one_call_and_one_texter_answered_alternately_by_two_processes(two_processes, redis_client):
    first, second = two_processes
    call = {"CallSid": "CA" + "7" * 32, "From": "+12025550161", "To": "+12025550100"}
    steps = [
        (first, "/twilio/voice", {}), (second, "/twilio/voice/step", {"Digits": "2"}),
        (first, "/twilio/voice/step", {"Digits": "1"}), (second, "/twilio/voice/step", {"Digits": "1"}),
        (first, "/twilio/voice/step", {"Digits": "#"}), (second, "/twilio/voice/step", {"Digits": "0"}),
        (first, "/twilio/voice/dial", {"DialCallStatus": "no-answer"}),
    ]
    answers = []
    for port, path, extra in steps:
        root = post(port, path, {**call, **extra})
        check_voice(root)
        answers.append(root)
    # Spanish was chosen on one process; every later answer, from either, is in Spanish.
    for root in answers[1:]:
        assert {language for language, _ in spoken(root)} == {"es-US"}, spoken(root)
    assert answers[3].find(".//prosody") is not None, "guidance from the overdose menu chosen on the other process"
    assert answers[5].find("Dial") is not None
    assert "Nadie contestó" in words(answers[6]) and answers[6].find(".//prosody") is not None

    texter = {"From": "+12025550162", "To": "+12025550100"}
    replies = [post(port, "/twilio/sms", {**texter, "Body": body}).find("Message").text
               for port, body in [(first, "ES"), (second, "1"), (first, "2")]]
    assert "Responda con un numero" in replies[0]  # texted in GSM-7: no accents
    assert "Responda con un numero" in replies[1] and replies[1] != replies[0], "the overdose menu, in Spanish"
    assert "911" in replies[2], "the signs of an overdose, chosen from the menu the other process sent"


# -- Redis Cluster ---------------------------------------------------------------------


def cluster_ports(count: int = 3) -> list[int]:
    """Ports free for a node and for its cluster bus (port + 10000)."""
    ports = []
    for port in range(7101, 7400):
        if all(_free(p) for p in (port, port + 10000)):
            ports.append(port)
            if len(ports) == count:
                return ports
    pytest.skip("no free ports for a test Redis Cluster")


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
def redis_cluster(tmp_path_factory):
    """Three masters, no replicas, on loopback; yields a `redis+cluster://` URL."""
    if not (shutil.which("redis-server") and shutil.which("redis-cli")):
        pytest.skip("redis-server and redis-cli are needed for the Redis Cluster test (apt-get install redis-server)")
    directory, ports, processes = tmp_path_factory.mktemp("cluster"), cluster_ports(), []
    try:
        for port in ports:
            processes.append(subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                 "--cluster-config-file", f"nodes-{port}.conf", "--cluster-node-timeout", "2000",
                 "--save", "", "--appendonly", "no", "--dir", str(directory), "--loglevel", "warning"],
                stdout=subprocess.DEVNULL,
            ))
        for port in ports:
            wait_for(redis.Redis(port=port).ping, f"redis-server on {port}")
        subprocess.run(["redis-cli", "--cluster", "create", *(f"127.0.0.1:{p}" for p in ports),
                        "--cluster-replicas", "0", "--cluster-yes"], check=True, capture_output=True, timeout=30)
        for port in ports:
            wait_for(lambda port=port: redis.Redis(port=port).cluster("info")["cluster_state"] == "ok",
                     f"cluster state on {port}")
        yield f"redis+cluster://127.0.0.1:{ports[0]}"
    finally:
        stop(processes)


def test_whole_conversations_run_through_a_redis_cluster(redis_cluster):
    app = create_app({**SETTINGS, "REDIS_URL": redis_cluster})
    twilio = Twilio(app.test_client())
    store = app.extensions["hotline"].store
    calls = []
    for i in range(8):
        call = twilio.call(caller=f"+1202555012{i}")
        call.start()
        spanish = i % 2 == 0
        menu = call.press("2" if spanish else "1")
        assert {language for language, _ in spoken(menu)} == {"es-US" if spanish else "en-US"}
        call.press("2")  # test strips
        guidance = call.press("1")  # fentanyl test strips
        assert guidance.find(".//prosody") is not None
        call.press("#")
        call.press("#")
        assert call.press("0").find("Dial") is not None
        assert call.dial_result("completed")[-1].tag == "Hangup"
        calls.append(call)
    for i in range(4):
        assert "Responda" in twilio.text("ES", caller=f"+1202555013{i}")
        assert "911" in twilio.text("NARCAN", caller=f"+1202555013{i}")

    cluster = RedisCluster.from_url(redis_cluster.replace("redis+cluster", "redis"))
    keys = [store.call_key(call.sid) for call in calls] + [store.texter_key(f"+1202555013{i}") for i in range(4)]
    owners = {cluster.get_node_from_key(key).port for key in keys}
    assert len(owners) > 1, "sessions are spread over the masters"
    for key in keys:
        assert cluster.hget(key, "v") is not None and 0 < cluster.ttl(key) <= 86400
        # The documented rule for keys that must change together with a session.
        assert cluster.keyslot(f"{{{key}}}:notes") == cluster.keyslot(key)
    twilio.post("/twilio/status", {"CallSid": calls[0].sid, "CallStatus": "completed"})
    assert cluster.exists(keys[0]) == 0, "a finished call is forgotten on whichever master held it"
    # The person's keys live in other slots than the session: read and written beside it.
    again = twilio.call(caller="+12025550120").start()
    assert "Para otro idioma, oprima numeral." in words(again), "the Spanish chosen last time is remembered"
    texter = "+12025550130"
    assert twilio.sms("STOP", caller=texter) is None and store.is_opted_out(texter)
    assert twilio.sms("NARCAN", caller=texter) is None
    assert twilio.sms("FORGET", caller=texter) is None
    assert store.is_opted_out(texter) and cluster.exists(*store.person_keys(texter)[1:], store.texter_key(texter)) == 0
    assert "Volvera a recibir" in twilio.text("COMENZAR", caller=texter) and not store.is_opted_out(texter)
    assert app.test_client().get("/healthz").json["redis"] is True


def test_a_hotline_whose_cluster_is_away_starts_and_answers_with_the_safe_message(redis_client):
    app = create_app({**SETTINGS, "REDIS_URL": f"redis+cluster://127.0.0.1:{free_port()}"})
    twilio = Twilio(app.test_client())
    root = twilio.call().start()
    check_voice(root)
    assert "having a problem" in words(root)
    assert app.test_client().get("/healthz").json["redis"] is False


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379", "127.0.0.1:6379", "redis+sentinel://127.0.0.1"])
def test_a_redis_url_the_hotline_cannot_use_stops_the_start_with_one_line(url):
    with pytest.raises(ConfigError, match="REDIS_URL must start with redis://"):
        create_app({**SETTINGS, "REDIS_URL": url})
