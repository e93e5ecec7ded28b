"""Bad input: oversized, malformed, mistyped or strange requests get a clear 4xx or valid TwiML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.web.form import MAX_FIELDS, parse_form

from .conftest import CALLER, PUBLIC_URL, check_voice, words

CALL = "CA" + "ab" * 16
ROUTES = ["/twilio/voice", "/twilio/voice/step", "/twilio/voice/dial", "/twilio/sms", "/twilio/status"]


def signed_raw(twilio, path: str, body: bytes, content_type: str, params: dict | None = None):
    """POST raw bytes with a signature over `params` (what a form parser would read)."""
    signature = twilio.validator.compute_signature(PUBLIC_URL + path, params or {})
    return twilio.client.post(path, data=body, headers={"X-Twilio-Signature": signature,
                                                        "Content-Type": content_type})


def refused(response, code: int, why: str) -> None:
    assert response.status_code == code
    assert response.mimetype == "text/plain"
    assert why in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ROUTES)
def test_an_oversized_body_is_refused_with_a_clear_413(twilio, redis_client, path):
    params = {"CallSid": CALL, "From": CALLER, "Body": "x" * (64 * 1024)}
    refused(twilio.post(path, params), 413, "larger than the 65536 bytes accepted")
    assert redis_client.keys("*") == []


@pytest.mark.parametrize("content_type, body", [
    ("application/json", b'{"CallSid": "%s", "From": "+12025550187"}' % CALL.encode()),
    ("text/plain", b"CallSid=" + CALL.encode()),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"CallSid\"\r\n\r\nCA\r\n--x--"),
])
@pytest.mark.parametrize("path", ROUTES)
def test_a_wrong_content_type_gets_415_and_changes_nothing(twilio, redis_client, path, content_type, body):
    refused(signed_raw(twilio, path, body, content_type), 415, "application/x-www-form-urlencoded")
    assert redis_client.keys("*") == []


@pytest.mark.parametrize("body", [
    b"CallSid=" + CALL.encode() + b"&From=%2B12025550187&Body=%FF%FE",
    b"CallSid=" + CALL.encode() + b"&From=%2B12025550187&Body=\xc3\x28",
    b"CallSid=" + CALL.encode() + b"&From=%2B12025550187&Body=%ED%A0%80",  # a lone surrogate
])
@pytest.mark.parametrize("path", ROUTES)
def test_invalid_utf8_gets_400_and_changes_nothing(twilio, redis_client, path, body):
    response = signed_raw(twilio, path, body, "application/x-www-form-urlencoded")
    refused(response, 400, "not valid UTF-8")
    assert redis_client.keys("*") == []


@pytest.mark.parametrize("body", [b"CallSid", b"CallSid=" + CALL.encode() + b"&&From=1", b"=&=&" * 300])
def test_a_malformed_form_gets_400(twilio, redis_client, body):
    for path in ROUTES:
        refused(signed_raw(twilio, path, body, "application/x-www-form-urlencoded"), 400, "well-formed form")
    assert redis_client.keys("*") == []


@pytest.mark.parametrize("path, params, why", [
    ("/twilio/voice", {"From": CALLER}, "missing CallSid"),
    ("/twilio/voice", {"CallSid": CALL}, "missing From"),
    ("/twilio/voice", {"CallSid": "CA123", "From": CALLER}, "not a Twilio call id"),
    ("/twilio/voice", {"CallSid": CALL + "0", "From": CALLER}, "not a Twilio call id"),
    ("/twilio/voice", {"CallSid": CALL, "From": "+1" * 40}, "From is too long"),
    ("/twilio/voice/step", {"Digits": "1"}, "missing CallSid"),
    ("/twilio/voice/dial", {"DialCallStatus": "completed"}, "missing CallSid"),
    ("/twilio/sms", {"Body": "hi"}, "missing From"),
    ("/twilio/sms", {"From": "", "Body": "hi"}, "missing From"),
    ("/twilio/status", {"CallStatus": "completed"}, "missing CallSid"),
])
def test_missing_or_malformed_ids_get_a_clear_400_and_nothing_is_stored(twilio, redis_client, path, params, why):
    refused(twilio.post(path, params), 400, why)
    assert redis_client.keys("*") == []


def test_unknown_parameters_are_ignored(twilio):
    extra = {"ApiVersion": "2010-04-01", "SomethingNew": "<x/>", "StirVerstat": "TN-Validation-Passed-A",
             "Digits": "9", "Body": "ignored on a call", "CallSid2": CALL}
    plain = twilio.call()
    noisy = twilio.call()
    assert words(plain.start()) == words(noisy._send("/twilio/voice", **extra))
    assert twilio.text("NARCAN", caller="+12025550111") == twilio.twiml(
        "/twilio/sms", {"From": "+12025550112", "Body": "NARCAN", "NumMedia": "0", "Whatever": "&amp;"}
    ).findtext("Message")


@pytest.mark.parametrize("body", [
    "<Response><Say>hi</Say></Response>", "]]><!--", "&amp; &#0; &lt;", "\"'<>&", "\x00\x01\x1f\x7f",
    "😀" * 4000, "\u202e\u200b\ufeffNARCAN\u2028", "ｎａｒｃａｎ", "N\u0301A\u0308R\u0327CAN", "a" * 60000,
])
def test_strange_texts_never_break_the_reply(twilio, body):
    reply = twilio.text(body)
    assert reply.strip()


@pytest.mark.parametrize("digits", ["<", "&", "]]>", "\x00", "12345", "é", "w", " "])
def test_strange_keys_never_break_the_call(twilio, digits):
    call = twilio.call()
    call.start()
    call.press("1")
    root = call.press(digits)
    check_voice(root)


@pytest.mark.parametrize("status", ["<b>", "", "completed&", "🙂"])
def test_strange_dial_results_never_break_the_call(twilio, status):
    call = twilio.call()
    call.start()
    call.press("1")
    call.press("0")
    check_voice(call.dial_result(status))


def test_a_status_callback_answers_valid_empty_twiml(twilio):
    response = twilio.post("/twilio/status", {"CallSid": CALL, "CallStatus": "ringing"})
    assert response.status_code == 200 and ET.fromstring(response.data).tag == "Response"


form_bytes = st.lists(st.one_of(
    st.sampled_from([b"&", b"=", b"%", b"+", b"%41", b"%2B", b"%26", b"%3D", b"%FF", b"%C3%A9", b"%ED%A0%80",
                     b"\xc3\xa9", b"\xff", b"CallSid", b"From", b"Body", b"a", b" ", b"~"]),
    st.binary(max_size=3)), max_size=40).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(form_bytes)
def test_the_form_parse_gives_and_refuses_exactly_what_a_strict_parse_qsl_does(body):
    """The cheaper parse in web/form.py against the standard library's strict one."""
    def outcome(parse):
        try:
            return parse()
        except UnicodeDecodeError:
            return "not UTF-8"
        except ValueError:
            return "malformed"

    expected = outcome(lambda: parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(body),
                                         encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS))
    assert outcome(lambda: parse_form(body)) == expected


def test_the_form_parse_counts_fields_as_parse_qsl_does():
    at_most = "&".join(["a=1"] * MAX_FIELDS).encode()
    assert len(parse_form(at_most)) == MAX_FIELDS
    with pytest.raises(ValueError):
        parse_form(at_most + b"&a=1")


@pytest.mark.parametrize("query", [b"n=%FF", b"n=3&lang=\xff", b"lang=%C3"])
def test_a_query_string_that_is_not_utf8_gets_400_even_from_a_server_that_passes_raw_bytes(twilio, query):
    environ = {"QUERY_STRING": query.decode("latin-1")}  # as WSGI hands raw bytes over (PEP 3333)
    response = twilio.client.post("/twilio/voice/step", data={"CallSid": "CA" + "1" * 32}, environ_overrides=environ)
    assert response.status_code == 400 and b"not valid UTF-8" in response.data


@pytest.mark.parametrize("confidence", ["nan", "inf", "-1", "-0.5", "NaN"])
def test_an_odd_confidence_counts_as_unsure(twilio, confidence):
    call = twilio.call()
    call.start()
    call.press("1")
    root = call._send(call.step_url, SpeechResult="naloxone", Confidence=confidence)
    assert "Please press a key" in words(root), "unsure speech asks for a key"
