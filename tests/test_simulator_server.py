"""The simulator is the server: the same script, typed into the simulator and sent as signed
webhooks to the real app, gets the same answers, line for line (texts a call sends included),
at the same moment; FORGET, consent, pages and limits included.

The webhook side mocks only Twilio's REST API (pytest-httpserver), which the simulator plays
itself by showing each text it would send.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from hotline import create_app
from hotline.authoring.checks import run_check
from hotline.authoring.simulator import NotAnInput, Simulator, describe_sms, describe_voice, next_calls
from hotline.cli import cli
from hotline.texting.segments import measure

from .conftest import FIXTURE, NOW, SETTINGS, Twilio

REPORT = run_check(FIXTURE / "flows", FIXTURE / "locales")
SID = "AC" + "0123456789abcdef" * 2
MESSAGES = f"/2010-04-01/Accounts/{SID}/Messages.json"
FRIDAY_NIGHT = dt.datetime(2026, 12, 4, 21, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
PERSON = "+12025550199"


def server(httpserver, at: dt.datetime, **extra) -> Twilio:
    httpserver.expect_request(MESSAGES, method="POST").respond_with_json(
        {"sid": "SM" + "0" * 32, "status": "queued"}, status=201)
    settings = {**SETTINGS, "TWILIO_ACCOUNT_SID": SID, "TWILIO_API_URL": httpserver.url_for("/"), **extra}
    return Twilio(create_app(settings, clock=lambda: at).test_client())


def texted(twilio: Twilio, script: list[str]) -> list[list[str]]:
    return [describe_sms(twilio.post("/twilio/sms", {"From": PERSON, "To": "+12025550100", "Body": body,
                                                       "MessageSid": f"SM{i:032d}"}).data.decode())
            for i, body in enumerate(script)]


def called(twilio: Twilio, httpserver, script: list[str]) -> list[list[str]]:
    """A call as Twilio makes it: the start, then each input to the URL the last answer named."""
    form = {"CallSid": "CA" + "7" * 32, "From": PERSON, "To": "+12025550100"}
    answers, urls = [], {}

    def post(path: str, **extra) -> None:
        seen = len(httpserver.log)
        twiml = twilio.post(path, {**form, **extra}).data.decode()
        lines = describe_voice(twiml)
        for request, _ in httpserver.log[seen:]:
            body = request.form["Body"]
            lines += ["(texts the caller:)", *body.split("\n"), f"(texted as {measure(body)})"]
        answers.append(lines)
        root = ET.fromstring(twiml)
        urls.clear()
        for verb in root.iter():
            url = verb.get("action") if verb.tag in ("Gather", "Dial") else None
            url = verb.text if verb.tag == "Redirect" else url
            if url:
                urls.setdefault({"Gather": "key", "Dial": "dial"}.get(verb.tag, "silence"), url)

    post("/twilio/voice")
    for typed in script:
        if typed in ("busy", "no-answer", "completed", "failed"):
            post(urls["dial"], DialCallStatus=typed)
        elif typed == "silence":
            post(urls["silence"])
        else:
            post(urls["key"], Digits=typed)
    return answers


def simulated(channel: str, script: list[str], at: dt.datetime) -> list[list[str]]:
    sim = Simulator(REPORT.flows, REPORT.catalogues, channel, at=at)
    opening = sim.open()
    return ([opening] if channel == "voice" else []) + [sim.send(typed) for typed in script]


SMS_SCRIPT = ["hi", "2", "1", "MORE", "MORE", "ES", "TREATMENT", "MAS", "OLVIDAR", "hi", "AYUDA", "PARAR",
              "NARCAN", "COMENZAR", "0"]


@pytest.mark.parametrize("at", [NOW, FRIDAY_NIGHT], ids=["tuesday-afternoon", "friday-night"])
def test_a_texted_script_gets_the_same_answers_from_the_simulator_and_the_server(redis_client, httpserver, at):
    expected = texted(server(httpserver, at), SMS_SCRIPT)
    assert simulated("sms", SMS_SCRIPT, at) == expected
    assert expected[8][0].startswith("Listo: borramos todo"), "FORGET in Spanish, answered in Spanish"
    assert expected[9][0].startswith("If someone is not breathing"), "then a stranger again, in English"
    assert expected[11][0].startswith("Ya no recibira"), "PARAR is confirmed once"
    assert expected[12] == ["(no reply: nothing more is sent to this number)"]


VOICE_SCRIPT = ["2", "1", "1", "2", "#", "silence", "0", "busy", "#", "5"]


@pytest.mark.parametrize("at", [NOW, FRIDAY_NIGHT], ids=["tuesday-afternoon", "friday-night"])
def test_a_called_script_gets_the_same_answers_texts_included(redis_client, httpserver, at):
    twilio = server(httpserver, at)
    expected = called(twilio, httpserver, VOICE_SCRIPT)
    assert simulated("voice", VOICE_SCRIPT, at) == expected
    assert "(texts the caller:)" in expected[4], "press 2 after guidance: the text, with its size"
    assert any(line.startswith("(texted as ") for line in expected[4])


def test_limits_are_the_servers(redis_client, httpserver, monkeypatch):
    monkeypatch.setenv("HOTLINE_TEXTS_PER_NUMBER", "4")
    script = ["hi", "1", "2", "3", "4", "5", "6"]
    expected = texted(server(httpserver, NOW, HOTLINE_TEXTS_PER_NUMBER="4"), script)
    assert simulated("sms", script, NOW) == expected
    assert expected[-1] != expected[1] and len({tuple(lines) for lines in expected[-2:]}) <= 2


def test_at_sets_the_moment_in_the_programmes_time_zone(tmp_path):
    args = ["--flows", str(FIXTURE / "flows"), "--locales", str(FIXTURE / "locales"), "simulate", "sms"]
    night = CliRunner().invoke(cli, [*args, "--at", "2026-12-04 21:30"], input="TREATMENT\nquit\n")
    assert night.exit_code == 0, night.output
    assert "closed now" in night.output
    day = CliRunner().invoke(cli, [*args, "--at", "2026-12-01 16:30"], input="TREATMENT\nquit\n")
    assert "closed now" not in day.output and "open until" in day.output
    wrong = CliRunner().invoke(cli, [*args, "--at", "Friday evening"], input="quit\n")
    assert wrong.exit_code != 0 and 'like "2026-12-04 21:30"' in wrong.output


def test_a_voicemail_and_a_call_that_ended_are_said_plainly():
    sim = Simulator(REPORT.flows, REPORT.catalogues, "voice", at=NOW)
    sim.open()
    with pytest.raises(NotAnInput, match="press one key"):
        sim.send("hello")
    assert next_calls(ET.fromstring('<Response><Say>Bye.</Say><Hangup/></Response>')) == ({}, None)
