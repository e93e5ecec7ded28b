"""Texts sent outside the reply path keep the reply path's rules: the language's GSM-7
conversion and the segment budget, in several messages where they must, never one over it.

Signed webhooks against a real Redis; Twilio's REST API is a local HTTP server
(pytest-httpserver) that records the texts sent during calls.
"""

from __future__ import annotations

import hashlib
import hmac
import xml.etree.ElementTree as ET

import pytest

from hotline import create_app
from hotline.channels.sms import paginate, sms_plain, whole_texts
from hotline.flow.events import text
from hotline.flow.loader import load_flowset
from hotline.state.limits import LIMIT_SMS_BUSY, Limits
from hotline.texting.segments import measure

from .conftest import FIXTURE, SECRET, SETTINGS, Twilio, check_voice
from .servers import free_port
from .test_services import MESSAGES, Clock, make_app, texts

FLOWS = load_flowset(FIXTURE / "flows")
BUDGET = FLOWS.settings.max_sms_segments
#: The keys that choose each language a caller can choose (Haitian Creole has no voice and,
#: in the fixture, no recordings: a caller who chooses it is put through to a person).
CALL_LANGS = {"en": ["1"], "es": ["2"], "zh": ["3"], "vi": ["4"], "fil": ["5", "1"], "fr": ["5", "2"],
              "ar": ["5", "3"]}


def kept(message: str, lang: str) -> None:
    """Within the budget, and already as plain as the language's `sms_gsm7` makes it."""
    assert measure(message).segments <= BUDGET, (lang, measure(message), message)
    assert sms_plain(message, FLOWS, lang) == message, f"{lang}: not converted as its sms_gsm7 says"


def bodies(root: ET.Element) -> list[str]:
    return [message.text for message in root.findall("Message")]


@pytest.fixture
def twilio_api(httpserver):
    httpserver.expect_request(MESSAGES, method="POST").respond_with_json({"sid": "SM" + "1" * 32}, status=201)
    return httpserver


@pytest.mark.parametrize("lang", sorted(CALL_LANGS))
def test_every_text_sent_during_a_call_is_converted_and_within_the_budget(redis_client, twilio_api, lang):
    app = make_app(twilio_api, Clock(None), HOTLINE_TEXTS_PER_CALL="10", HOTLINE_TEXTS_PER_NUMBER="100")
    call = Twilio(app.test_client()).call()
    call.start()
    for key in CALL_LANGS[lang]:
        call.press(key)
    call.press("1")  # the overdose menu: four guidance nodes, each texted with 2
    for key in "1234":
        call.press(key)
        check_voice(call.press("2"))
        call.press("#")
    sent = [message["Body"] for message in texts(twilio_api)]
    assert len(sent) >= 4, "each guidance node was texted"
    for message in sent:
        kept(message, lang)


def test_the_safe_text_when_redis_is_down_is_within_the_budget(redis_client):
    app = create_app({**SETTINGS, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "HOTLINE_REDIS_TIMEOUT_MS": "200"})
    root = Twilio(app.test_client()).twiml("/twilio/sms", {"From": "+12025550187", "Body": "hola",
                                                           "MessageSid": "SM" + "2" * 32})
    messages = bodies(root)
    assert messages and "911" in messages[0], "the first message already says to call 911"
    for message in messages:
        assert measure(message).segments <= BUDGET, measure(message)


@pytest.mark.parametrize("lang", sorted(FLOWS.languages.languages))
def test_the_flood_notice_is_in_the_texters_language_and_within_the_budget(redis_client, lang):
    app = create_app(SETTINGS)
    twilio, number = Twilio(app.test_client()), "+12025550133"
    twilio.text(FLOWS.languages.languages[lang].keywords[0], number)  # the language is remembered
    digest = hmac.new(SECRET.encode(), number.encode(), hashlib.sha256).hexdigest()
    mine, everyone = (key for key, _ in Limits(3600, 60, 1000).counters("sms", digest))
    redis_client.delete(mine)  # a new window for this number ...
    redis_client.set(everyone, 10_000, ex=3600)  # ... during a flood: everyone's counter far past the limit
    notice = bodies(twilio.twiml("/twilio/sms", {"From": number, "Body": "hello", "MessageSid": "SM" + "3" * 32}))
    bundle = app.extensions["hotline"].published.bundle
    assert notice == whole_texts([(text(LIMIT_SMS_BUSY), lang)], bundle.catalogues, bundle.flows)
    for message in notice:
        kept(message, lang)
    fresh = bodies(twilio.twiml("/twilio/sms", {"From": "+12025550134", "Body": "hi", "MessageSid": "SM" + "4" * 32}))
    assert fresh, "a first-time texter is told, in the two first languages"
    for message in fresh:
        assert measure(message).segments <= BUDGET, measure(message)


def test_a_line_written_without_spaces_is_cut_between_characters_to_stay_within_the_budget():
    line = "如果有人没有呼吸或叫不醒，请立即拨打九一一。" * 12  # 264 characters of Chinese, no spaces
    for budget in (1, 2, 3):
        pages = paginate([line, "谢谢。"], budget, None)
        assert all(measure(page).segments <= budget for page in pages), [measure(p) for p in pages]
        assert "".join(page.replace("\n", "") for page in pages) == line + "谢谢。", "nothing lost"
    with_more = paginate([line], 1, "回复 MORE")
    assert all(measure(page).segments <= 1 for page in with_more)


def test_a_link_is_never_cut_even_when_it_is_over_the_budget():
    link = "https://example.org/" + "a" * 200
    pages = paginate([f"Read {link} now."], 1, None)
    assert link in pages, "a link cut in two would not work: it is sent whole, and the check reports it"
