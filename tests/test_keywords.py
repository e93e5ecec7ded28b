"""Keyword matching on plain data: around other words, with spelling slips, with an argument."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline.flow.keywords import KeywordTable, _normalize_any, edit_distance, normalize
from hotline.flow.loader import FlowError, load_flowset
from hotline.flow.model import MenuNode
from hotline.flow.understand import hints, read
from hotline.i18n import Catalogues, add_catalogue_keywords

from .conftest import FIXTURE

BARE = load_flowset(FIXTURE / "flows")
FLOWS, _ = add_catalogue_keywords(BARE, Catalogues(FIXTURE / "locales", BARE.languages.languages))


@pytest.mark.parametrize("typed, node", [
    ("NARCAN", "overdose"), ("  narcán!! ", "overdose"), ("Necesito NALOXONA por favor", "overdose"),
    ("i need narcan pls", "overdose"), ("where do i get test strips?", "strips"), ("tiras", "strips"),
    ("good samaritan law", "good_samaritan"), ("what about the SAMARITAN thing", "good_samaritan"),
    ("heridas", "wounds"), ("Jeringas", "syringes"),
])
def test_a_keyword_is_found_whatever_the_case_accents_punctuation_or_words_around_it(typed, node):
    found = read(FLOWS, typed)
    assert (found.kind, found.value) == ("node", node)


@pytest.mark.parametrize("typed, node", [
    ("NALOXOME", "overdose"), ("naloxne", "overdose"), ("NARACN", "overdose"),  # 8+ letters: 2 edits; swaps
    ("NALOXONAA", "overdose"), ("fentanly", "fentanyl_strips"), ("XILAZINA", "xylazine_strips"),
    ("jeringaz", "syringes"), ("samaritn", "good_samaritan"),
])
def test_common_misspellings_of_longer_keywords_match(typed, node):
    found = read(FLOWS, typed)
    assert (found.kind, found.value) == ("node", node)


@pytest.mark.parametrize("typed", ["OX", "ODD", "SS", "MIXX", "tax", "hey you", "LEYS", "purple elephant"])
def test_short_words_never_match_by_a_slip(typed):
    assert read(FLOWS, typed).kind == "unknown"


def test_the_longest_keyword_wins_then_the_first():
    assert read(FLOWS, "naloxone test strips").value == "strips"  # TEST STRIPS (two words) beats NALOXONE
    assert read(FLOWS, "get naloxone").value == "naloxone"  # GET NALOXONE beats NALOXONE
    assert read(FLOWS, "wounds and needles").value == "wounds"


def test_a_keyword_takes_the_words_after_it_as_its_argument():
    table = KeywordTable({"SERVICES": ("services", None), "SERVICIOS": ("services", "es")})
    found = table.find("Services 94110")
    assert (found.value, found.argument, found.lang) == ("services", "94110", None)
    assert table.find("servicios cerca de 94110").argument == "CERCA DE 94110"
    assert table.find("servicios").lang == "es"


def test_emergency_words_win_and_are_found_in_a_long_message():
    long = "hi so " + "my friend took something and " * 30 + "now he is not breathing what do i do"
    assert len(long) > 900
    found = read(FLOWS, long)
    assert (found.kind, found.value) == ("emergency", "overdose")
    assert read(FLOWS, "NARCAN now, she will not wake up").kind == "emergency"
    assert read(FLOWS, "mi amigo no respira").value == "overdose"
    assert read(FLOWS, "sobredosis").lang == "es"


def test_a_language_switches_only_on_its_own():
    assert (read(FLOWS, "Español").kind, read(FLOWS, "Español").value) == ("language", "es")
    assert read(FLOWS, "espanol").value == "es" and read(FLOWS, "SPANSIH").value == "es"
    assert read(FLOWS, "necesito naloxona en casa").kind == "node", "'en' is Spanish here, not English"
    spoken = read(FLOWS, "Spanish please", spoken=True)
    assert (spoken.kind, spoken.value) == ("language", "es")


def test_digits_are_keys():
    assert (read(FLOWS, " 3. ").kind, read(FLOWS, "3").value) == ("key", "3")
    assert read(FLOWS, "#").kind == "key"


def test_edit_distance_counts_a_swap_as_one():
    assert edit_distance("NARCAN", "NARACN") == 1
    assert edit_distance("NALOXONE", "NLAOXONE") == 1
    assert edit_distance("SOBREDOSIS", "SOBREDOSSIS") == 1
    assert edit_distance("KITTEN", "SITTING") == 3
    assert normalize("¿Dónde?  ¡Aquí!") == "DONDE AQUI"


def test_hints_name_what_a_caller_may_say_in_their_language():
    main = hints(FLOWS, "main", "en")
    assert {"strips", "operator", "not breathing", "naloxone", "español"} <= set(main)
    assert "naloxona" not in main, "Spanish-only keywords are not hinted to an English recogniser"
    assert "naloxona" in hints(FLOWS, "main", "es")
    assert len(main) <= 100 and all(len(h) <= 100 for h in main)


def _hinted(table, lang, owners=None) -> list[str]:
    """A table's words for `lang` as written: its own language's first, then those of every language."""
    mine = [w for w, (owner, wl) in table.entries.items() if wl == lang and (owners is None or owner in owners)]
    every = [w for w, (owner, wl) in table.entries.items() if wl is None and (owners is None or owner in owners)]
    return [FLOWS.written.get(word, word).lower() for word in mine + every]


@pytest.mark.parametrize("lang", ["en", "es", "ar"])
def test_hints_are_emergency_words_then_where_the_menu_leads_then_languages_then_the_rest(lang):
    languages = [w.lower() for language in FLOWS.languages.languages.values()
                 for w in [w for w in language.keywords if len(w) > 2][:2]]
    for node_id, node in FLOWS.flow.nodes.items():
        near = {*(o.goto for o in (node.options if isinstance(node, MenuNode) else ())), FLOWS.flow.person}
        expected = [*_hinted(FLOWS.emergency_keywords, lang), *_hinted(FLOWS.keywords, lang, near),
                    *languages, *_hinted(FLOWS.keywords, lang)]
        assert hints(FLOWS, node_id, lang) == tuple(dict.fromkeys(expected))[:100], node_id


@pytest.fixture
def flows_dir(tmp_path):
    target = tmp_path / "flows"
    shutil.copytree(FIXTURE / "flows", target)
    return target


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_the_more_time_key_cannot_be_a_menu_option(flows_dir):
    edit(flows_dir / "hotline.yaml", "{key: 5, label: \"finding services", "{key: 8, label: \"finding services")
    with pytest.raises(FlowError) as caught:
        load_flowset(flows_dir)
    assert "key 8 is the fixed 'more time' key" in str(caught.value)


def test_a_word_may_mean_only_one_thing(flows_dir):
    edit(flows_dir / "hotline.yaml", "keywords: [MENU, HI,", "keywords: [MENU, HELP, HI,")
    edit(flows_dir / "languages.yaml", "more: [MÁS]", "more: [MÁS, OVERDOSING]")
    with pytest.raises(FlowError) as caught:
        load_flowset(flows_dir)
    messages = str(caught.value)
    assert "'HELP' is already one of the node keywords" in messages
    assert "'OVERDOSING' is already one of the emergency keywords" in messages
    assert "languages.yaml:" in messages and "hotline.yaml:" not in messages.split("OVERDOSING")[0][-80:]


def test_the_emergency_target_is_checked_and_a_catalogue_word_never_takes_another_meaning(flows_dir):
    edit(flows_dir / "hotline.yaml", "  goto: overdose\n", "  goto: overdoes\n")
    with pytest.raises(FlowError) as caught:
        load_flowset(flows_dir)
    assert "there is no node 'overdoes' (did you mean 'overdose'?)" in str(caught.value)
    catalogues = Catalogues(FIXTURE / "locales", BARE.languages.languages)
    catalogues.keywords["es"]["(emergency)"] = ["NO RESPIRA", "AYUDA", "TIRAS"]
    flows, clashes = add_catalogue_keywords(BARE, catalogues)
    assert ("es", "es: the emergency word 'AYUDA' is already used elsewhere") in clashes  # a texting word
    assert ("es", "es: the keyword 'TIRAS' for 'strips' is already used elsewhere") in clashes
    assert flows.emergency_keywords.get("AYUDA") is None and flows.emergency_keywords.get("TIRAS") == "overdose"


def test_forget_words_are_texting_words_no_keyword_may_take(flows_dir):
    edit(flows_dir / "hotline.yaml", "keywords: [MENU, HI,", "keywords: [MENU, ERASE, HI,")
    bare = load_flowset(flows_dir)
    catalogues = Catalogues(FIXTURE / "locales", bare.languages.languages)
    catalogues.keywords["es"]["strips"] = ["TIRAS", "OLVIDAR"]
    flows, clashes = add_catalogue_keywords(bare, catalogues)
    assert ("en", "en: the FORGET word 'ERASE' is already a keyword; texting it erases instead") in clashes
    assert ("es", "es: the keyword 'OLVIDAR' for 'strips' is already used elsewhere") in clashes
    assert flows.keywords.get("OLVIDAR") is None and flows.keywords.get("TIRAS") == "strips"


def test_words_too_long_to_be_a_keyword_are_not_searched_for_slips():
    table = KeywordTable({"NALOXONE": ("overdose", None)})
    assert table.longest_word == 8
    assert table.find("NALOXONEXX") is not None, "two letters more is still a slip"
    assert table.find("NALOXONEXXX") is None
    assert table.find("x" * 1600) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_a_plain_ascii_text_is_normalized_as_any_other(text):
    assert normalize(text) == _normalize_any(text)
