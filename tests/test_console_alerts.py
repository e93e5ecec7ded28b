"""Alerts in the console over HTTP: composing with a slot per language, the two-person rule
between two signed-in publishers, schedules, cancelling, progress from a real RQ worker and
Twilio's status callbacks, subscriber figures, the bad-batch reports; CSRF, roles, audit."""

from __future__ import annotations

import html
import re

import pytest

from hotline import create_app
from hotline.outbound.broadcasts import AWAITING, CANCELLED, DRAFT, SCHEDULED, SENT

from .alerts_support import NIGHT, Clock, FakeTwilio, alert_settings, subscribe_many
from .conftest import Twilio
from .consolekit import CONSOLE, FAST_HASHER, console_app, signed_in
from .test_alerts_sending import work

ENGLISH = "Alert: strong fentanyl in blue pills in the Mission. Carry naloxone. Call {emergency}."
SPANISH = "Alerta: fentanilo fuerte en pastillas azules en la Mission. Lleve naloxona. Llame al {emergency}."
OTHERS = ("zh", "vi", "fil", "fr", "ar", "ht")


@pytest.fixture
def fake(httpserver):
    return FakeTwilio(httpserver)


@pytest.fixture
def app(redis_client, fake):
    return console_app(**alert_settings(fake.url))


@pytest.fixture
def alerts(app):
    return app.extensions["alerts"]


def form(english=ENGLISH, spanish=SPANISH, then="save", **extra) -> dict:
    data = {"english": english, "choice-es": "translate", "text-es": spanish, "when": "now", "then": then}
    data.update({f"choice-{lang}": "skip" for lang in OTHERS})
    data.update(extra)
    return data


def saved_id(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return re.search(r"/console/alerts/(\w+)$", response.location).group(1)


def visible(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_compose_ask_and_only_a_second_publisher_approves(app, alerts):
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 3, lang="es", start=100)
    ana, ben = signed_in(app, "ana", "publisher"), signed_in(app, "ben", "publisher")
    page = visible(ana.text("/console/alerts/new"))
    assert "The alert, in English" in page and "Español" in page and "Kreyòl" in page
    broadcast_id = saved_id(ana.post("/console/alerts/save", form(**{"choice-fr": "translate"})))
    page = visible(ana.text(f"/console/alerts/{broadcast_id}"))
    assert "1 segment × 12 subscribers = 12 segments" in page
    assert "1 segment × fewer than 10 subscribers = fewer than 10 segments" in page
    assert "Français has no translation: translate it, or choose to send it the English, or to skip it." in page
    refused = ana.post("/console/alerts/save", form(then="submit", id=broadcast_id, **{"choice-fr": "translate"}))
    assert "it cannot go yet: Français has no translation" in visible(ana.text(refused.location))
    assert alerts.broadcasts.get(broadcast_id).state == DRAFT
    ana.post("/console/alerts/save", form(then="submit", id=broadcast_id, **{"choice-fr": "english"}))
    stored = alerts.broadcasts.get(broadcast_id)
    assert (stored.state, stored.author, stored.english_for) == (AWAITING, "ana", ("fr",))
    page = visible(ana.text(f"/console/alerts/{broadcast_id}"))
    assert "You wrote this alert: a second publisher must approve it" in page and "Approve and send" not in page
    ana.post(f"/console/alerts/{broadcast_id}/approve")  # the author, by hand: refused all the same
    page = visible(ana.text(f"/console/alerts/{broadcast_id}"))
    assert "a second publisher must approve it (the two-person rule)" in page
    assert alerts.broadcasts.get(broadcast_id).state == AWAITING
    page = visible(ben.text(f"/console/alerts/{broadcast_id}"))
    assert SPANISH.replace("{emergency}", "911") in page and "(the English)" in page
    ben.post(f"/console/alerts/{broadcast_id}/approve")
    stored = alerts.broadcasts.get(broadcast_id)
    assert (stored.state, stored.approver) == (SCHEDULED, "ben")
    what = [(e.who, e.what) for e in app.extensions["console"].audit.recent()]
    assert ("ben", "alert-approve") in what and ("ana", "alert-submit") in what and ("ana", "alert-new") in what


def test_the_measure_shows_each_language_as_typed_and_a_dropped_placeholder(app, alerts):
    subscribe_many(alerts, 20, lang="es")
    ana = signed_in(app, "ana", "publisher")
    ana.get("/console/alerts/new")
    dropped = "Alerta: fentanilo fuerte en pastillas azules. Lleve naloxona." + " Muy peligroso." * 8
    answer = ana.post("/console/alerts/measure", form(spanish=dropped), headers={"HX-Request": "true"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "The Español text leaves out {emergency}: put it back" in html.unescape(text)
    assert re.search(r'id="cost-es" hx-swap-oob="true">2 segments × 20 subscribers = 40 segments<', text)
    assert 'id="cost-zh" hx-swap-oob="true">Nothing is sent in this language.<' in text
    # Saved as it is (nothing typed is lost), and refused when asked to go.
    broadcast_id = saved_id(ana.post("/console/alerts/save", form(spanish=dropped, then="submit")))
    assert alerts.broadcasts.get(broadcast_id).state == DRAFT
    assert alerts.broadcasts.get(broadcast_id).translations["es"] == dropped


def test_the_cost_of_all_areas_against_all_but_one_gives_no_small_count_back(app, alerts):
    subscribe_many(alerts, 12)
    ana = signed_in(app, "ana", "publisher")
    ana.get("/console/alerts/new")

    def costs() -> list[str]:
        found = []
        for areas in ([], ["san_francisco"], ["oakland"], ["san_francisco", "oakland"]):
            text = ana.post("/console/alerts/measure", {**form(), "areas": areas}, headers={"HX-Request": "true"})
            found += re.findall(r'id="cost-(?:en|es)" hx-swap-oob="true">([^<]*)<', text.get_data(as_text=True))
        return found

    subscribe_many(alerts, 2, area="oakland", start=200)
    before = costs()
    assert "1 segment × 13 to 21 subscribers = 13 to 21 segments" in before, "all areas: Oakland's 1 to 9 counted"
    assert "1 segment × 12 subscribers = 12 segments" in before, "San Francisco alone: every cell shown, exact"
    subscribe_many(alerts, 5, area="oakland", start=300)
    assert costs() == before, "the figures shown do not move with a count under 10"


def test_a_schedule_is_read_in_the_programme_time_and_a_past_one_keeps_the_form(app, alerts):
    ana = signed_in(app, "ana", "publisher")
    ana.get("/console/alerts/new")
    past = ana.post("/console/alerts/save", form(when="at", send_at="2026-11-20T09:30"))
    assert past.status_code == 400
    page = visible(past.get_data(as_text=True))
    assert "2026-11-20 09:30 (America/Los_Angeles) has already passed" in page
    assert ENGLISH in page and SPANISH in page and alerts.broadcasts.recent() == []
    garbled = ana.post("/console/alerts/save", form(when="at", send_at="tomorrow"))
    assert garbled.status_code == 400 and "like 2026-12-04 09:30" in visible(garbled.get_data(as_text=True))
    broadcast_id = saved_id(ana.post("/console/alerts/save", form(when="at", send_at="2026-12-04T09:30",
                                                                  urgent="on", areas=["oakland"])))
    stored = alerts.broadcasts.get(broadcast_id)
    assert (stored.send_at, stored.urgent, stored.areas) == (1796405400, True, ("oakland",))
    assert 'value="2026-12-04T09:30"' in ana.text(f"/console/alerts/{broadcast_id}")


def test_cancel_and_progress_from_a_real_worker_and_status_callbacks(app, alerts, fake, redis_client):
    subscribe_many(alerts, 12)
    ana, ben = signed_in(app, "ana", "publisher"), signed_in(app, "ben", "admin")
    ana.get("/console/alerts/new")
    cancelled = saved_id(ana.post("/console/alerts/save", form(then="submit")))
    ana.post(f"/console/alerts/{cancelled}/cancel")
    assert alerts.broadcasts.get(cancelled).state == CANCELLED
    assert "nothing left to cancel" in visible(ana.text(ana.post(f"/console/alerts/{cancelled}/cancel").location))
    broadcast_id = saved_id(ana.post("/console/alerts/save", form(then="submit", urgent="on")))
    ben.get(f"/console/alerts/{broadcast_id}")
    ben.post(f"/console/alerts/{broadcast_id}/approve")
    page = ana.text(f"/console/alerts/{broadcast_id}/progress")
    assert 'hx-trigger="every 2s"' in page and "approved, waiting for its time" in page
    work(app, redis_client)
    assert len(fake.sent) == 12
    tw = Twilio(app.test_client())
    for message, status in zip(fake.sent[:3], ("delivered", "delivered", "undelivered"), strict=True):
        tw.post("/twilio/alerts/status", {"MessageSid": message["sid"], "MessageStatus": status})
    page = ana.text(f"/console/alerts/{broadcast_id}/progress")
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
    assert (counts["total"], counts["queued"], counts["delivered"], counts["undelivered"]) == ("12", "9", "2", "1")
    assert alerts.broadcasts.get(broadcast_id).state == SENT and "12 of 12 subscribers dealt with" in visible(page)
    for message in fake.sent:
        assert message["to"] not in page and message["to"][2:] not in page


def test_the_progress_of_a_sending_that_counted_a_small_cell_gives_no_count_back(app, alerts, fake, redis_client):
    """12 in San Francisco and 3 in Oakland ("fewer than 10" on the Alerts page): sent to both,
    its progress shows the compose page's range, not 15, hides what adds up to it, and shows the
    rest as small cells are shown; sent to Oakland alone, not even a share of it."""
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 3, area="oakland", start=200)
    ana, ben = signed_in(app, "ana", "publisher"), signed_in(app, "ben", "publisher")
    ana.get("/console/alerts/new")
    both = saved_id(ana.post("/console/alerts/save", form(then="submit", urgent="on")))
    oakland = saved_id(ana.post("/console/alerts/save", form(then="submit", urgent="on", areas=["oakland"])))
    for broadcast_id in (both, oakland):
        ben.get(f"/console/alerts/{broadcast_id}")
        ben.post(f"/console/alerts/{broadcast_id}/approve")
    work(app, redis_client)
    assert len(fake.sent) == 18
    Twilio(app.test_client()).post("/twilio/alerts/status", {"MessageSid": fake.sent[0]["sid"],
                                                            "MessageStatus": "undelivered"})
    page = ana.text(f"/console/alerts/{both}/progress")
    assert dict(re.findall(r'data-count="(\w+)">([^<]*)<', page)) == {
        "total": "13 to 21", "queued": "not shown", "sent": "not shown", "delivered": "not shown",
        "undelivered": "fewer than 10", "failed": "0", "opted_out": "0", "unsubscribed": "0", "not_mobile": "0",
        "gone": "0", "error": "0", "opted_out_since": "0"}
    shown = visible(page)
    assert "It is sent ." in shown and "About 100% of its subscribers dealt with." in shown
    assert "went to an area and language with fewer than 10 subscribers" in shown
    assert not re.search(r"\b(14|15)\b", shown), "neither the size nor the delivered count"
    page = visible(ana.text(f"/console/alerts/{oakland}/progress"))
    assert "Subscribers it is for fewer than 10" in page and "%" not in page and not re.search(r"\b3\b", page)
    page = visible(ana.text(f"/console/alerts/{both}"))
    assert "13 to 21" in page and not re.search(r"\b15\b", page)


def test_subscriber_figures_and_reports_show_no_number(app, alerts):
    people = subscribe_many(alerts, 11) + subscribe_many(alerts, 2, lang="es", start=50)
    tw = Twilio(app.test_client())
    tw.text("REPORT grey powder in Oakland, two people fell asleep, call me 415-555-0134", caller=people[0])
    ana = signed_in(app, "ana", "publisher")
    page = visible(ana.text("/console/alerts"))
    assert "San Francisco 11 fewer than 10 0" in page and "Oakland 0 0" in page
    reports = ana.text("/console/alerts/reports")
    shown = visible(reports)
    assert "grey powder in Oakland, two people fell asleep, call me [number removed]" in shown
    assert "San Francisco" in shown
    every = "".join(ana.text(path) for path in ("/console/alerts", "/console/alerts/reports"))
    for number in people:
        assert number not in every and number[2:] not in every
    [report_id] = re.findall(r"/console/alerts/reports/(\w+)/delete", reports)
    assert ana.post(f"/console/alerts/reports/{report_id}/delete", token=False).status_code == 400
    assert len(alerts.reports.recent(alerts.now().timestamp())) == 1, "no token: nothing deleted"
    ana.post(f"/console/alerts/reports/{report_id}/delete")
    assert alerts.reports.recent(alerts.now().timestamp()) == []
    assert "The report is deleted." in visible(ana.text("/console/alerts/reports"))
    [entry] = [e for e in app.extensions["console"].audit.recent() if e.what == "report-delete"]
    assert "grey" not in entry.detail and "San Francisco" in entry.detail


def test_a_raised_small_cell_limit_holds_for_the_alerts_as_for_the_usage_figures(redis_client, fake):
    """HOTLINE_SMALL_CELLS=20: a cell of 12 is suppressed on the Alerts page, and a reach or cost
    that counts it is worked out with it as 1 to 19, as the usage figures would hide it."""
    app = console_app(**alert_settings(fake.url, HOTLINE_SMALL_CELLS="20"))
    alerts = app.extensions["alerts"]
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 25, lang="es", start=100)
    ana = signed_in(app, "ana", "publisher")
    page = visible(ana.text("/console/alerts"))
    assert "San Francisco fewer than 20 25 0" in page
    assert 'A count under 20 is shown as "fewer than 20"' in page and "12" not in page
    broadcast_id = saved_id(ana.post("/console/alerts/save", form()))
    page = visible(ana.text(f"/console/alerts/{broadcast_id}"))
    assert "1 segment × fewer than 20 subscribers = fewer than 20 segments" in page
    assert "1 segment × 25 subscribers = 25 segments" in page
    both = ana.post("/console/alerts/measure", {**form(), "areas": ["san_francisco", "oakland"]},
                    headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'id="cost-en" hx-swap-oob="true">1 segment × fewer than 20 subscribers' in both


def test_no_token_changes_nothing_and_editors_may_not_send(app, alerts):
    ana = signed_in(app, "ana", "publisher")
    assert ana.post("/console/alerts/save", form(), token=False).status_code == 400
    assert alerts.broadcasts.recent() == []
    eve = signed_in(app, "eve", "editor")
    assert eve.get("/console/alerts").status_code == 403
    assert eve.post("/console/alerts/save", form()).status_code == 403
    assert alerts.broadcasts.recent() == []
    assert 'href="/console/alerts"' not in eve.text("/console/draft")
    assert 'href="/console/alerts"' in ana.text("/console/draft")


def test_without_alerts_the_pages_say_so_and_are_not_in_the_navigation(redis_client):
    app = console_app()
    ana = signed_in(app, "ana", "publisher")
    assert 'href="/console/alerts"' not in ana.text("/console/draft")
    off = ana.get("/console/alerts")
    assert off.status_code == 409 and "HOTLINE_ALERTS=on" in off.get_data(as_text=True)


def test_with_the_two_person_rule_off_the_author_sends_it(redis_client, fake):
    app = console_app(**alert_settings(fake.url, HOTLINE_ALERTS_TWO_PERSON="off"))
    ana = signed_in(app, "ana", "publisher")
    assert "Save and send" in ana.text("/console/alerts/new")
    broadcast_id = saved_id(ana.post("/console/alerts/save", form(then="submit")))
    stored = app.extensions["alerts"].broadcasts.get(broadcast_id)
    assert (stored.state, stored.approver) == (SCHEDULED, "ana")
    assert "Saved and approved" in visible(ana.text(f"/console/alerts/{broadcast_id}"))


def test_at_night_an_approved_alert_says_it_waits_for_morning_unless_urgent(redis_client, fake):
    app = create_app({**CONSOLE, **alert_settings(fake.url)}, clock=Clock(NIGHT))
    app.extensions["console"].accounts.hasher = FAST_HASHER
    subscribe_many(app.extensions["alerts"], 3)
    ana, ben = signed_in(app, "ana", "publisher"), signed_in(app, "ben", "publisher")
    ana.get("/console/alerts/new")
    calm = saved_id(ana.post("/console/alerts/save", form(then="submit")))
    urgent = saved_id(ana.post("/console/alerts/save", form(then="submit", urgent="on")))
    for broadcast_id in (calm, urgent):
        ben.get(f"/console/alerts/{broadcast_id}")
        ben.post(f"/console/alerts/{broadcast_id}/approve")
    assert ("it goes at 2026-11-25 08:00 (America/Los_Angeles), when quiet hours end"
            in visible(ben.text(f"/console/alerts/{calm}/progress")))
    assert "it goes at" not in visible(ben.text(f"/console/alerts/{urgent}/progress"))
    scheduled = saved_id(ana.post("/console/alerts/save", form(then="submit", when="at",
                                                               send_at="2026-12-04T09:30")))
    ben.post(f"/console/alerts/{scheduled}/approve")
    assert "it goes at 2026-12-04 09:30 (America/Los_Angeles)." in visible(ben.text(f"/console/alerts/{scheduled}"))


def test_an_alert_page_its_cost_problems_and_refusal_in_spanish(app, alerts):
    subscribe_many(alerts, 12)
    eva = signed_in(app, "eva", "publisher")
    eva.post("/console/account/language", {"language": "es"})
    broadcast_id = saved_id(eva.post("/console/alerts/save", form(**{"choice-fr": "translate"})))
    page = visible(eva.text(f"/console/alerts/{broadcast_id}"))
    assert "Se guardó como borrador." in page and "La alerta, en English" in page
    assert "1 segmento × 12 suscriptores = 12 segmentos" in page  # the cost, by plurals
    assert "Français no tiene traducción: tradúzcala, o elija enviarle el inglés, o saltar este idioma." in page
    refused = eva.post("/console/alerts/save", form(then="submit", id=broadcast_id, **{"choice-fr": "translate"}))
    assert "todavía no se puede enviar: Français no tiene traducción" in visible(eva.text(refused.location))
    assert "has no translation" not in visible(eva.text(f"/console/alerts/{broadcast_id}"))
