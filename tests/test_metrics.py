"""/metrics: off without HOTLINE_METRICS_TOKEN, refused without the bearer token, and in
the Prometheus text format (read back with prometheus_client's own parser)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from hotline import create_app

from .conftest import NOW, SETTINGS, Twilio

TOKEN = "metrics-token-for-tests"


def scrape(client, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/metrics", headers=headers)


def families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def test_metrics_are_off_without_a_token(redis_client):
    client = create_app(SETTINGS, clock=lambda: NOW).test_client()
    assert scrape(client).status_code == 404


def test_metrics_are_refused_without_the_right_bearer_token(redis_client):
    client = create_app({**SETTINGS, "HOTLINE_METRICS_TOKEN": TOKEN}, clock=lambda: NOW).test_client()
    for token in (None, "wrong", TOKEN + "x"):
        response = scrape(client, token)
        assert response.status_code == 401 and b"hotline_requests" not in response.data


def test_metrics_count_requests_webhook_time_and_safe_answers(redis_client):
    app = create_app({**SETTINGS, "HOTLINE_METRICS_TOKEN": TOKEN}, clock=lambda: NOW)
    twilio = Twilio(app.test_client())
    before = families(scrape(app.test_client()).get_data(as_text=True))
    base = {tuple(s.labels.items()): s.value for s in before["hotline_requests"].samples}
    call = twilio.call()
    call.start()
    call.press("1")
    assert twilio.post("/twilio/voice", {"From": "+12025550100"}).status_code == 400  # no CallSid
    broken = Twilio(create_app({**SETTINGS, "HOTLINE_METRICS_TOKEN": TOKEN,
                                "REDIS_URL": "redis://127.0.0.1:1/0"}).test_client())
    broken.text("hello")
    response = scrape(app.test_client())
    assert response.status_code == 200 and response.mimetype == "text/plain"
    found = families(response.get_data(as_text=True))
    requests = {tuple(s.labels.items()): s.value for s in found["hotline_requests"].samples
                if s.name == "hotline_requests_total"}

    def grew(route, status):
        key = (("route", route), ("status", status))
        return requests.get(key, 0) - base.get(key, 0)

    assert grew("/twilio/voice", "200") == 1 and grew("/twilio/voice/step", "200") == 1
    assert grew("/twilio/voice", "400") == 1
    latency = found["hotline_webhook_seconds"]
    counts = {s.labels["route"]: s.value for s in latency.samples if s.name == "hotline_webhook_seconds_count"}
    assert counts["/twilio/voice/step"] >= 1
    assert any(s.labels.get("le") == "1.0" for s in latency.samples), "a bucket at 1 s, for the p99 alert"
    safe = {s.labels["channel"]: s.value for s in found["hotline_safe_answers"].samples
            if s.name == "hotline_safe_answers_total"}
    assert safe["sms"] >= 1
    assert sum(s.value for s in found["hotline_redis_errors"].samples if s.name.endswith("_total")) >= 1
    assert "hotline_reloads" in found and "hotline_revisions_published" in found
    text = response.get_data(as_text=True)
    assert "+1202" not in text and "CA0000" not in text, "totals only: no number or CallSid"
