"""Sending alerts: composing rules, the two-person rule, quiet hours, schedules, cancelling,
Twilio's errors and status callbacks, with real RQ workers (in this process, or as
`flask hotline worker` processes) against a local HTTP server playing Twilio's REST API."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time

import pytest
from rq.registry import ScheduledJobRegistry

from hotline.outbound import desk, jobs
from hotline.outbound.alerts import QUEUE
from hotline.outbound.broadcasts import AWAITING, CANCELLED, SCHEDULED, SENT, Broadcast
from hotline.outbound.progress import FEWER, HIDDEN, MANY, Progress
from hotline.outbound.subscriptions import Reach
from hotline.outbound.worker import AppWorker

from .alerts_support import (
    DAYTIME,
    NIGHT,
    Clock,
    FakeTwilio,
    alerts_app,
    redis_contents_all,
    start_worker,
    subscribe_many,
    wait_for,
)
from .conftest import Twilio

OTHERS = ("zh", "vi", "fil", "fr", "ar", "ht")
ENGLISH = "Alert: strong fentanyl in blue pills in the Mission. Carry naloxone. Emergency: call {emergency}."
SPANISH = "Alerta: fentanilo fuerte en pastillas azules en la Mission. Lleve naloxona. Emergencia: {emergency}."


@pytest.fixture
def clock():
    return Clock(DAYTIME)


@pytest.fixture
def fake(httpserver):
    return FakeTwilio(httpserver)


@pytest.fixture
def app(redis_client, fake, clock):
    return alerts_app(fake.url, clock)


@pytest.fixture
def alerts(app):
    return app.extensions["alerts"]


def compose(alerts, urgent=False, **changes):
    fields = {"translations": {"es": SPANISH}, "skip": OTHERS, "urgent": urgent, **changes}
    return desk.new(alerts, "ana", ENGLISH, **fields)


def approved(alerts, **changes):
    broadcast = compose(alerts, **changes)
    assert desk.submit(alerts, broadcast.id, "ana").state == AWAITING
    return desk.approve(alerts, broadcast.id, "ben")


def work(app, redis_client) -> None:
    """One real RQ worker, in this process, until the queue is empty (with its scheduler)."""
    AppWorker.app = app
    AppWorker([QUEUE], connection=redis_client).work(burst=True, with_scheduler=True)


def test_two_person_rule_a_real_worker_then_sends_each_language_its_text(alerts, fake, httpserver):
    english, spanish = subscribe_many(alerts, 30), subscribe_many(alerts, 20, lang="es", start=100)
    broadcast = compose(alerts, urgent=True)
    with pytest.raises(desk.Refused, match="only an alert waiting for approval"):
        desk.approve(alerts, broadcast.id, "ben")
    desk.submit(alerts, broadcast.id, "ana")
    with pytest.raises(desk.Refused, match="a second publisher must approve it"):
        desk.approve(alerts, broadcast.id, "ANA")
    assert fake.texted() == {}, "nothing leaves before the approval"
    assert desk.approve(alerts, broadcast.id, "ben").state == SCHEDULED
    worker = start_worker(fake.url, burst=True)
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    bodies = fake.bodies()
    assert {n: bodies[n] for n in english} == {n: [ENGLISH.replace("{emergency}", "911")] for n in english}
    assert {n: bodies[n] for n in spanish} == {n: [SPANISH.replace("{emergency}", "911")] for n in spanish}
    assert len(fake.sent) == 50
    shown = desk.progress(alerts, broadcast.id)
    assert shown.broadcast.state == SENT and shown.counts["queued"] == 50 and shown.counts["total"] == 50
    assert all(m["status_callback"] == "https://hotline.example.org/twilio/alerts/status" for m in fake.sent)
    assert all(m["from"] == "+12025550100" and not m["messaging_service_sid"] for m in fake.sent)
    for number in english + spanish:
        assert number not in output, "the worker's log names no number"


def test_status_callbacks_move_the_counts_and_unknown_ones_change_nothing(app, alerts, fake, redis_client):
    subscribe_many(alerts, 3)
    broadcast = approved(alerts, urgent=True)
    work(app, redis_client)
    tw = Twilio(app.test_client())
    first, second, third = (m["sid"] for m in fake.sent)

    def callback(sid, status, **extra):
        return tw.post("/twilio/alerts/status", {"MessageSid": sid, "MessageStatus": status, **extra})

    assert callback(first, "sent").status_code == 204
    assert callback(first, "delivered").status_code == 204
    assert callback(first, "sent").status_code == 204  # late and out of order: ignored
    assert callback(second, "undelivered", ErrorCode="30003").status_code == 204
    counts = desk.progress(alerts, broadcast.id).counts
    assert (counts["queued"], counts["delivered"], counts["undelivered"], counts.get("sent", 0)) == (1, 1, 1, 0)
    assert callback("SM" + "f" * 32, "delivered").status_code == 204
    assert callback("not-a-sid", "delivered").status_code == 400
    assert tw.post("/twilio/alerts/status", {"MessageSid": third, "MessageStatus": "delivered"},
                   signed=False).status_code == 403
    assert desk.progress(alerts, broadcast.id).counts == counts
    # A number that texted STOP to the carrier: the callback ends its alerts.
    assert callback(third, "failed", ErrorCode="21610").status_code == 204
    assert desk.progress(alerts, broadcast.id).counts["unsubscribed"] == 1
    assert alerts.subscriptions.counts()[("san_francisco", "en")] == 2


@pytest.mark.parametrize("lang", ["en", "es"])
def test_stop_a_second_before_a_text_is_honoured_at_send_time(app, alerts, fake, redis_client, lang):
    people = subscribe_many(alerts, 5, lang=lang)
    broadcast = approved(alerts, urgent=True)
    jobs_only = alerts.queue.jobs
    assert [job.func_name for job in jobs_only] == ["hotline.outbound.jobs.start"]
    with app.app_context():
        jobs.start(broadcast.id)  # split into batches: the recipients are fixed now
    stop = {"en": "STOP", "es": "PARAR"}[lang]
    reply = Twilio(app.test_client()).sms(stop, caller=people[2])
    # Twilio confirms its own STOP; the hotline confirms PARAR itself, in the webhook's answer.
    assert reply is None if lang == "en" else reply.startswith("Ya no recibira mensajes de")
    work(app, redis_client)
    assert people[2] not in fake.texted() and len(fake.texted()) == 4
    counts = desk.progress(alerts, broadcast.id).counts
    assert (counts["queued"], counts["opted_out"]) == (4, 1)
    assert desk.progress(alerts, broadcast.id).opted_out_since == 1
    assert alerts.subscriptions.get(people[2]) is None, "STOP ends the alerts too"


def test_429_and_503_are_tried_again_after_pauses_and_21610_21614_end_the_subscription(app, alerts, fake,
                                                                                    redis_client):
    busy, unsubscribed, landline, fine = subscribe_many(alerts, 4)
    fake.busy[busy] = [429, 503]
    fake.refuse[unsubscribed], fake.refuse[landline] = 21610, 21614
    pauses: list[float] = []
    alerts.sender.sleep = pauses.append
    broadcast = approved(alerts, urgent=True)
    work(app, redis_client)
    assert fake.texted() == {busy: 1, fine: 1}
    assert pauses == [1, 1, 1], "1 s after the 429, then 2 s after the 503"
    counts = desk.progress(alerts, broadcast.id).counts
    assert (counts["queued"], counts["unsubscribed"], counts["not_mobile"]) == (2, 1, 1)
    assert alerts.subscriptions.get(unsubscribed) is None and alerts.subscriptions.get(landline) is None
    assert alerts.subscriptions.get(fine) is not None


def test_a_messaging_service_sends_when_configured(redis_client, fake, clock):
    app = alerts_app(fake.url, clock, TWILIO_MESSAGING_SERVICE_SID="MG" + "1" * 32)
    alerts = app.extensions["alerts"]
    subscribe_many(alerts, 2)
    approved(alerts, urgent=True)
    work(app, redis_client)
    assert [(m["messaging_service_sid"], m["from"]) for m in fake.sent] == [("MG" + "1" * 32, None)] * 2


TEXT = {"en": ENGLISH.replace("{emergency}", "911"), "es": SPANISH.replace("{emergency}", "911")}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_quiet_hours_hold_an_alert_until_morning_unless_it_is_urgent(app, alerts, fake, redis_client, clock, lang):
    subscribe_many(alerts, 3, lang=lang)
    clock.now = NIGHT
    calm = approved(alerts)
    work(app, redis_client)
    assert fake.texted() == {}
    morning = dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC)  # 08:00 in San Francisco
    registry = ScheduledJobRegistry(queue=alerts.queue)
    assert registry.get_scheduled_time(f"start-{calm.id}") == morning
    assert alerts.broadcasts.get(calm.id).waiting_until == int(morning.timestamp())
    urgent = approved(alerts, urgent=True)
    work(app, redis_client)
    assert len(fake.sent) == 3 and desk.progress(alerts, urgent.id).broadcast.state == SENT
    clock.now = morning + dt.timedelta(minutes=1)
    work(app, redis_client)
    assert len(fake.sent) == 6 and desk.progress(alerts, calm.id).broadcast.state == SENT
    assert {m["body"] for m in fake.sent} == {TEXT[lang]}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_scheduled_alert_waits_for_its_time(app, alerts, fake, redis_client, clock, lang):
    subscribe_many(alerts, 2, lang=lang)
    at = DAYTIME + dt.timedelta(hours=2)
    broadcast = approved(alerts, send_at=int(at.timestamp()))
    assert ScheduledJobRegistry(queue=alerts.queue).get_scheduled_time(f"start-{broadcast.id}") == at
    work(app, redis_client)
    assert fake.texted() == {}
    clock.now = at + dt.timedelta(seconds=1)
    work(app, redis_client)
    assert len(fake.texted()) == 2
    assert {m["body"] for m in fake.sent} == {TEXT[lang]}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_cancelling_before_the_batches_run_sends_nothing(app, alerts, fake, redis_client, lang):
    subscribe_many(alerts, 4, lang=lang)
    broadcast = approved(alerts, urgent=True)
    with app.app_context():
        jobs.start(broadcast.id)
    assert desk.cancel(alerts, broadcast.id).state == CANCELLED
    work(app, redis_client)
    assert fake.texted() == {}
    with pytest.raises(desk.Refused, match="nothing left to cancel"):
        desk.cancel(alerts, broadcast.id)


def test_cancelling_while_a_worker_sends_stops_it_within_a_second(alerts, fake):
    subscribe_many(alerts, 300)
    broadcast = approved(alerts, urgent=True)
    worker = start_worker(fake.url, quiet=True, HOTLINE_ALERTS_RATE="40")
    try:
        wait_for(lambda: len(fake.sent) >= 20)
        desk.cancel(alerts, broadcast.id)
        time.sleep(0.3)
        stopped = len(fake.sent)
        time.sleep(1.5)
        assert len(fake.sent) == stopped < 300
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def test_a_translation_that_drops_a_placeholder_or_an_undecided_language_is_refused(alerts):
    broadcast = compose(alerts, translations={"es": "Alerta: fentanilo fuerte. Llame al 911."})
    with pytest.raises(desk.Refused) as refused:
        desk.submit(alerts, broadcast.id, "ana")
    assert refused.value.reasons == ["The Español text leaves out {emergency}: put it back, exactly as in the "
                                     "English, or the warning loses it."]
    undecided = desk.new(alerts, "ana", ENGLISH, {"es": SPANISH}, skip=OTHERS[1:])
    with pytest.raises(desk.Refused, match="中文 has no translation: translate it, or choose to send it the English"):
        desk.submit(alerts, undecided.id, "ana")
    unknown = desk.new(alerts, "ana", "Alert {place}", skip=OTHERS, english_for=("es",))
    with pytest.raises(desk.Refused, match=r"uses \{place\}, which the hotline does not know"):
        desk.submit(alerts, unknown.id, "ana")


def test_english_for_a_language_is_a_choice(app, alerts, fake, redis_client):
    [filipino] = subscribe_many(alerts, 1, lang="fil")
    approved(alerts, urgent=True, skip=tuple(o for o in OTHERS if o != "fil"), english_for=("fil",))
    work(app, redis_client)
    assert fake.bodies()[filipino] == [ENGLISH.replace("{emergency}", "911")]


def test_segments_and_cost_per_language(alerts):
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 3, lang="es", start=50)
    long_chinese = "警报：米慎区的蓝色药片含有很强的芬太尼。请随身携带纳洛酮。紧急情况请拨打 {emergency}。" * 2
    broadcast = compose(alerts, translations={"es": "Atención: " + SPANISH, "zh": long_chinese},
                        skip=OTHERS[1:])
    costs = {c.lang: c for c in desk.costs(alerts, broadcast)}
    assert (costs["en"].segments, costs["en"].subscribers, costs["en"].segments_total) == (1, Reach(12, 12, 10),
                                                                                         Reach(12, 12, 10))
    # Spanish is kept in GSM-7 as every Spanish reply is (ó -> o): one part, not two in UCS-2.
    assert costs["es"].text.startswith("Atencion: Alerta")
    assert (costs["es"].segments, str(costs["es"].subscribers)) == (1, "fewer than 10")
    assert costs["zh"].segments == 2  # UCS-2: 67 characters a part
    assert costs["vi"].text is None


def test_a_worker_killed_mid_broadcast_and_restarted_texts_every_subscriber_exactly_once(alerts, fake):
    people = subscribe_many(alerts, 2000)
    broadcast = approved(alerts, urgent=True)
    first = start_worker(fake.url, quiet=True)
    try:
        wait_for(lambda: len(fake.sent) >= 700, timeout=120)
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    at_kill = len(fake.sent)
    assert at_kill < 2000, "the worker was killed before it finished"
    second = start_worker(fake.url, burst=True)
    output, _ = second.communicate(timeout=180)
    assert second.returncode == 0, output
    texted = fake.texted()
    assert set(texted) == set(people) and set(texted.values()) == {1}
    shown = desk.progress(alerts, broadcast.id)
    assert shown.broadcast.state == SENT and shown.counts["queued"] == 2000


def test_a_worker_started_without_the_alerts_key_stops_with_one_clear_line(fake):
    worker = start_worker(fake.url, burst=True, HOTLINE_ALERTS_KEY="")
    output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 1
    assert output.strip().splitlines()[-1].startswith(
        "hotline cannot start: HOTLINE_ALERTS_KEY must be set to a private Fernet key when HOTLINE_ALERTS=on")
    assert "Traceback" not in output


def test_a_year_without_alerts_asks_once_and_yes_keeps_them(app, alerts, fake, redis_client, clock):
    [number] = subscribe_many(alerts, 1)
    digest = alerts.store.digest(number)
    clock.now = DAYTIME + dt.timedelta(days=366)
    with app.app_context():
        assert jobs.sweep() == "asked 1"
        assert jobs.sweep() == "already swept today"
    [asked] = fake.bodies()[number]
    assert asked.startswith("Harm Reduction Hotline: you have had drug-supply alerts for a year.")
    assert redis_client.ttl(f"hotline:alerts:sub:{digest}") <= 7 * 86400
    Twilio(app.test_client()).text("YES", caller=number)
    assert redis_client.ttl(f"hotline:alerts:sub:{digest}") > 360 * 86400
    assert redis_client.hget(f"hotline:alerts:sub:{digest}", "asked") is None


def test_subscriber_figures_suppress_small_cells(alerts):
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 3, lang="es", start=50)
    assert desk.subscriber_figures(alerts) == {("san_francisco", "en"): 12, ("san_francisco", "es"): None}
    assert [str(r) for r in (Reach(12, 12, 10), Reach(1, 9, 10), Reach(0, 0, 10), Reach(13, 21, 10))] == [
        "12", "fewer than 10", "0", "13 to 21"]


def test_no_two_alerts_areas_give_a_suppressed_count_back(alerts):
    """All areas against all areas but one was an area's exact count, under 10 included: each
    reach is now worked out from the figures as shown, so a suppressed cell's value changes none."""
    subscribe_many(alerts, 12)
    subscribe_many(alerts, 11, area="*", start=100)  # named no area: every alert reaches them
    choices = [(), ("san_francisco",), ("oakland",), ("san_francisco", "oakland")]

    def reaches(oakland: int) -> list[str]:
        shown = []
        for areas in choices:
            broadcast = compose(alerts, areas=areas)
            shown += [f"{c.subscribers} {c.segments_total}" for c in desk.costs(alerts, broadcast) if c.text]
        return shown

    subscribe_many(alerts, 3, area="oakland", start=200)
    with_three = reaches(3)
    subscribe_many(alerts, 4, area="oakland", start=300)
    assert reaches(7) == with_three, "nothing shown depends on the suppressed Oakland count"
    costs = {areas: {c.lang: c.subscribers for c in desk.costs(alerts, compose(alerts, areas=areas))}
             for areas in choices}
    assert costs[()]["en"] == Reach(24, 32, 10) and str(costs[()]["en"]) == "24 to 32"
    assert costs[("san_francisco",)]["en"] == Reach(23, 23, 10), "exact where every cell it counts is shown"
    assert str(costs[("oakland",)]["en"]) == "12 to 20"


def test_a_sendings_progress_shows_no_count_that_gives_its_size_back():
    """Every text of a run of 15 (13 to 21 as shown) failing is "10 or more", not 15; a run whose
    reach was exact shows its counts as they are."""
    broadcast = Broadcast(id="b", english="x", author="ana", state=SENT)
    ranged = Progress(broadcast, {"total": 15, "low": 13, "high": 21, "error": 15}, 10)
    assert [ranged.shown(name) for name in ("total", "queued", "error", "failed")] == [
        Reach(13, 21, 10), HIDDEN, MANY, 0]
    assert (ranged.exact, ranged.tenths) == (False, 100)
    few = Progress(broadcast, {"total": 15, "low": 13, "high": 21, "queued": 9, "failed": 1}, 10)
    assert (few.shown("failed"), few.tenths) == (FEWER, 60)
    small = Progress(broadcast, {"total": 3, "low": 1, "high": 9, "queued": 3}, 10)
    assert (str(small.shown("total")), small.tenths) == ("fewer than 10", None)
    exact = Progress(broadcast, {"total": 12, "low": 12, "high": 12, "queued": 11, "failed": 1}, 10)
    assert [exact.shown(name) for name in ("total", "queued", "failed")] == [12, 11, 1] and exact.tenths is None
    assert Progress(broadcast, {}, 10).exact, "nothing to hide before it begins"


def test_every_alerts_key_expires_and_none_holds_a_number(app, alerts, fake, redis_client):
    people = subscribe_many(alerts, 3)
    tw = Twilio(app.test_client())
    tw.text("JOIN 94612", caller="+12025550166")
    tw.text("YES", caller="+12025550166")
    tw.text("REPORT grey powder, two people fell asleep fast", caller=people[0])
    broadcast = approved(alerts, urgent=True)
    work(app, redis_client)
    tw.post("/twilio/alerts/status", {"MessageSid": fake.sent[0]["sid"], "MessageStatus": "delivered"})
    assert desk.progress(alerts, broadcast.id).counts["delivered"] == 1
    ours = [key for key in redis_client.scan_iter("hotline:*")]
    assert any(b":alerts:" in key for key in ours)
    for key in ours:
        assert redis_client.ttl(key) > 0, key
    for key, value in redis_contents_all(redis_client).items():
        for number in [*people, "+12025550166"]:
            assert number.encode() not in key + value and number[2:].encode() not in key + value, key
