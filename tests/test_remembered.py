"""What each process remembers so that a webhook repeats no work: engine steps per bundle
(`hotline.flow.memo`) with the same answers as the engine and never one where the moment
matters, renders by identity, decoded sessions, SMS documents, and one HMAC of a number per
webhook. Bounded, and no words kept as written."""

from __future__ import annotations

import json

from hotline import text_reply
from hotline.bundle import Bundle
from hotline.flow.engine import begin, clocked_step, counted_step
from hotline.flow.events import Key, Message, Start
from hotline.flow.loader import load_flowset
from hotline.flow.memo import StepMemo
from hotline.flow.session import Person, Session
from hotline.i18n import Catalogues, add_catalogue_keywords
from hotline.remembered import Remembered, TextReplies

from .conftest import FIXTURE, words
from .test_services import MESSAGES, WEDNESDAY_9PM, WEDNESDAY_10AM, Clock, P, Twilio, make_app, numbers_dialled, reach

FLOWS = load_flowset(FIXTURE / "flows")


def test_a_remembered_step_is_the_engines_step_and_is_taken_once():
    memo = StepMemo(FLOWS)
    session = begin(FLOWS, "voice")
    first = memo(session, Start())
    assert first == counted_step(FLOWS, session, Start())
    again = memo(begin(FLOWS, "voice"), Start())  # an equal session, as a new call's read gives
    assert again[1] is first[1], "the second time comes from memory: the very actions it gave"
    chosen = memo(first[0], Key("1"))
    assert chosen == counted_step(FLOWS, first[0], Key("1")) and chosen[1] is not first[1]


def test_the_memo_is_bounded_and_keeps_the_most_recently_used():
    memo = StepMemo(FLOWS, size=2)
    start = begin(FLOWS, "voice")
    at_language = memo(start, Start())[0]
    memo(at_language, Key("1"))
    memo(start, Start())  # used again: now the most recent
    memo(at_language, Key("2"))  # pushes out the least recently used, Key("1")
    assert len(memo._steps) == 2
    assert memo(start, Start())[1] is memo(start, Start())[1]
    assert (at_language, Key("1")) not in memo._steps


def test_what_a_texter_wrote_is_remembered_only_as_a_digest():
    memo = StepMemo(FLOWS)
    body = "where can I get naloxone near 94110"
    reply = memo(begin(FLOWS, "sms"), Message(body))
    assert reply == counted_step(FLOWS, begin(FLOWS, "sms"), Message(body))
    [(_, key)] = memo._steps
    assert body not in repr(key) and "94110" not in repr(key)


def test_a_step_that_reads_the_clock_is_not_remembered(redis_client, httpserver):
    httpserver.expect_request(MESSAGES, method="POST").respond_with_json({"sid": "SM" + "0" * 32}, status=201)
    clock = Clock(WEDNESDAY_10AM)
    tw = Twilio(make_app(httpserver, clock).test_client())
    # At 10 AM the treatment transfer rings Bayview; at 9 PM, from the very same session,
    # Bayview is closed. A remembered step would ring it again.
    _, root = reach(tw, "en", "5", "2")
    assert numbers_dialled(root) == ["+14155550163"]
    clock.now = WEDNESDAY_9PM
    call = tw.call(caller="+12025550177")  # another caller (the first one's language is remembered)
    call.start()
    root = [call.press(key) for key in ("1", "5", "2")][-1]
    assert words(root) == f"{P['en']['treatment']} {P['en']['bayview_closed']} {P['en']['samhsa']}"
    assert numbers_dialled(root) == ["+18006624357"]


def test_a_render_is_found_by_the_identity_of_its_actions_then_by_their_value():
    from hotline.remembered import Renders

    rendered = []

    def render(actions, urls=""):
        rendered.append(actions)
        return f"{len(actions)} actions for {urls}"

    renders, memo = Renders(render, size=2), StepMemo(FLOWS)
    actions = memo(begin(FLOWS, "voice"), Start())[1]
    assert renders(actions, urls="a") == renders(actions, urls="a") == f"{len(actions)} actions for a"
    assert renders(tuple(actions), urls="a") is renders(actions, urls="a")
    equal = tuple(list(actions))  # another tuple of the same actions: found by value
    assert equal is not actions and renders(equal, urls="a") == f"{len(actions)} actions for a"
    assert renders(actions, urls="b") == f"{len(actions)} actions for b"
    assert rendered == [actions, actions], "rendered once per URL"
    assert len(renders._seen) <= 2


def test_a_stored_session_is_decoded_once_per_payload_and_as_before():


    session = Session(channel="voice", lang="es", node="main", back=("language",), found=(("bayview", 1.5),))
    payload = session.to_json().encode()
    decoded = Session.from_json(payload)
    assert decoded == session == Session.from_dict(json.loads(payload))
    assert decoded.found == (("bayview", 1.5),) and isinstance(decoded.back, tuple)
    assert Session.from_json(bytes(payload)) is decoded, "the same payload again: the same session"
    older = b'{"channel":"sms","lang":"en","node":"main","gone":1}'  # a field an older version kept
    assert Session.from_json(older) == Session(channel="sms", lang="en", node="main")


def test_a_number_is_hashed_once_per_text_and_once_per_call_step(app, twilio, monkeypatch):
    from hotline.state.sessions import SessionStore

    hashed = []
    digest = SessionStore.digest
    monkeypatch.setattr(SessionStore, "digest", lambda store, number: hashed.append(number) or digest(store, number))
    assert "Reply with a number" in twilio.text("hi", caller="+12025550166")
    assert hashed == ["+12025550166"]
    twilio.text("1", caller="+12025550166")
    assert hashed == ["+12025550166"] * 2
    call = twilio.call(caller="+12025550167")
    call.start()
    call.press("1")
    assert hashed == ["+12025550166"] * 2 + ["+12025550167"] * 2


def test_an_sms_document_is_built_once_per_reply():
    from hotline.channels.sms import render_sms

    document = render_sms("Reply with a number:\n1 Naloxone", "and more")
    assert document is render_sms("Reply with a number:\n1 Naloxone", "and more")
    assert document.count("<Message>") == 2 and render_sms(None).endswith("<Response />")


def test_threads_share_a_memo_and_each_gets_the_engines_step():
    import threading

    memo, start = StepMemo(FLOWS, size=8), begin(FLOWS, "voice")
    at_language = counted_step(FLOWS, start, Start())[0]
    inputs = [(start, Start()), *((at_language, Key(key)) for key in "123456789*0#")]
    expected = {pair: counted_step(FLOWS, *pair) for pair in inputs}
    wrong: list = []

    def hammer(offset: int) -> None:
        for i in range(300):
            pair = inputs[(i + offset) % len(inputs)]
            try:
                if memo(*pair) != expected[pair]:
                    wrong.append(pair)
            except Exception as exc:  # noqa: BLE001 - a thread's error would otherwise only be printed
                wrong.append(exc)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not wrong and len(memo._steps) <= 8


def _texts(step=None):
    """`TextReplies` on the fixture bundle (with `step` instead of the engine's memo)."""
    catalogues = Catalogues(FIXTURE / "locales", FLOWS.languages.languages)
    bundle = Bundle(add_catalogue_keywords(FLOWS, catalogues)[0], catalogues, ())
    kept = Remembered(bundle)
    return TextReplies(bundle, step or kept.step, kept.sms), bundle, kept


def test_a_text_reply_is_the_services_reply_and_is_worked_out_once():
    texts, bundle, kept = _texts()
    first = texts(None, Person(), "hi", 0, "", None)
    counted: list = []
    expected = text_reply.answer(bundle.flows, bundle.catalogues, None, Person(), "hi", 0, "", None, kept.sms, counted,
                                 kept.step)
    assert first == (*expected, tuple(counted)) and "Reply with a number" in first[2]
    again = texts(None, Person(), "hi", 0, "", None)  # another new texter, the same words
    assert again is first, "the second time comes from memory"
    assert texts(None, Person(lang="es"), "hi", 0, "", None) != first, "a remembered language is another reply"
    [key, _] = texts._replies
    assert "hi" not in repr(key)  # what was written is kept only as a digest


def test_a_text_whose_step_read_the_clock_is_not_remembered():
    class Clocked:
        """The engine's step, said to have read the clock (as opening hours do)."""

        def clocked(self, session, event, now=None):
            return (*clocked_step(FLOWS, session, event, now)[:3], True)

    texts, _, _ = _texts(Clocked())
    first = texts(None, Person(), "hi", 0, "", None)
    assert texts(None, Person(), "hi", 0, "", None) is not first and not texts._replies


def test_a_session_is_encoded_once_and_found_by_identity():
    session = begin(FLOWS, "sms").update(node="menu", back=("language",))
    payload = session.to_json()
    assert session.to_json() is payload
    equal = Session.from_dict(json.loads(payload))
    assert equal is not session and equal.to_json() == payload
    assert Session.from_json(payload) == session
