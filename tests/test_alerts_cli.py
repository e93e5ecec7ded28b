"""`flask hotline alerts new|send|approve|status|cancel|reports`, as a coordinator types them."""

from __future__ import annotations

import re

import pytest

from hotline.outbound.broadcasts import CANCELLED, SCHEDULED

from .alerts_support import DAYTIME, Clock, FakeTwilio, alerts_app, subscribe_many
from .conftest import SETTINGS, Twilio, create_app
from .test_alerts_sending import work

SKIP = ["--skip", "zh", "--skip", "vi", "--skip", "fil", "--skip", "fr", "--skip", "ar", "--skip", "ht"]


@pytest.fixture
def app(redis_client, httpserver):
    return alerts_app(FakeTwilio(httpserver).url, Clock(DAYTIME))


def run(app, *args):
    return app.test_cli_runner().invoke(args=["hotline", "alerts", *args])


def new(app, *extra) -> str:
    done = run(app, "new", "--by", "ana", "--text", "Alert: strong batch in the Mission. Call {emergency}.",
               "--translation", "es=Alerta: lote fuerte en la Mission. Llame al {emergency}.", *SKIP, *extra)
    assert done.exit_code == 0, done.output
    return re.search(r"alert (\w+) saved as a draft", done.output).group(1)


def test_new_shows_each_language_its_cost_and_what_is_missing(app):
    alerts = app.extensions["alerts"]
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 2, lang="es", start=40)
    done = run(app, "new", "--by", "ana", "--text", "Alert: strong batch. Call {emergency}.", "--area", "oakland",
               "--area", "san_francisco")
    assert done.exit_code == 0, done.output
    assert "English: 1 segment(s) x 12 subscribers = 12 segments" in done.output
    assert "Español: NOT DECIDED" in done.output
    assert "to fix: Español has no translation: translate it, or choose to send it the English, or to skip it." \
        in done.output
    assert "+1202" not in done.output


def test_send_approve_status_and_cancel(app):
    broadcast_id = new(app)
    sent = run(app, "send", broadcast_id, "--by", "ana")
    assert f"alert {broadcast_id} waits for a second publisher" in sent.output
    refused = run(app, "approve", broadcast_id, "--by", "ana")
    assert refused.exit_code == 1
    assert "a second publisher must approve it (the two-person rule)" in refused.output
    approved = run(app, "approve", broadcast_id, "--by", "ben")
    assert approved.exit_code == 0 and f"approved by ben; it is {SCHEDULED}" in approved.output
    shown = run(app, "status", broadcast_id)
    assert f"alert {broadcast_id} by ana: scheduled" in shown.output
    assert "total 0, queued 0, sent 0, delivered 0, undelivered 0, failed 0" in shown.output
    assert run(app, "cancel", broadcast_id).output.strip() == f"alert {broadcast_id} is {CANCELLED}"
    assert "nothing left to cancel" in run(app, "cancel", broadcast_id).output
    listed = run(app, "status")
    assert broadcast_id in listed.output and "cancelled" in listed.output


def test_the_terminal_suppresses_under_the_configured_small_cell_limit(redis_client, httpserver):
    app = alerts_app(FakeTwilio(httpserver).url, Clock(DAYTIME), HOTLINE_SMALL_CELLS="20")
    alerts = app.extensions["alerts"]
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 25, lang="es", start=40)
    drafted = run(app, "new", "--by", "ana", "--text", "Alert: strong batch. Call {emergency}.",
                  "--translation", "es=Alerta: lote fuerte. Llame al {emergency}.", *SKIP)
    assert "English: 1 segment(s) x fewer than 20 subscribers = fewer than 20 segments" in drafted.output
    assert "Español: 1 segment(s) x 25 subscribers = 25 segments" in drafted.output
    listed = run(app, "status").output
    assert "San Francisco, en: fewer than 20" in listed and "San Francisco, es: 25" in listed
    assert not re.search(r"\b12\b", listed), "the small cell's size is not shown (an alert's random id may hold '12')"


def test_status_of_a_sending_that_counted_a_small_cell_shows_its_size_as_a_range(app, redis_client):
    alerts = app.extensions["alerts"]
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 3, area="oakland", start=200)
    broadcast_id = new(app, "--urgent")
    run(app, "send", broadcast_id, "--by", "ana")
    run(app, "approve", broadcast_id, "--by", "ben")
    work(app, redis_client)
    shown = run(app, "status", broadcast_id).output
    assert "total 13 to 21, queued not shown, sent not shown, delivered not shown, undelivered 0, failed 0" in shown
    assert "dealt with: about 100%" in shown and "fewer than 10 subscribers, so how many it was for is a range" in shown
    assert not re.search(r"\b15\b", shown)


def test_bad_input_gets_plain_answers(app):
    late = run(app, "new", "--by", "a", "--text", "x", "--at", "tomorrow")
    assert "write the time as YYYY-MM-DD HH:MM" in late.output
    assert "is in the past" in run(app, "new", "--by", "a", "--text", "x", "--at", "2020-01-01 09:00").output
    assert "write a translation as LANG=TEXT" in run(app, "new", "--by", "a", "--text", "x",
                                                     "--translation", "es").output
    assert "There is no alert 'nope'" in run(app, "approve", "nope", "--by", "ben").output
    leaky = run(app, "new", "--by", "a", "--text", "Alert {emergency}", "--translation", "es=Alerta", *SKIP)
    assert "The Español text leaves out {emergency}" in leaky.output
    assert "not an area in alerts.yaml" in run(app, "new", "--by", "a", "--text", "x", "--area", "mars").output


def test_reports_lists_them_without_numbers(app):
    Twilio(app.test_client()).text("REPORT pink powder at the park, very strong")
    shown = run(app, "reports")
    assert "pink powder at the park, very strong" in shown.output and "+1" not in shown.output


def test_alerts_commands_say_so_when_alerts_are_off(redis_client):
    done = create_app(SETTINGS).test_cli_runner().invoke(args=["hotline", "alerts", "status"])
    assert done.exit_code == 1 and "alerts are off: set HOTLINE_ALERTS=on" in done.output
