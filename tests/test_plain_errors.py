"""The check's errors in a coordinator's words: what is wrong, on which line, how to fix it.

Each test makes one mistake a coordinator makes in a text editor, on a copy of the fixture
flows, and reads the one error the loader reports: never parser jargon (`<block end>`,
`Input should be`), always the line and the fix.
"""

from __future__ import annotations

import pytest

from hotline.flow.loader import FlowError, load_flowset

from .conftest import line_in, load_problems

JARGON = ("<block end>", "Input should", "\\t", "E.164", "instance of", "token", "scalar")


def one_problem(flows_dir, file: str, old: str, new: str) -> str:
    problems = load_problems(flows_dir, file, old, new)
    assert len(problems) == 1, problems
    assert not any(word in problems[0] for word in JARGON), problems[0]
    return problems[0]


def error_on(flows_dir, file: str, old: str, new: str, where: str) -> str:
    """The message of the one error an edit makes, which must be reported on the first line
    containing `where` (after the edit)."""
    problem = one_problem(flows_dir, file, old, new)
    prefix = f"{file}:{line_in(flows_dir, file, where)}: error: "
    assert problem.startswith(prefix), problem
    return problem.removeprefix(prefix)


def test_a_tab_says_use_spaces(flows_dir):
    message = error_on(flows_dir, "hotline.yaml", "  max_failures: 3", "\tmax_failures: 3", "\tmax_failures")
    assert message.startswith("this line has a tab in it: use spaces, not tabs")
    assert "docs/flows.md, 'YAML rules'" in message


def test_a_list_item_out_of_line_names_the_line_it_must_line_up_with(flows_dir):
    strips = '- {key: 2, label: "fentanyl and xylazine test strips", goto: strips}'
    problem = one_problem(flows_dir, "hotline.yaml", "      " + strips, "    " + strips)
    line = line_in(flows_dir, "hotline.yaml", strips)
    assert problem.startswith(
        f"hotline.yaml:{line}: error: check the indentation: this line starts 4 spaces in, but it must line up "
        f"with line {line - 1} ('- {{key: 1, label: \"an overdose or nalox…'), 6 spaces in"
    ), problem


def test_a_list_item_among_name_value_lines_says_a_group_holds_one_kind(flows_dir):
    problem = one_problem(flows_dir, "hotline.yaml", "settings:\n", "settings:\n  - voicemail\n")
    line = line_in(flows_dir, "hotline.yaml", "- voicemail")
    assert problem.startswith(f"hotline.yaml:{line + 1}: error: check the indentation: this line and line {line} "
                              "('- voicemail') are in the same place, but one is a '- ' list item"), problem


def test_a_list_where_name_value_lines_belong_explains_the_expected_shape(flows_dir):
    problems = load_problems(flows_dir, "hotline.yaml", "settings:\n", "settings: [voicemail]\nold_settings:\n")
    line = line_in(flows_dir, "hotline.yaml", "settings: [voicemail]")
    assert problems[0] == (
        f"hotline.yaml:{line}: error: settings should be a group of 'name: value' lines indented under "
        "'settings:', such as 'emergency_number:', 'person_number:', 'helpline_number:'; here it is a list "
        "(lines starting with '-') (see docs/flows.md, 'YAML rules')"
    )


def test_an_unquoted_sentence_with_a_colon_says_put_it_in_double_quotes(flows_dir):
    old = '    say: "If someone is not breathing or will not wake up, hang up and call {emergency} now."'
    message = error_on(flows_dir, "hotline.yaml", old, "    say: Note: if someone is not breathing, call now.",
                       "say: Note:")
    assert message.startswith("this sentence contains ': ', which YAML reads as 'name: value'; put the whole "
                              "sentence in double quotes"), message


def test_a_sentence_of_a_list_is_counted_from_one_and_named(flows_dir):
    old = '      - "Give naloxone: spray one dose into one nostril."'
    assert error_on(flows_dir, "hotline.yaml", old, old.replace('"', ""), "- Give naloxone: spray") == (
        'nodes.overdose.say, sentence 2 ("Give naloxone: spray one dose into one …") '
        "contains ': ', so it is read as 'name: value' instead of as text; put the whole sentence in double quotes "
        "(see docs/flows.md, 'YAML rules')"
    )


def test_an_empty_sentence_is_counted_from_one(flows_dir):
    old = '      - "If they do not wake up in 2 to 3 minutes, give a second dose."'
    assert error_on(flows_dir, "hotline.yaml", old, '      - ""', '      - ""') == (
        "nodes.overdose.say, sentence 3 is empty: write the text, or delete the line")


def test_an_unknown_service_type_lists_the_known_types(flows_dir):
    assert error_on(flows_dir, "services.yaml", "offers: [syringes, naloxone, test strips, wound care]",
                    "offers: [syringes, narcan, test strips, wound care]", "narcan") == (
        "'narcan' is not a known service type; known types are naloxone, syringes, "
        "test strips, treatment, peer support, crisis, testing, wound care, housing, food, overdose prevention "
        "(see docs/services.md)"
    )


def test_a_service_without_a_source_says_why_a_source_is_required(flows_dir):
    assert error_on(flows_dir, "services.yaml", "    source: fictional demo listing\n", "", "  mission_ssp:") == (
        "services.mission_ssp needs 'source': where its details were checked "
        "(a website, or a phone call and its date), so whoever verifies it next knows where to look "
        "(see docs/services.md)"
    )


def test_guidance_without_a_source_says_why_a_source_is_required(flows_dir):
    text = (flows_dir / "hotline.yaml").read_text()
    node = text[text.index("  overdose:\n"):]
    source = node[node.index("    source:"):node.index("    say:")]  # a folded source of several lines
    problem = one_problem(flows_dir, "hotline.yaml", source, "")
    assert "nodes.overdose needs 'source': the public-health guideline its sentences follow" in problem
    assert "so a medical reviewer can check what callers are told" in problem


@pytest.mark.parametrize("written, fix", [
    ("(415) 555-0142", "must be written in international form: write it as +14155550142"),
    ("415.555.0142", "must be written in international form: write it as +14155550142"),
    ("555-0142", "is not a phone number that can be dialled: check its digits, and write it with + and the "
                 "country code, like +14155550188"),
])
def test_a_phone_number_in_another_format_says_how_to_write_it(flows_dir, written, fix):
    assert error_on(flows_dir, "services.yaml", 'phone: "+14155550142"', f'phone: "{written}"', written) == (
        f"'{written}' {fix}")


def test_a_settings_number_in_another_format_gets_its_own_digits(flows_dir):
    problem = one_problem(flows_dir, "hotline.yaml", 'person_number: "+12025550143"', 'person_number: "202-555-0143"')
    assert problem.endswith("error: '202-555-0143' must be written in international form: write it as +12025550143")


def test_an_unclosed_bracket_is_reported_where_it_opens(flows_dir):
    message = error_on(flows_dir, "hotline.yaml", "keywords: [MENU, HI, HELLO]", "keywords: [MENU, HI, HELLO",
                       "[MENU, HI, HELLO")
    assert message.startswith("the list that starts with '[' on this line is not closed: add ']' at its end")


def test_a_missing_closing_quote_is_reported_where_the_text_opens(flows_dir):
    old = '    sms_say: "If someone is not breathing or will not wake up, call {emergency} now."'
    message = error_on(flows_dir, "hotline.yaml", old, old[:-1], old[:-1])
    assert message.startswith("the text in quotes that starts on this line has no closing quote")


def test_every_parser_error_still_names_a_line_and_a_fix(flows_dir):
    """Whatever else YAML refuses is said plainly, with the place in the docs that explains the rules."""
    (flows_dir / "languages.yaml").write_text("languages: &a\n  en: *b\n", encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        load_flowset(flows_dir)
    [problem] = caught.value.problems
    assert problem.line == 2 and "check its quotes, brackets and indentation" in problem.message


@pytest.mark.parametrize("file, old, new, message", [
    ("hotline.yaml", "  max_failures: 3", "  max_failures: three",
     "settings.max_failures is 'three', but it must be a whole number, like 20"),
    ("services.yaml", "    radius_miles: 5\n", "    radius_miles: 500\n",
     "services.mission_ssp.radius_miles is '500', but it must be 200 or less"),
    ("services.yaml", "    verified_on: 2026-11-20\n", "    verified_on: last week\n",
     "services.mission_ssp.verified_on is 'last week', but it must be a date written as YYYY-MM-DD, like 2026-11-20"),
])
def test_a_value_of_the_wrong_kind_says_what_it_must_be(flows_dir, file, old, new, message):
    assert error_on(flows_dir, file, old, new, new.strip()) == message
