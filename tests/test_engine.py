"""The engine on plain data: tables of inputs and the actions they must produce."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hotline.flow import phrases
from hotline.flow.engine import FlowLoop, begin, step
from hotline.flow.events import Dial, DialResult, Gather, Hangup, Key, Message, Options, Say, Silence, Start
from hotline.flow.loader import load_flowset

from .conftest import FIXTURE, ROOT

FLOWS = load_flowset(FIXTURE / "flows")


def summary(actions) -> list[str]:
    """A compact, readable form of actions: 'say:<msgid>', 'options:12345', 'gather', ..."""
    out = []
    for action in actions:
        if isinstance(action, Say):
            out.append(f"say:{action.text.msgid}")
        elif isinstance(action, Options):
            out.append("options:" + "".join(key for key, _ in action.items))
        elif isinstance(action, Gather):
            out.append("gather")
        elif isinstance(action, Dial):
            out.append("dial:" + ",".join(action.numbers))
        elif isinstance(action, Hangup):
            out.append("hangup")
    return out


def run(channel: str, *inputs):
    session = begin(FLOWS, channel)
    actions = ()
    for event in inputs:
        session, actions = step(FLOWS, session, event)
    return session, summary(actions)


LANGUAGE_MENU = [f"say:{choice.say}" for choice in FLOWS.node("language").options] + ["gather"]
OTHER_HINTS = [f"say:{lang.sms_hint}" for code, lang in FLOWS.languages.languages.items() if code != "en"]
EMERGENCY = "say:If someone is not breathing or will not wake up, hang up and call {emergency} now."
FIXED = [f"say:{phrases.FIXED_KEYS}", f"say:{phrases.MORE_TIME_KEY}"]
TABLE = [
    # (channel, inputs, node afterwards, actions of the last input)
    # emergency first: the first sentence of a call, in English and Spanish, then the language menu
    ("voice", [Start()], "language", [f"say:{phrases.EMERGENCY_FIRST}"] * 2 + LANGUAGE_MENU),
    # the first main menu is short: the fixed keys come after the first choice or silence
    ("voice", [Start(), Key("1")], "main", [EMERGENCY, "options:12345", "gather"]),
    ("voice", [Start(), Key("1"), Key("5")], "connect", ["options:12345", *FIXED, "gather"]),
    ("voice", [Start(), Key("1"), Key("5"), Key("4")], "person",
     ["say:Connecting you to a person. Please stay on the line.", "dial:+12025550143"]),
    # asking again keeps the emergency line
    ("voice", [Start(), Key("1"), Key("9")], "main",
     [f"say:{phrases.NOT_AN_OPTION}", EMERGENCY, "options:12345", *FIXED, "gather"]),
    ("voice", [Start(), Key("1"), Silence()], "main",
     [f"say:{phrases.NOTHING_HEARD}", f"say:{phrases.MORE_TIME_OFFER}", EMERGENCY, "options:12345", *FIXED,
      "gather"]),
    ("voice", [Start(), Key("1"), Key("*")], "main", [EMERGENCY, "options:12345", "gather"]),
    ("voice", [Start(), Key("1"), Key("#")], "language", LANGUAGE_MENU),
    ("voice", [Start(), Key("1"), Key("1"), Key("#")], "main", [EMERGENCY, "options:12345", "gather"]),
    ("voice", [Start(), Key("1"), Key("1"), Key("1")], "overdose",
     ["say:Call {emergency} now.", "say:Give naloxone: spray one dose into one nostril.",
      "say:If they do not wake up in 2 to 3 minutes, give a second dose.",
      "say:If they are not breathing, give rescue breaths.", "say:If they are breathing, lay them on their side.",
      "say:Stay with them until help comes. Naloxone can wear off before the drugs do.",
      f"say:{phrases.AFTER_GUIDANCE}", "gather"]),
    ("voice", [Start(), Key("1"), Key("1"), Key("1"), Key("4")], "overdose",
     [f"say:{phrases.NOT_AN_OPTION}", f"say:{phrases.AFTER_GUIDANCE}", "gather"]),
    ("voice", [Start(), Key("1"), Key("1"), Key("1"), Key("#")], "overdose_menu", ["options:1234", "gather"]),
    ("voice", [Start(), Key("1"), Key("0"), DialResult("completed")], "goodbye",
     ["say:Thank you for calling. You can call or text this line any time. Take care.", "hangup"]),
    ("voice", [Start(), Key("1"), Key("0"), DialResult("busy")], "national_lines",
     [f"say:{phrases.DIAL_BUSY}", "say:If someone is not breathing, call {emergency}.",
      "say:You can call the SAMHSA National Helpline any time at 1-800-662-4357. It is free, in English and Spanish.",
      "say:In a mental health crisis, call or text 988.", f"say:{phrases.AFTER_GUIDANCE}", *FIXED, "gather"]),
    # three failures in a row: to a person first
    ("voice", [Start(), Key("1"), Silence(), Silence(), Silence()], "person",
     ["say:Connecting you to a person. Please stay on the line.", "dial:+12025550143"]),
    ("sms", [Message("hola")], "main",
     ["say:If someone is not breathing or will not wake up, call {emergency} now.", "options:12345",
      *OTHER_HINTS]),
    ("sms", [Message("NARCAN")], "main",
     ["say:Call {emergency} now.", "say:Give naloxone: spray one dose into one nostril.",
      "say:If they do not wake up in 2 to 3 minutes, give a second dose.",
      "say:If they are not breathing, give rescue breaths.", "say:If they are breathing, lay them on their side.",
      "say:Stay with them until help comes. Naloxone can wear off before the drugs do.",
      f"say:{phrases.SMS_AFTER_GUIDANCE}"]),
    ("sms", [Message("menu"), Message("2")], "strips", ["options:12"]),
    ("sms", [Message("menu"), Message("2"), Message("9")], "main",
     [f"say:{phrases.SMS_NOT_UNDERSTOOD}", "say:If someone is not breathing or will not wake up, call {emergency} now.",
      "options:12345", *OTHER_HINTS]),
    ("sms", [Message("0")], "main", [f"say:{phrases.SMS_CALL_PERSON}", f"say:{phrases.SMS_AFTER_GUIDANCE}"]),
]


@pytest.mark.parametrize("channel, inputs, node, expected", TABLE)
def test_step_table(channel, inputs, node, expected):
    session, actions = run(channel, *inputs)
    assert session.node == node
    assert actions == expected


def test_the_language_choice_sticks_and_silence_twice_keeps_the_default():
    session, _ = run("voice", Start(), Key("2"))
    assert session.lang == "es"
    session, _ = run("voice", Start(), Silence(), Silence())
    assert (session.lang, session.node) == ("en", "main")


def test_a_language_keyword_switches_a_texter():
    session, actions = run("sms", Message("Español"))
    assert session.lang == "es"
    assert "say:EN = English" not in actions, "language hints follow only a text that was not understood"


def test_after_a_tried_transfer_repeated_failures_end_with_last_resort_and_goodbye():
    _, actions = run("voice", Start(), Key("1"), Key("0"), DialResult("no-answer"), Silence(), Silence(), Silence())
    assert actions[0] == "say:Call {emergency} now."
    assert actions[-2:] == ["say:Thank you for calling. You can call or text this line any time. Take care.",
                            "hangup"]


def test_with_no_person_number_failures_give_guidance_then_goodbye():
    flows = FLOWS.__class__(
        flow=FLOWS.flow.model_copy(update={"settings": FLOWS.settings.model_copy(update={"person_number": ""})}),
        languages=FLOWS.languages, keywords=FLOWS.keywords, language_keywords=FLOWS.language_keywords,
    )
    session = begin(flows, "voice")
    for event in (Start(), Key("1"), Silence(), Silence()):
        session, _ = step(flows, session, event)
    session, actions = step(flows, session, Silence())
    assert summary(actions)[0] == "say:Call {emergency} now." and isinstance(actions[-1], Hangup)
    session, actions = step(flows, begin(flows, "voice", "en").update(node="main"), Key("0"))
    assert summary(actions)[0] == f"say:{phrases.NO_PERSON}" and session.node == "national_lines"


def test_a_session_at_a_node_that_no_longer_exists_restarts_at_the_menu_in_its_language():
    session = begin(FLOWS, "voice", "es").update(node="removed_node")
    session, actions = step(FLOWS, session, Key("1"))
    assert session.node == "main" and session.lang == "es"
    assert all(a.lang == "es" for a in actions if isinstance(a, Say))


def test_a_flow_that_loops_without_waiting_is_stopped():
    nodes = dict(FLOWS.flow.nodes)
    nodes["person"] = nodes["person"].model_copy(update={"number": "person_number", "no_answer": "person"})
    flow = FLOWS.flow.model_copy(update={
        "nodes": nodes, "settings": FLOWS.settings.model_copy(update={"person_number": ""}),
    })
    flows = FLOWS.__class__(flow=flow, languages=FLOWS.languages)
    with pytest.raises(FlowLoop):
        step(flows, begin(flows, "voice").update(node="main"), Key("0"))


def test_the_engine_imports_no_flask_redis_or_twilio():
    code = (
        "import sys, hotline.flow.engine, hotline.flow.loader;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'redis', 'twilio', 'werkzeug'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "[]"
    for source in Path(ROOT / "hotline" / "flow").glob("*.py"):
        text = source.read_text()
        for banned in ("import flask", "import redis", "import twilio", "from flask", "from redis", "from twilio"):
            assert banned not in text, f"{source.name} imports {banned}"
