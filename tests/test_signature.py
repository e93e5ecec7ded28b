"""Twilio signatures behind a TLS-terminating proxy, with ports and query strings, and replays."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from hotline import create_app
from hotline.web.signature import sign

from .conftest import CALLER, SETTINGS, TOKEN

SMS = {"From": CALLER, "To": "+12025550100", "Body": "NARCAN", "MessageSid": "SM" + "1" * 32}
CALL = {"CallSid": "CA" + "c" * 32, "From": CALLER, "Digits": "2"}
validator = RequestValidator(TOKEN)


def client_for(redis_client, **settings):
    return create_app({**SETTINGS, **settings}).test_client()


def post(client, path: str, params: dict, signed_url: str, **headers):
    signature = validator.compute_signature(signed_url, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature, **headers})


@pytest.mark.parametrize("public, signed", [
    ("https://hotline.example.org", "https://hotline.example.org/twilio/sms"),
    ("https://hotline.example.org", "https://hotline.example.org:443/twilio/sms"),
    ("https://hotline.example.org:443", "https://hotline.example.org/twilio/sms"),
    ("https://hotline.example.org:8443/", "https://hotline.example.org:8443/twilio/sms"),
    ("http://hotline.example.org", "http://hotline.example.org:80/twilio/sms"),
])
def test_the_public_url_is_used_with_or_without_an_explicit_port(redis_client, public, signed):
    client = client_for(redis_client, HOTLINE_PUBLIC_URL=public)
    assert post(client, "/twilio/sms", SMS, signed).status_code == 200


@pytest.mark.parametrize("signed", [
    "https://hotline.example.org:8443/twilio/sms",  # another port
    "http://hotline.example.org/twilio/sms",  # another scheme
    "https://other.example.org/twilio/sms",  # another host
    "https://hotline.example.org/twilio/sms?n=1",  # another query
])
def test_a_signature_for_another_url_is_refused(redis_client, signed):
    client = client_for(redis_client)
    assert post(client, "/twilio/sms", SMS, signed).status_code == 403
    assert redis_client.keys("*") == []


def test_query_strings_are_signed_and_a_replay_on_another_url_is_refused(redis_client):
    client = client_for(redis_client)
    good = "/twilio/voice/step?n=3&lang=es"
    signature = validator.compute_signature("https://hotline.example.org" + good, CALL)
    headers = {"X-Twilio-Signature": signature}
    assert client.post(good, data=CALL, headers=headers).status_code == 200
    for other in ["/twilio/voice/step?n=4&lang=es", "/twilio/voice/step?lang=es&n=3", "/twilio/voice/step",
                  "/twilio/voice/dial?n=3&lang=es", "/twilio/voice?n=3&lang=es"]:
        assert client.post(other, data=CALL, headers=headers).status_code == 403, other


def test_a_wrong_token_or_a_changed_parameter_is_refused(redis_client):
    client = client_for(redis_client)
    url = "https://hotline.example.org/twilio/sms"
    forged = RequestValidator("another-token").compute_signature(url, SMS)
    assert client.post("/twilio/sms", data=SMS, headers={"X-Twilio-Signature": forged}).status_code == 403
    signature = validator.compute_signature(url, SMS)
    for changed in [{**SMS, "Body": "narcan"}, {**SMS, "From": "+12025550188"}, {**SMS, "Extra": ""},
                    {k: v for k, v in SMS.items() if k != "To"}]:
        assert client.post("/twilio/sms", data=changed, headers={"X-Twilio-Signature": signature}).status_code == 403
    assert redis_client.keys("*") == []


def test_behind_a_trusted_proxy_the_forwarded_url_is_checked(redis_client):
    client = client_for(redis_client, HOTLINE_PUBLIC_URL="", HOTLINE_PROXY_HOPS="1")
    public = "https://hotline.example.org/twilio/sms"
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hotline.example.org"}
    assert post(client, "/twilio/sms", SMS, public, **forwarded).status_code == 200
    assert post(client, "/twilio/sms", SMS, public).status_code == 403, "without the proxy's headers"
    assert post(client, "/twilio/sms", SMS, "http://localhost/twilio/sms", **forwarded).status_code == 403
    with_port = {**forwarded, "X-Forwarded-Port": "8443"}
    on_port = "https://hotline.example.org:8443/twilio/sms"
    assert post(client, "/twilio/sms", SMS, on_port, **with_port).status_code == 200
    prefixed = {**forwarded, "X-Forwarded-Prefix": "/hotline"}
    assert post(client, "/twilio/sms", SMS, "https://hotline.example.org/hotline/twilio/sms",
                **prefixed).status_code == 200


def test_only_the_configured_number_of_proxies_is_trusted(redis_client):
    # One trusted proxy appends the host it was called on; a value a client put first is not believed.
    client = client_for(redis_client, HOTLINE_PUBLIC_URL="", HOTLINE_PROXY_HOPS="1")
    spoofed = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "attacker.example, hotline.example.org"}
    assert post(client, "/twilio/sms", SMS, "https://attacker.example/twilio/sms", **spoofed).status_code == 403
    assert post(client, "/twilio/sms", SMS, "https://hotline.example.org/twilio/sms", **spoofed).status_code == 200
    untrusting = client_for(redis_client, HOTLINE_PUBLIC_URL="")
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hotline.example.org"}
    assert post(untrusting, "/twilio/sms", SMS, "https://hotline.example.org/twilio/sms",
                **forwarded).status_code == 403, "with no trusted proxy, forwarded headers are ignored"
    assert post(untrusting, "/twilio/sms", SMS, "http://localhost/twilio/sms").status_code == 200


field_text = st.text(st.characters(codec="utf-8"), max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(field_text, field_text), max_size=12), field_text)
def test_the_signature_of_the_parsed_pairs_is_the_librarys(pairs, path):
    """Repeated names and values included: names sorted, each name's distinct values sorted."""
    url = "https://hotline.example.org/" + path
    grouped = MultiDict(pairs)
    assert sign(TOKEN, url, pairs).decode() == validator.compute_signature(url, grouped)


def test_a_repeated_field_is_signed_as_twilio_signs_it(redis_client):
    client = client_for(redis_client)
    params = [*SMS.items(), ("MediaUrl", "b"), ("MediaUrl", "a"), ("MediaUrl", "b")]
    signature = validator.compute_signature("https://hotline.example.org/twilio/sms", MultiDict(params))
    assert client.post("/twilio/sms", data=MultiDict(params), headers={"X-Twilio-Signature": signature}
                       ).status_code == 200
    assert client.post("/twilio/sms", data=MultiDict(params[:-1] + [("MediaUrl", "c")]),
                       headers={"X-Twilio-Signature": signature}).status_code == 403
