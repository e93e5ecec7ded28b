"""Texters and alerts, through signed webhooks on real Redis: JOIN, YES, ALERTS, LEAVE, REPORT,
in English and Spanish, and every bad input the issue lists."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography.fernet import Fernet

from hotline.authoring.checks import run_check
from hotline.outbound.reports import REPORT_TTL
from hotline.outbound.subscriptions import members_key, sub_key
from hotline.outbound.words import AlertWords, reserved_words
from hotline.texting.forget import ForgetWords

from .alerts_support import DAYTIME, KEY, Clock, alerts_app, redis_contents_all
from .conftest import CALLER, SETTINGS, Twilio, create_app, edit

JOIN = {"en": "JOIN 94110", "es": "UNIRSE 94110"}
YES = {"en": "YES", "es": "SÍ"}
ASK = {
    "en": "Reply YES to get alerts about dangerous drugs in San Francisco, in English, about 4 a month. "
          "Reply STOP at any time.",
    "es": "Responda SI para recibir alertas sobre drogas peligrosas en San Francisco, en Español, unas 4 al mes. "
          "Responda PARAR en cualquier momento.",
}
CONFIRMED = {"en": ("Harm Reduction Hotline: you will get drug-supply alerts for San Francisco, in English, about 4 "
                    "msgs a month. Msg & data rates may apply."),
             "es": ("Harm Reduction Hotline: recibira alertas sobre drogas para San Francisco, en Español, unos 4 "
                    "mensajes al mes. Pueden aplicarse tarifas de mensajes y datos.")}
SHOW = {"en": "ALERTS", "es": "MIS ALERTAS"}
LEAVE = {"en": "LEAVE", "es": "SALIR"}
REPORT = {"en": "REPORT", "es": "REPORTAR"}


@pytest.fixture
def clock():
    return Clock(DAYTIME)


@pytest.fixture
def app(redis_client, httpserver, clock):
    return alerts_app(httpserver.url_for("/"), clock)


@pytest.fixture
def tw(app):
    return Twilio(app.test_client())


def subscription(redis_client, app, number=CALLER) -> dict:
    digest = app.extensions["hotline"].store.digest(number)
    return {k.decode(): v.decode() for k, v in redis_client.hgetall(sub_key(digest)).items()}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_join_asks_first_and_only_yes_subscribes(tw, app, redis_client, lang):
    assert tw.text(JOIN[lang]) == ASK[lang]
    assert subscription(redis_client, app) == {}, "nothing is kept before YES"
    assert tw.text(YES[lang]).startswith(CONFIRMED[lang])
    kept = subscription(redis_client, app)
    assert (kept["a"], kept["l"]) == ("san_francisco", lang)
    assert Fernet(KEY.encode()).decrypt(kept["n"].encode()).decode() == CALLER
    digest = app.extensions["hotline"].store.digest(CALLER)
    assert redis_client.sismember(members_key("san_francisco", lang), digest)
    assert 360 * 86400 < redis_client.ttl(sub_key(digest)) <= 372 * 86400
    # The number is never kept in the clear, anywhere.
    for key, value in redis_contents_all(redis_client).items():
        assert CALLER.encode() not in key + value and b"2025550187" not in key + value


@pytest.mark.parametrize("lang", ["en", "es"])
def test_alerts_shows_then_join_changes_the_area_and_leave_ends_only_alerts(tw, app, redis_client, lang):
    tw.text(JOIN[lang])
    tw.text(YES[lang])
    shown = tw.text(SHOW[lang])
    assert "San Francisco" in shown and ("LEAVE" in shown if lang == "en" else "SALIR" in shown)
    changed = tw.text(JOIN[lang].replace("94110", "94612"))
    assert "Oakland" in changed
    assert subscription(redis_client, app)["a"] == "oakland"
    digest = app.extensions["hotline"].store.digest(CALLER)
    assert not redis_client.sismember(members_key("san_francisco", lang), digest)
    left = tw.text(LEAVE[lang])
    assert ("no more alerts" if lang == "en" else "Ya no recibira alertas") in left
    assert subscription(redis_client, app) == {}
    assert not redis_client.sismember(members_key("oakland", lang), digest)
    assert ("You do not get alerts" if lang == "en" else "No recibe alertas") in tw.text(SHOW[lang])
    assert "naloxone" in tw.text("NALOXONE").lower() or "naloxona" in tw.text("NALOXONE").lower()


def test_join_alone_is_every_area(tw, app, redis_client):
    assert "all the areas we cover" in tw.text("join")
    tw.text("Yes")
    assert subscription(redis_client, app)["a"] == "*"


@pytest.mark.parametrize("body", ["JOIN 00000", "JOIN 9411", "JOIN 941100", "JOIN 94II0"])
def test_join_with_an_impossible_zip_says_how_and_keeps_nothing(tw, app, redis_client, body):
    reply = tw.text(body)
    assert reply.startswith("That is not a ZIP code. Text JOIN and a 5-digit ZIP code, like JOIN 94102")
    tw.text("YES")
    assert subscription(redis_client, app) == {}


def test_join_outside_every_area_names_the_areas(tw, app, redis_client):
    assert tw.text("JOIN 10001") == ("10001 is outside the areas we send alerts for (San Francisco, Oakland). "
                                     "Text JOIN alone to get alerts for all of them.")
    tw.text("YES")
    assert subscription(redis_client, app) == {}


def test_yes_with_nothing_pending_is_an_ordinary_text(tw, app, redis_client, httpserver):
    plain = Twilio(create_app(SETTINGS, clock=lambda: DAYTIME).test_client())
    expected = plain.text("YES", caller="+12025550111")
    assert tw.text("YES") == expected
    assert subscription(redis_client, app) == {}


def test_yes_a_day_later_does_not_subscribe(tw, app, redis_client, clock):
    tw.text("JOIN 94110")
    clock.now = DAYTIME + dt.timedelta(hours=24, minutes=1)
    tw.text("YES")
    assert subscription(redis_client, app) == {}


def test_stop_then_join_gets_nothing_and_yes_is_only_start_again(tw, app, redis_client):
    tw.sms("STOP")
    assert tw.sms("JOIN 94110") is None
    assert tw.text("YES").startswith("You will get texts from Harm Reduction Hotline again.")
    assert subscription(redis_client, app) == {}


def test_forget_removes_the_subscription(tw, app, redis_client):
    tw.text("JOIN 94110")
    tw.text("YES")
    tw.text("FORGET")
    assert subscription(redis_client, app) == {}
    digest = app.extensions["hotline"].store.digest(CALLER)
    assert not redis_client.sismember(members_key("san_francisco", "en"), digest)


def reports(app):
    alerts = app.extensions["alerts"]
    return alerts.reports.recent(alerts.now().timestamp())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_report_with_emergency_words_is_kept_without_the_number_and_gives_the_overdose_steps(tw, app,
                                                                                             redis_client, lang):
    tw.text(JOIN[lang])
    tw.text(YES[lang])
    words = {"en": "blue pills in the Mission, my friend is not breathing",
             "es": "pastillas azules en la Mission, mi amigo no respira"}[lang]
    reply = tw.text(f"{REPORT[lang]} {words}")
    assert reply.startswith({"en": "Thank you. Your report is kept without your number.",
                             "es": "Gracias. Su reporte se guarda sin su numero."}[lang])
    assert {"en": "Call 911 now.", "es": "Llame al 911 ahora."}[lang] in reply
    [kept] = reports(app)
    assert (kept.text, kept.area) == (words, "san_francisco")
    assert REPORT_TTL - 5 < redis_client.ttl(f"hotline:alerts:report:{kept.id}") <= REPORT_TTL
    digest = app.extensions["hotline"].store.digest(CALLER)
    for key, value in redis_contents_all(redis_client).items():
        if b"report" in key:
            assert digest.encode() not in key + value and CALLER.encode() not in value


def test_a_plain_report_is_thanked_without_the_steps_and_a_number_in_it_is_removed(tw, app):
    reply = tw.text("REPORT white powder at 16th St is very strong, call me on 415-555-0134")
    assert reply == ("Thank you. Your report is kept without your number. If someone is not breathing or will not "
                     "wake up, call 911 now.")
    [kept] = reports(app)
    assert kept.text == "white powder at 16th St is very strong, call me on [number removed]"
    assert kept.area is None


def test_a_report_of_1600_characters_is_kept_whole_and_answered(tw, app):
    words = ("grey rocks cut with something, " * 60)[:1600 - len("REPORT ")]
    reply = tw.text("REPORT " + words)
    assert reply.startswith("Thank you.")
    [kept] = reports(app)
    assert kept.text == words.strip()


def test_report_alone_says_how_and_od_alone_is_still_the_overdose_menu(tw, app):
    assert tw.text("REPORT").startswith("To report a bad batch, text REPORT and what you saw")
    plain = Twilio(create_app(SETTINGS, clock=lambda: DAYTIME).test_client())
    plain.text("REPORT", caller="+12025550111")  # a second text on both sides: no first-text language line
    assert tw.text("OD") == plain.text("OD", caller="+12025550111")
    assert reports(app) == []


def test_ordinary_texts_cost_no_more_redis_commands_with_alerts_on(app, redis_client):
    plain_app = create_app(SETTINGS, clock=lambda: DAYTIME)

    def commands(client, number: str) -> int:
        before = _calls(redis_client)
        for body in ("NALOXONE", "1", "MORE", "YES"):
            client.text(body, caller=number)
        return _calls(redis_client) - before

    # Warmed up: the day's usage counters get their TTL once, and each process fetches the month's key once.
    commands(Twilio(plain_app.test_client()), "+12025550123")
    commands(Twilio(app.test_client()), "+12025550124")
    with_alerts = commands(Twilio(app.test_client()), "+12025550121")
    without = commands(Twilio(plain_app.test_client()), "+12025550122")
    assert with_alerts == without


def _calls(client) -> int:
    return sum(stats["calls"] for name, stats in client.info("commandstats").items() if name != "cmdstat_info")


def test_an_alerts_word_that_is_already_stop_is_left_out_and_the_check_says_so(project):
    edit(project, "locales/es/LC_MESSAGES/messages.po", 'msgstr "SALIR, DEJAR ALERTAS"', 'msgstr "SALIR, PARAR"')
    report = run_check(project / "flows", project / "locales")
    assert report.errors == []
    assert any("es: the alerts word 'PARAR' already means stop" in p.message for p in report.warnings)
    languages = report.flows.languages
    forget = ForgetWords(report.catalogues, languages.languages, languages.source).table
    words = AlertWords(report.catalogues, languages.languages, languages.source,
                       reserved_words(report.flows, forget))
    assert words.match("PARAR") is None and words.match("SALIR").kind == "leave"
    assert words.match("SI").kind == "yes", "a YES word may also be START"
