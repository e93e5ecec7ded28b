"""Segments counted as carriers count them (GSM-7 160/153, UCS-2 70/67, two-unit characters);
replies made plain and cut into pages."""

from __future__ import annotations

import pytest

from hotline.channels.bidi import RLM, rtl_line
from hotline.channels.sms import paginate
from hotline.texting.segments import GSM7, UCS2, SmsSize, measure, plain, segments


@pytest.mark.parametrize("message, expected", [
    ("", (GSM7, 1)),
    ("a" * 160, (GSM7, 1)),
    ("a" * 161, (GSM7, 2)),
    ("a" * 306, (GSM7, 2)),
    ("a" * 307, (GSM7, 3)),
    ("€" * 80, (GSM7, 1)),  # an extension character takes two septets
    ("€" * 81, (GSM7, 2)),
    ("a" * 152 + "€" + "a" * 8, (GSM7, 2)),  # the escape pair is not split: 152 + 2 > 153
    ("a" * 152 + "[" + "a" * 153, (GSM7, 3)),
    ("ñé¿¡ü" * 32, (GSM7, 1)),  # Spanish letters GSM-7 has
    ("á" + "a" * 69, (UCS2, 1)),  # one character outside GSM-7 makes it all UCS-2
    ("á" + "a" * 70, (UCS2, 2)),
    ("á" * 134, (UCS2, 2)),
    ("á" * 135, (UCS2, 3)),
    ("😀" * 35, (UCS2, 1)),  # an emoji is two UTF-16 units
    ("😀" * 36, (UCS2, 2)),
    ("a" * 66 + "😀" + "a" * 67, (UCS2, 3)),  # a surrogate pair is not split across parts
])
def test_segments_are_counted_like_a_carrier(message, expected):
    assert segments(message) == expected


def test_typographic_punctuation_becomes_gsm7():
    fancy = "“Don’t wait” – call 911… now"
    assert segments(fancy)[0] == UCS2
    assert plain(fancy) == '"Don\'t wait" - call 911... now'
    assert segments(plain(fancy))[0] == GSM7
    assert plain(fancy, punctuation=False) == fancy


def test_accents_gsm7_lacks_are_dropped_only_when_asked_and_others_kept():
    spanish = "¿Más información? Llame al número del niño, está aquí."
    assert segments(spanish)[0] == UCS2
    assert plain(spanish) == spanish
    made = plain(spanish, letters=True)
    assert made == "¿Mas informacion? Llame al numero del niño, esta aqui."
    assert segments(made)[0] == GSM7
    assert plain("你好 😀", letters=True) == "你好 😀", "what has no plain form is left as it is"


def test_a_long_reply_is_paged_within_the_budget_each_page_but_the_last_saying_more():
    lines = [f"Line {n}: " + "words " * 20 for n in range(12)]
    pages = paginate(lines, budget=2, more="Reply MORE")
    assert len(pages) > 2
    for page in pages:
        assert segments(page)[1] <= 2
    assert all(page.endswith("\nReply MORE") for page in pages[:-1]) and "MORE" not in pages[-1]
    assert "\n".join(p.removesuffix("\nReply MORE") for p in pages) == "\n".join(lines), "nothing lost or reordered"


def test_a_line_too_long_for_one_page_is_cut_between_words():
    line = " ".join(f"w{n}" for n in range(200))
    pages = paginate([line], budget=1, more="MORE")
    assert len(pages) > 1 and all(segments(page)[1] == 1 for page in pages)
    assert " ".join(p.removesuffix("\nMORE") for p in pages) == line


def test_a_short_reply_is_one_page():
    assert paginate(["a", "b"], budget=1, more="MORE") == ["a\nb"]



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


def test_a_right_to_left_line_cut_between_pages_stays_marked_on_every_page():
    line = rtl_line("اتصل بالرقم 911 الآن. " * 30)
    pages = paginate([line], budget=1, more=rtl_line("أرسل المزيد لقراءة الباقي."))
    assert len(pages) > 3 and all(segments(page) == (UCS2, 1) for page in pages)
    assert all(page.startswith(RLM) for page in pages), "each page starts right to left"
    assert all(page.split("\n")[-1].startswith(RLM) for page in pages[:-1])
