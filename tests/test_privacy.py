"""Privacy: after whole conversations, no phone number or message body anywhere; FORGET erases."""

from __future__ import annotations

import logging
import re

import pytest

from hotline import create_app

from .conftest import ROOT, SETTINGS, Twilio, redis_contents

CALLERS = ["+12025550187", "+13055550122", "+447700900461"]
# Each body has a word no prompt uses, so finding it anywhere means the body was kept.
BODIES = ["narcan por favor 42 Quillberry Street", "help me my friend Zorvath is blue", "xylazine wound Marrowind",
          "¿dónde consigo naloxona cerca de Vellisande?", "purple elephant <b>&amp;</b> Oxtravel"]
MARKERS = ["Quillberry", "Zorvath", "Marrowind", "Vellisande", "Oxtravel"]


def forms_of(number: str) -> list[bytes]:
    """The ways a number could show up: E.164, without +, national, last seven digits."""
    digits = number.lstrip("+")
    return [number.encode(), digits.encode(), digits[-10:].encode(), digits[-7:].encode()]


def converse(twilio: Twilio) -> None:
    for caller in CALLERS:
        call = twilio.call(caller)
        call.start()
        call.press("2")
        call.press("1")
        call.press("9")
        call.silence()
        call.press("0")
        call.dial_result("no-answer")
        for body in [*BODIES, "ES", "1", "2", "0", "menu"]:
            twilio.text(body, caller=caller)


def assert_nothing_personal(haystack: bytes) -> None:
    for caller in CALLERS:
        for form in forms_of(caller):
            assert form not in haystack, form
    for body in BODIES:
        assert body.encode() not in haystack, body
    for marker in MARKERS:
        assert marker.lower().encode() not in haystack.lower(), marker


def test_whole_conversations_leave_no_number_or_body_in_redis_or_the_logs(redis_client, caplog):
    caplog.set_level(logging.DEBUG)
    twilio = Twilio(create_app(SETTINGS).test_client())
    converse(twilio)
    # and the same people while Redis is away, when every failure is logged
    broken = Twilio(create_app({**SETTINGS, "REDIS_URL": "redis://127.0.0.1:1/0"}).test_client())
    converse(broken)
    contents = redis_contents(redis_client)
    assert contents, "the conversations were stored"
    for key in contents:
        assert redis_client.ttl(key) > 0, f"{key!r} would never expire"
    stored = b"\n".join(key + b" " + value for key, value in contents.items())
    assert_nothing_personal(stored)
    logged = caplog.text  # every record as formatted, tracebacks included
    assert "safe message" in logged, "the failures were logged"
    assert_nothing_personal(logged.encode())


@pytest.mark.parametrize("word, lang", [
    ("FORGET", "en"), ("forget me", "en"), ("Delete.", "en"), ("olvidar", "es"), ("Bórreme", "es"),
    ("OLVÍDEME", "es"), ("borrar", "es"),
])
def test_forget_deletes_everything_stored_for_the_number_and_says_so(twilio, redis_client, word, lang):
    caller = "+12025550155"
    twilio.text("ES", caller=caller)
    twilio.text("1", caller=caller)
    twilio.text("hello")  # someone else
    before = set(redis_client.keys("hotline:sms:*"))
    assert len(before) == 2
    answer = twilio.text(word, caller=caller)
    expected = "Done: everything this line kept" if lang == "en" else "Listo: borramos todo"
    assert answer.startswith(expected) and "911" in answer
    left = set(redis_client.keys("hotline:sms:*"))
    assert len(left) == 1 and left < before, "only the other texter's conversation is left"
    fresh = twilio.text("hola", caller=caller)
    assert "Sorry" not in fresh and "Lo siento" not in fresh, "the next text starts afresh"


def test_forget_only_counts_as_the_whole_message(twilio):
    twilio.text("hi")
    assert not twilio.text("forget it, where is naloxone").startswith("Done")
    assert not twilio.text("I forget").startswith("Done")


def test_a_repeated_forget_is_harmless(twilio, redis_client):
    twilio.text("hi")
    assert twilio.text("FORGET").startswith("Done") and twilio.text("FORGET").startswith("Done")
    assert redis_client.keys("hotline:sms:*") == []


def documented_keys() -> list[str]:
    """Every key of docs/privacy.md's table, as written (`hotline:sms:<digest>`)."""
    table = [line for line in (ROOT / "docs" / "privacy.md").read_text(encoding="utf-8").splitlines()
             if line.startswith("| `hotline")]
    return [key for line in table for key in re.findall(r"`(hotline:[^`]*)`", line.split(" | ")[0])]


def test_the_privacy_page_lists_every_key_the_code_writes():
    written = set()
    for path in (ROOT / "hotline").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'f"\{PREFIX\}:([^"{]*)', source))
        written |= {"console:" + key for key in re.findall(r'f"\{CONSOLE\}:([^"{]*)', source)}
    documented = [key.removeprefix("hotline:").split("<")[0] for key in documented_keys()]
    for prefix in written:
        assert any(key.startswith(prefix) for key in documented), f"hotline:{prefix}... is not in docs/privacy.md"
    for key in documented:
        assert any(key.startswith(prefix) for prefix in written), f"hotline:{key} is documented but never written"


def test_every_key_left_in_redis_is_one_the_privacy_page_lists(redis_client):
    patterns = [re.compile(re.sub(r"<[^>]+>", "[^:]+", re.escape(key).replace(r"\<", "<").replace(r"\>", ">")) + "$")
                for key in documented_keys()]
    app = create_app(SETTINGS)
    twilio = Twilio(app.test_client())
    converse(twilio)
    assert twilio.sms("STOP", caller=CALLERS[0]) is None
    app.test_client().get("/healthz")
    keys = [key.decode() for key in redis_client.keys("*")]
    assert {"hotline:health", "hotline:rate:call"} <= set(keys) and any(k.startswith("hotline:lang:") for k in keys)
    for key in keys:
        assert any(pattern.match(key) for pattern in patterns), f"{key} is not in docs/privacy.md"
