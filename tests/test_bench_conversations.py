"""The benchmark's conversation generator sends what Twilio sends: signed, accepted, answered.

Only the generator is tested here; the benchmark itself (bench/run.py) prints figures and
is never part of the test suite.
"""

from __future__ import annotations

from twilio.request_validator import RequestValidator

from bench.conversations import conversations

from .conftest import PUBLIC_URL, TOKEN


def test_every_scripted_conversation_is_signed_and_gets_the_answers_it_expects(app):
    client, validator = app.test_client(), RequestValidator(TOKEN)
    generator = conversations()
    for conversation in [next(generator) for _ in range(6)]:  # each voice and SMS script at least once
        for request in conversation:
            headers = {"X-Twilio-Signature": request.signature(validator, PUBLIC_URL)}
            response = client.post(request.path, data=request.body(), headers=headers,
                                   content_type="application/x-www-form-urlencoded")
            assert request.check(response.status_code, response.data) is None, response.data


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
