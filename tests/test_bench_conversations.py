"""The benchmark's conversation generator sends what Twilio sends: signed, accepted, answered.

Only the generator is tested here; the benchmark itself (bench/run.py) prints figures and
is never part of the test suite.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from twilio.request_validator import RequestValidator

from bench.conversations import conversations
from bench.scenarios import NAMES, SPACING, build

from .conftest import PUBLIC_URL, TOKEN


def test_every_scripted_conversation_is_signed_and_gets_the_answers_it_expects(app):
    client, validator = app.test_client(), RequestValidator(TOKEN)
    generator = conversations()
    for conversation in [next(generator) for _ in range(6)]:  # each voice and SMS script at least once
        action = None
        for request in conversation:
            if action and request.path.startswith("/twilio/voice/"):
                assert request.path == action, "the benchmark calls the URL the hotline's answer gave"
            headers = {"X-Twilio-Signature": request.signature(validator, PUBLIC_URL)}
            response = client.post(request.path, data=request.body(), headers=headers,
                                   content_type="application/x-www-form-urlencoded")
            assert request.check(response.status_code, response.data) is None, response.data
            if request.path.startswith("/twilio/voice"):
                root = ET.fromstring(response.data)
                found = [e.get("action") for e in root.iter() if e.get("action")]
                found += [e.text for e in root.iter("Redirect")]
                action = found[0] if found else None


def test_webhooks_carry_as_many_fields_as_twilio_sends_for_a_us_caller():
    generator = conversations()
    sizes = {len(request.params) for conversation in [next(generator) for _ in range(6)] for request in conversation}
    assert min(sizes) >= 20 and max(sizes) <= 28, sizes


def test_a_wrong_answer_counts_as_an_error(app):
    request = next(conversations())[0]
    assert request.check(403, b"") == "/twilio/voice: HTTP 403"
    assert "lacks" in request.check(200, b"<Response><Say>Hello</Say></Response>")
    trouble = app.extensions["hotline"].trouble_call().encode()
    assert "trouble" in request.check(200, trouble)


def test_concurrent_conversations_never_share_a_session():
    generator = conversations()
    batch = [next(generator) for _ in range(300)]
    calls = {dict(c[0].params)["CallSid"] for c in batch if c[0].path == "/twilio/voice"}
    texters = {dict(c[0].params)["From"] for c in batch if c[0].path == "/twilio/sms"}
    assert len(calls) + len(texters) == 300
    assert all("55501" in number for number in texters), "fictional numbers only"


@pytest.mark.parametrize("name", NAMES)
def test_each_scenario_gets_the_answers_it_expects_and_none_is_a_repeat(app, name):
    client, validator = app.test_client(), RequestValidator(TOKEN)
    scenario = build(name, 3 * SPACING)
    for request in (*scenario.seed, *scenario.requests):
        headers = {"X-Twilio-Signature": request.signature(validator, PUBLIC_URL)}
        response = client.post(request.path, data=request.body(), headers=headers,
                               content_type="application/x-www-form-urlencoded")
        assert request.check(response.status_code, response.data) is None, response.data
    ids = [(request.path, dict(request.params).get("CallSid"), dict(request.params).get("MessageSid"))
           for request in scenario.requests]
    assert len(set(ids)) == len(ids), "a repeated request would be answered from memory"
