"""Replaying a saved conversation (`simulate --script`), and the simulator's refusals, on the
fixture content (the shipped transcripts are replayed in test_shipped_transcripts.py)."""

from __future__ import annotations

import pytest

from hotline.authoring.checks import run_check
from hotline.authoring.simulator import NotAnInput, Simulator, replay

from .conftest import FIXTURE

REPORT = run_check(FIXTURE / "flows", FIXTURE / "locales")


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
