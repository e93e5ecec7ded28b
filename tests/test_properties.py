"""Property-based: whatever Twilio (or anyone) sends, the answer is 200 and TwiML, or 403.

Hypothesis makes up webhook parameters, unknown extra parameters, message bodies and long
sequences of keys and texts. With a valid signature every answer must be 200 and valid
TwiML; without one, every answer must be 403 and nothing may be stored.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import create_app

from .conftest import SETTINGS, Twilio, check_voice

ROUTES = ["/twilio/voice", "/twilio/voice/step", "/twilio/voice/dial", "/twilio/sms", "/twilio/status"]
KNOWN = {"CallSid", "From", "Body", "Digits", "DialCallStatus", "MessageSid", "CallStatus"}
texts = st.text(st.characters(codec="utf-8"), max_size=300)
extra_params = st.dictionaries(st.text(st.characters(codec="utf-8"), min_size=1, max_size=20).filter(
    lambda key: key not in KNOWN), texts, max_size=4)
keys = st.one_of(st.sampled_from(list("0123456789*#")), st.none(), st.just("dial"), texts)
bodies = st.one_of(st.sampled_from(["MENU", "ES", "EN", "1", "2", "0", "#", "NARCAN", "olvidar", "hola"]), texts)
header_values = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)  # what HTTP allows
common = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
numbers = itertools.count(1)


@pytest.fixture
def twilio(redis_client):
    # High limits: these tests send many texts, and the limits have tests of their own.
    return Twilio(create_app({**SETTINGS, "HOTLINE_TEXTS_PER_NUMBER": "100000",
                              "HOTLINE_TEXTS_TOTAL": "100000"}).test_client())


def fresh_number() -> str:
    return f"+1202555{next(numbers) % 10000:04d}"


def params_for(data, route: str) -> dict:
    params = {"CallSid": f"CA{next(numbers):032x}", "From": fresh_number(), "To": "+12025550100"}
    params.update(data.draw(extra_params))
    if route == "/twilio/sms":
        params.update(Body=data.draw(texts), MessageSid=data.draw(texts))
    else:
        params.update(Digits=data.draw(texts), DialCallStatus=data.draw(texts), CallStatus=data.draw(texts))
    return params


@common
@given(data=st.data(), route=st.sampled_from(ROUTES), query=st.sampled_from(["", "?n=1&lang=es", "?n=x&lang=<"]))
def test_any_signed_webhook_gets_200_and_twiml(twilio, data, route, query):
    response = twilio.post(route + query, params_for(data, route))
    assert response.status_code == 200, response.data
    assert ET.fromstring(response.data).tag == "Response"


@common
@given(data=st.data(), route=st.sampled_from(ROUTES), signature=st.one_of(st.none(), header_values))
def test_any_unsigned_or_forged_webhook_gets_403(twilio, redis_client, data, route, signature):
    params = params_for(data, route)
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    response = twilio.client.post(route, data=params, headers=headers)
    assert response.status_code == 403
    assert redis_client.dbsize() == 0


@common
@given(presses=st.lists(keys, max_size=40))
def test_any_sequence_of_keys_gets_a_valid_answer_every_time(twilio, presses):
    call = twilio.call(fresh_number())
    root = call.start()
    for press in presses:
        if root[-1].tag == "Hangup":
            root = call.start()  # the caller rings again
        elif press == "dial":
            root = call.dial_result("completed")
        elif press is None:
            root = call.silence()
        else:
            root = call.press(press)
        check_voice(root)


@common
@given(messages=st.lists(bodies, min_size=1, max_size=40))
def test_any_sequence_of_texts_gets_one_reply_each(twilio, messages):
    caller = fresh_number()
    for body in messages:
        assert twilio.text(body, caller=caller)
