"""Loading flows: the shipped set loads; every broken edit is reported with file and line."""

from __future__ import annotations

import pytest

from hotline.flow.loader import FlowError, load_flowset
from hotline.flow.yamlfile import YamlError, read_yaml

from .conftest import FIXTURE, line_in, load_problems


def test_yes_no_on_off_stay_strings_and_true_false_stay_booleans():
    doc = read_yaml("a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: 1\n", "x.yaml")
    assert doc.data == {"a": "yes", "b": "No", "c": "on", "d": "OFF", "e": True, "f": 1}
    assert doc.lines[("c",)] == 3


def test_a_duplicated_key_is_an_error_with_both_lines():
    with pytest.raises(YamlError) as caught:
        read_yaml("nodes:\n  main: 1\n  other: 2\n  main: 3\n", "f.yaml")
    assert str(caught.value) == "f.yaml:4: 'main' is written twice (first on line 2)"


def test_broken_yaml_names_its_line():
    with pytest.raises(YamlError) as caught:
        read_yaml("a: 1\nb: [unclosed\nc: 2\n", "f.yaml")
    # The parser notices the missing ']' at line 3; the fix belongs where the list opens.
    assert caught.value.line == 2 and "is not closed: add ']'" in caught.value.message


def test_the_shipped_flows_load_with_locations():
    flows = load_flowset(FIXTURE / "flows")
    assert flows.flow.start == "language"
    file, line = flows.locations["overdose"]
    assert file.endswith("hotline.yaml")
    assert (FIXTURE / "flows" / "hotline.yaml").read_text().splitlines()[line - 1].strip() == "overdose:"
    assert flows.keywords.get("NARCAN") == "overdose" and flows.language_keywords.get("ESPANOL") == "es"


def break_flow(flows_dir, old: str, new: str) -> list[str]:
    return load_problems(flows_dir, "hotline.yaml", old, new)


def line_of(flows_dir, fragment: str) -> int:
    return line_in(flows_dir, "hotline.yaml", fragment)


def test_an_unknown_target_is_named_with_a_suggestion(flows_dir):
    problems = break_flow(flows_dir, "goto: overdose_menu}", "goto: overdose_menus}")
    line = line_of(flows_dir, "overdose_menus")
    assert problems == [
        f"hotline.yaml:{line}: error: there is no node 'overdose_menus' (did you mean 'overdose_menu'?)"
    ]


def test_an_unknown_field_suggests_the_right_one(flows_dir):
    problems = break_flow(flows_dir, "    no_answer: national_lines", "    no_anwser: national_lines")
    line = line_of(flows_dir, "no_anwser")
    assert f"hotline.yaml:{line}: error: 'no_anwser' is not a known field here (did you mean 'no_answer'?)" in problems


def test_a_transfer_to_a_number_needs_somewhere_to_go_when_nobody_answers(flows_dir):
    problems = break_flow(flows_dir, "    no_answer: national_lines\n", "")
    line = line_of(flows_dir, "  person:")
    assert problems == [f"hotline.yaml:{line}: error: nodes.person: a transfer to a number needs 'no_answer' "
                        "(where to go when nobody answers)"]


def test_a_fixed_key_cannot_be_a_menu_option(flows_dir):
    problems = break_flow(flows_dir, "{key: 5, label:", "{key: 0, label:")
    line = line_of(flows_dir, "{key: 0, label:")
    assert problems == [
        f"hotline.yaml:{line}: error: nodes.main.options, option 5, key: a menu key must be one digit from 1 to 9 "
        "(0, * and # are fixed keys)"
    ]


def test_an_invalid_phone_number_is_refused(flows_dir):
    problems = break_flow(flows_dir, '"+12025550143"', '"555-0143"')
    line = line_of(flows_dir, '"555-0143"')
    assert problems == [
        f"hotline.yaml:{line}: error: '555-0143' is not a phone number that can be dialled: check its digits, "
        "and write it with + and the country code, like +14155550188"
    ]


def test_a_keyword_used_twice_is_refused(flows_dir):
    problems = break_flow(flows_dir, "[FENTANYL, FTS]", "[FENTANYL, NARCAN, FTS]")
    line = line_of(flows_dir, "[FENTANYL, NARCAN, FTS]")
    assert problems == [f"hotline.yaml:{line}: error: keyword 'NARCAN' is already used by 'overdose'"]


def test_a_forget_line_cannot_also_lead_to_another_menu(flows_dir):
    forget = 'press 9.", forget: true}'
    problems = break_flow(flows_dir, forget, 'press 9.", forget: true, goto: language}')
    line = line_of(flows_dir, 'press 9.", forget: true, goto: language}')
    assert f"hotline.yaml:{line}: error: a line cannot both forget and go to another menu" in problems


def test_an_unknown_node_type_is_explained(flows_dir):
    problems = break_flow(flows_dir, "type: end", "type: finish")
    line = line_of(flows_dir, "type: finish")
    assert len(problems) == 1 and problems[0].startswith(f"hotline.yaml:{line}: error: nodes.goodbye: type must be")


def test_a_missing_file_is_reported(flows_dir):
    (flows_dir / "languages.yaml").unlink()
    with pytest.raises(FlowError) as caught:
        load_flowset(flows_dir)
    assert [p.message for p in caught.value.problems] == ["this file is missing"]
