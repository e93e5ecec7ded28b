"""SMS segments counted as carriers count them: GSM-7 160/153, UCS-2 70/67, two-unit characters."""

from __future__ import annotations

import pytest

from hotline.segments import SmsSize, measure


@pytest.mark.parametrize("text, expected", [
    ("", SmsSize("GSM-7", 0, 0)),
    ("a" * 160, SmsSize("GSM-7", 160, 1)),
    ("a" * 161, SmsSize("GSM-7", 161, 2)),
    ("a" * 306, SmsSize("GSM-7", 306, 2)),
    ("a" * 307, SmsSize("GSM-7", 307, 3)),
    ("ñÑüé¿¡" * 10, SmsSize("GSM-7", 60, 1)),  # Spanish letters that GSM-7 has
    ("€" * 80, SmsSize("GSM-7", 160, 1)),  # extension characters count twice
    ("€" * 81, SmsSize("GSM-7", 162, 2)),
    ("a" * 152 + "[", SmsSize("GSM-7", 154, 1)),
    ("a" * 159 + "[", SmsSize("GSM-7", 161, 2)),
    ("á" * 70, SmsSize("UCS-2", 70, 1)),  # one accent that GSM-7 lacks switches the whole text
    ("á" + "a" * 70, SmsSize("UCS-2", 71, 2)),
    ("á" * 134, SmsSize("UCS-2", 134, 2)),
    ("á" * 135, SmsSize("UCS-2", 135, 3)),
    ("\U0001F600" * 35, SmsSize("UCS-2", 70, 1)),  # an emoji is two UTF-16 units
])
def test_segments(text, expected):
    assert measure(text) == expected


def test_a_two_unit_character_is_not_cut_across_segments():
    # 152 septets then an extension character (2): it does not fit in the first 153, so it opens segment 2.
    assert measure("a" * 152 + "€" + "a" * 152).segments == 3
    assert measure("a" * 151 + "€" + "a" * 153).segments == 2
    assert measure("a" * 66 + "\U0001F600" + "a" * 66).segments == 3
