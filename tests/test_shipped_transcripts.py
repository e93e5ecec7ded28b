"""The shipped content's golden transcripts, saved by coordinators with `simulate --save`: every
one is replayed here against the shipped flows/ and locales/.

The transcripts in tests/transcripts are the programme's own: a programme that changes what the
hotline says re-records them. The replay itself is tested on the fixture (test_replay.py).
"""

from __future__ import annotations

import pytest

from hotline.authoring.checks import run_check
from hotline.authoring.simulator import replay

from .conftest import NOW, ROOT

TRANSCRIPTS = sorted((ROOT / "tests" / "transcripts").glob("*.yaml"))
SHIPPED = run_check(ROOT / "flows", ROOT / "locales")


def test_there_are_transcripts_for_both_channels():
    names = " ".join(path.stem for path in TRANSCRIPTS)
    for part in ("voice-", "sms-"):
        assert part in names


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda path: path.stem)
def test_a_saved_conversation_still_goes_the_same_way(path):
    # At the suite's moment (unless the transcript names its own): hours never depend on when the suite runs.
    conversation, differences = replay(path, SHIPPED.flows, SHIPPED.catalogues, NOW)
    assert differences == [], "\n".join(conversation)
