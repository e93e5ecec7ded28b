"""Texts sent during a call are not an open relay: capped, counted, only where the line serves, sent once.

Caller ID can be spoofed, so "press 2 to get this by text" must never become a way to send a
stream of texts to someone's phone (harassment), or to numbers that pay per text (SMS pumping).
Twilio's REST API is a local HTTP server (pytest-httpserver); parallel copies of one webhook go
to a real gunicorn with two workers.
"""

from __future__ import annotations

import threading
import time

import pytest
from werkzeug import Response

from .conftest import CALLER, Twilio, redis_contents, words
from .servers import gunicorn, post
from .test_services import MESSAGES, SID, Clock, make_app, texts

SENT = "I sent you a text message."
ALREADY = "I already sent you a text about this."
NO_MORE = "No more texts can be sent on this call."
NOT_MOBILE = "This phone number cannot get text messages, so no text was sent."
#: From the overdose menu: four guidance nodes, each reached with its key and left with #.
GUIDANCE = ["1", "2", "3", "4"]


@pytest.fixture
def twilio_api(httpserver):
    httpserver.expect_request(MESSAGES, method="POST").respond_with_json({"sid": "SM" + "1" * 32}, status=201)
    return httpserver


def app_with(httpserver, **settings):
    return make_app(httpserver, Clock(None), **{k: str(v) for k, v in settings.items()})


def at_overdose_menu(app, caller: str = CALLER):
    call = Twilio(app.test_client()).call(caller)
    call.start()
    call.press("1")  # English
    call.press("1")  # an overdose or naloxone
    return call


def text_from(call, key: str) -> str:
    """Go to the guidance under `key`, press 2 for a text, come back; what the caller was told."""
    call.press(key)
    told = words(call.press("2"))
    call.press("#")
    return told


def test_pressing_2_again_and_again_sends_one_text(redis_client, twilio_api):
    call = at_overdose_menu(app_with(twilio_api))
    call.press("1")
    assert words(call.press("2")).startswith(SENT)
    for _ in range(5):
        assert words(call.press("2")).startswith(ALREADY)
    assert len(texts(twilio_api)) == 1


def test_a_call_sends_a_few_texts_at_most(redis_client, twilio_api):
    call = at_overdose_menu(app_with(twilio_api, HOTLINE_TEXTS_PER_CALL=3))
    told = [text_from(call, key) for key in GUIDANCE]
    assert [t.split(". ")[0] + "." for t in told] == [SENT, SENT, SENT, NO_MORE]
    assert len(texts(twilio_api)) == 3
    fresh = at_overdose_menu(app_with(twilio_api, HOTLINE_TEXTS_PER_CALL=3))
    assert text_from(fresh, "1").startswith(SENT), "the cap is per call"


def test_texts_during_calls_count_against_the_destinations_flood_limit(redis_client, twilio_api):
    app = app_with(twilio_api, HOTLINE_TEXTS_PER_NUMBER=3)
    twilio = Twilio(app.test_client())
    twilio.text("hi")
    twilio.text("1")  # the number has used 2 of its 3 texts this hour
    call = at_overdose_menu(app)
    assert text_from(call, "1").startswith(SENT)
    assert text_from(call, "2").startswith(NO_MORE)
    assert len(texts(twilio_api)) == 1
    assert twilio.sms("hi") is None, "and the text sent counted: the number is past its limit now"


def test_texts_during_calls_have_an_overall_limit_of_their_own(redis_client, twilio_api):
    app = app_with(twilio_api, HOTLINE_CALL_TEXTS_TOTAL=2)
    for n, expected in enumerate([SENT, SENT, NO_MORE, NO_MORE]):
        assert text_from(at_overdose_menu(app, caller=f"+1202555017{n}"), "1").startswith(expected)
    assert len(texts(twilio_api)) == 2
    keys = {key for key in redis_contents(redis_client) if key.startswith(b"hotline:rate:calltext")}
    assert keys == {b"hotline:rate:calltext"} and 0 < redis_client.ttl(b"hotline:rate:calltext") <= 3600


@pytest.mark.parametrize("caller, countries, sent", [
    ("+18765550123", "", False),  # Jamaica shares +1 with the US: a classic pumping destination
    ("+14165550123", "", False),  # Canada: not served unless listed
    ("+14165550123", "US,CA", True),
    ("+447400123456", "GB", True),
    ("+12025550187", "GB", False),
    ("anonymous", "", False),
])
def test_texts_go_only_to_the_countries_the_programme_serves(redis_client, twilio_api, caller, countries, sent):
    app = app_with(twilio_api, **({"HOTLINE_TEXT_COUNTRIES": countries} if countries else {}))
    told = text_from(at_overdose_menu(app, caller=caller), "1")
    assert told.startswith(SENT if sent else NOT_MOBILE)
    assert [t["To"] for t in texts(twilio_api)] == ([caller] if sent else [])


def test_a_repeated_webhook_never_sends_the_text_twice(redis_client, twilio_api):
    call = at_overdose_menu(app_with(twilio_api))
    call.press("1")
    url = call.step_url
    first = call._send(url, Digits="2")
    again = call._send(url, Digits="2")  # Twilio retries the same turn
    assert words(first) == words(again) and words(first).startswith(SENT)
    assert len(texts(twilio_api)) == 1


def test_parallel_copies_of_one_turn_on_two_workers_send_one_text(redis_client, httpserver):
    def slow_twilio(_request):  # each copy is still sending while the other worker reads the call
        time.sleep(0.3)
        return Response('{"sid": "SM1"}', status=201, content_type="application/json")

    httpserver.expect_request(MESSAGES, method="POST").respond_with_handler(slow_twilio)
    twilio_api = httpserver
    settings = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_API_URL": twilio_api.url_for("/"), "HOTLINE_SMS_TIMEOUT": "2"}
    with gunicorn(settings, workers=2) as port:
        call = {"CallSid": "CA" + "9" * 32, "From": CALLER, "To": "+12025550100"}
        post(port, "/twilio/voice", call)
        for key, n in (("1", 1), ("1", 2), ("1", 3)):
            root = post(port, f"/twilio/voice/step?n={n}&lang=en", {**call, "Digits": key})
        answers = []

        def press_2():
            answers.append(words(post(port, "/twilio/voice/step?n=4&lang=en", {**call, "Digits": "2"})))

        copies = [threading.Thread(target=press_2) for _ in range(6)]
        for copy in copies:
            copy.start()
        for copy in copies:
            copy.join()
    assert "naloxone" in words(root)
    assert len(answers) == 6 and all(answer.startswith(SENT) for answer in answers), answers
    assert len(texts(twilio_api)) == 1, "one text, however many copies of the webhook arrived"
