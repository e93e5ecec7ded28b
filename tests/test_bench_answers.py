"""The answer recorder's comparison (bench/answers.py) finds a changed byte and says which answer.

Recording walks thousands of webhooks and is a tool, not part of the suite; only the
comparison that judges an optimisation is tested here.
"""

from __future__ import annotations

import json

from bench.answers import compare


def test_identical_answers_pass_and_one_changed_byte_fails(tmp_path, capsys):
    answers = [["call", "/twilio/voice", 200, "application/xml", "<Response><Say>Hi</Say></Response>"],
               ["text hi", "/twilio/sms", 200, "application/xml", "<Response><Message>1</Message></Response>"]]
    before, same, changed, shorter = (tmp_path / name for name in ("a.json", "b.json", "c.json", "d.json"))
    before.write_text(json.dumps(answers))
    same.write_text(json.dumps(answers))
    changed.write_text(json.dumps([answers[0], [*answers[1][:4], answers[1][4].replace("1", "2")]]))
    shorter.write_text(json.dumps(answers[:1]))
    assert compare(before, same) == 0
    assert compare(before, changed) == 1
    assert "differs: text hi" in capsys.readouterr().out
    assert compare(before, shorter) == 1
