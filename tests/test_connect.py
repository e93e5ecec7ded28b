"""The engine's side of connecting people, on plain data: which services it rings, in what
order, what it asks to text, and how it reads a ZIP code, at moments passed in."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hotline.flow import phrases
from hotline.flow.engine import begin, step
from hotline.flow.events import Dial, DialResult, Gather, Hangup, Key, Message, Record, Recorded, Say, SendText, Start
from hotline.flow.loader import load_flowset

from .conftest import FIXTURE

FLOWS = load_flowset(FIXTURE / "flows")
PT = dt.timezone(dt.timedelta(hours=-8))
OPEN = dt.datetime(2026, 11, 25, 10, tzinfo=PT)  # a Wednesday morning
CLOSED = dt.datetime(2026, 11, 29, 7, tzinfo=PT)  # a Sunday, early


def run(channel: str, lang: str, inputs, now=OPEN, flows=FLOWS):
    session = begin(flows, channel, lang)
    actions = ()
    for event in inputs:
        session, actions = step(flows, session, event, now)
    return session, actions


def said(actions) -> list[str]:
    return [action.text.msgid for action in actions if isinstance(action, Say)]


def test_ringing_in_turn_takes_open_services_that_speak_the_language_first():
    session, actions = run("voice", "es", [Start(), Key("2"), Key("5"), Key("2")])
    assert [a.numbers for a in actions if isinstance(a, Dial)] == [("+14155550163",)]
    assert session.tried == ("bayview_treatment",) and session.node == "treatment"
    session, actions = step(FLOWS, session, DialResult("busy"), OPEN)
    assert [a.numbers for a in actions if isinstance(a, Dial)] == [("+18006624357",)]
    assert said(actions)[0] == phrases.DIAL_BUSY


def test_when_nobody_answers_the_engine_asks_for_a_text_of_every_number_then_tries_the_person_line():
    session, _ = run("voice", "en", [Start(), Key("1"), Key("5"), Key("2"), DialResult("no-answer")])
    session, actions = step(FLOWS, session, DialResult("failed"), OPEN)
    sends = [a for a in actions if isinstance(a, SendText)]
    assert len(sends) == 1 and sends[0].lang == "en"
    names = [line.values.get("name") for line in sends[0].lines]
    assert names == [None, "Bayview Recovery Clinic", "SAMHSA National Helpline", "988 Suicide and Crisis Lifeline",
                     "Never Use Alone"]
    assert not any(isinstance(a, Hangup) for a in actions), "never a dead end"
    assert actions[-1].numbers == ("+12025550143",) and session.node == "person"
    session, actions = step(FLOWS, session, DialResult("no-answer"), OPEN)
    assert session.node == "national_lines" and not any(isinstance(a, Hangup) for a in actions)


def test_ringing_together_dials_the_whole_group_at_once_with_screening():
    _, actions = run("voice", "en", [Start(), Key("1"), Key("5"), Key("3")])
    [dial] = [a for a in actions if isinstance(a, Dial)]
    assert dial.numbers == ("+14155550157", "+14155550142") and dial.screen and dial.timeout == 25


def test_the_time_decides_and_is_never_read_from_a_clock():
    _, closed = run("voice", "en", [Start(), Key("1"), Key("5"), Key("3")], now=CLOSED)
    assert [a.numbers for a in closed if isinstance(a, Dial)] == [("+12025550143",)], "no service; the person line"
    assert said(closed).count(phrases.SERVICE_CLOSED) == 2 and phrases.NONE_OPEN in said(closed)
    _, unknown = run("voice", "en", [Start(), Key("1"), Key("5"), Key("3")], now=None)
    assert any(isinstance(a, Dial) for a in unknown), "without a time, every service counts as open"


def test_voicemail_records_then_the_recording_leads_to_the_text():
    nodes = dict(FLOWS.flow.nodes)
    nodes["treatment"] = nodes["treatment"].model_copy(update={"voicemail": True})
    flows = dataclasses.replace(FLOWS, flow=FLOWS.flow.model_copy(update={"nodes": nodes}))
    session, actions = run("voice", "en", [Start(), Key("1"), Key("5"), Key("2"), DialResult("busy"),
                                           DialResult("busy")], flows=flows)
    assert said(actions)[-1] == phrases.VOICEMAIL_CONSENT and actions[-1] == Record(120)
    session, actions = step(flows, session, Recorded(), OPEN)
    assert isinstance(actions[0], SendText) and isinstance(actions[-1], Hangup)


def test_a_recording_ending_anywhere_else_goes_to_the_menu():
    session, actions = run("voice", "en", [Start(), Key("1"), Recorded()])
    assert session.node == "main" and isinstance(actions[-1], Gather)


def test_a_zip_code_is_five_keys_at_a_zip_node_and_one_key_elsewhere():
    session, actions = run("voice", "en", [Start(), Key("1"), Key("5"), Key("1")])
    assert actions[-1] == Gather(FLOWS.settings.gather_timeout, digits=5)
    session, actions = step(FLOWS, session, Key("94110"), OPEN)
    assert [pair[0] for pair in session.found] == ["mission_ssp", "bayview_treatment", "tenderloin_peer"]
    assert (actions[-1].timeout, actions[-1].digits, actions[-1].lang) == (FLOWS.settings.gather_timeout, 1, "en")
    session, actions = run("voice", "en", [Start(), Key("1"), Key("94110")])
    assert session.node == "main" and said(actions)[0] == phrases.NOT_AN_OPTION, "9 is not a main menu option"


def test_text_me_this_asks_for_the_guidance_just_heard():
    session, actions = run("voice", "es", [Start(), Key("2"), Key("1"), Key("1"), Key("2")])
    [send] = [a for a in actions if isinstance(a, SendText)]
    assert send.lang == "es" and [line.msgid for line in send.lines] == list(FLOWS.node("overdose").say)
    assert session.node == "overdose" and isinstance(actions[-1], Gather)


def test_texted_zip_requests():
    session, actions = run("sms", "en", [Message("94110")])
    assert said(actions)[0] == phrases.NEARBY_INTRO and session.node == "find_services" and session.found == ()
    _, actions = run("sms", "en", [Message("services 10001")])
    assert said(actions)[0] == phrases.NOT_NEAR
    _, actions = run("sms", "en", [Message("SERVICES nope")])
    assert said(actions)[0] == phrases.INVALID_ZIP
    _, actions = run("sms", "en", [Message("hi"), Message("1234")])
    assert said(actions)[0] == phrases.SMS_NOT_UNDERSTOOD, "four digits at the menu are not a ZIP code"
    flows = dataclasses.replace(FLOWS, flow=FLOWS.flow.model_copy(update={"near_me": None}))
    session, actions = run("sms", "en", [Message("hi"), Message("94110")], flows=flows)
    assert said(actions)[0] == phrases.SMS_NOT_UNDERSTOOD, "a ZIP code alone needs near_me"
