"""Golden transcripts that coordinators save with `simulate --save`: every one is replayed here.

The transcripts in tests/transcripts are the programme's own, replayed against the shipped flows
(re-record them with `simulate --save` after changing what the hotline says). The tests of the
replay itself use the fixture content, so they hold whatever a programme ships.
"""

from __future__ import annotations

import pytest

from hotline.authoring.checks import run_check
from hotline.authoring.simulator import NotAnInput, Simulator, replay

from .conftest import FIXTURE, NOW, ROOT

TRANSCRIPTS = sorted((ROOT / "tests" / "transcripts").glob("*.yaml"))
SHIPPED = run_check(ROOT / "flows", ROOT / "locales")
REPORT = run_check(FIXTURE / "flows", FIXTURE / "locales")


def test_there_are_transcripts_for_both_channels():
    names = " ".join(path.stem for path in TRANSCRIPTS)
    for part in ("voice-", "sms-"):
        assert part in names


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda path: path.stem)
def test_a_saved_conversation_still_goes_the_same_way(path):
    # At the suite's moment (unless the transcript names its own): hours never depend on when the suite runs.
    conversation, differences = replay(path, SHIPPED.flows, SHIPPED.catalogues, NOW)
    assert differences == [], "\n".join(conversation)


def test_a_changed_line_or_a_wrong_input_is_reported(tmp_path):
    original = (FIXTURE / "transcripts" / "voice-es-naloxone.yaml").read_text(encoding="utf-8")
    changed = tmp_path / "changed.yaml"
    changed.write_text(original.replace("cómo conseguir naloxona, oprima 3.", "naloxona, oprima 3.", 1))
    differences = replay(changed, REPORT.flows, REPORT.catalogues)[1]
    assert len(differences) == 1 and differences[0].startswith("turn 1 ('1'): expected '[es-US, Polly.Lupe-Neural] ")
    other = tmp_path / "other.yaml"
    other.write_text("turns: []\n")
    assert replay(other, REPORT.flows, REPORT.catalogues)[1] == [
        f"{other}: not a transcript (it starts with 'channel: voice' or 'channel: sms')"
    ]
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("channel: voice\nturns:\n  - input: busy\n    expect: []\n")
    assert replay(wrong, REPORT.flows, REPORT.catalogues)[1] == [
        "turn 1 ('busy'): press one key (1-9, 0, * or #) or type silence"
    ]


def test_the_simulator_refuses_what_a_caller_cannot_do_now():
    sim = Simulator(REPORT.flows, REPORT.catalogues, "voice", "en")
    sim.open()
    sim.send("0")
    with pytest.raises(NotAnInput, match="being transferred"):
        sim.send("1")
    assert sim.send("completed")[-1] == "(hangs up)"
    with pytest.raises(NotAnInput, match="ended"):
        sim.send("1")
