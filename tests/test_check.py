"""The coordinators' check: one broken fixture per check, and the exact message with its line."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest

from hotline.authoring.checks import run_check
from hotline.authoring.checks.translations import coverage_table
from hotline.authoring.checks.voices import twilio_values

from .conftest import ROOT, edit, source_messages

FLOW, LANGS, PO = "flows/hotline.yaml", "flows/languages.yaml", "locales/es/LC_MESSAGES/messages.po"


@pytest.fixture
def quiet(project):
    """The fixture project with a generous SMS budget, menu length and reading grade: the check finds
    nothing at all."""
    edit(project, FLOW, "  max_sms_segments: 3", "  max_sms_segments: 10")
    edit(project, FLOW, "  speech_confidence: 0.5", "  speech_confidence: 0.5\n  max_menu_seconds: 60\n"
         "  max_reading_grade: 14")
    assert problems(project) == []
    return project


def line(project, name: str, fragment: str) -> int:
    lines = (project / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, text in enumerate(lines, 1) if fragment in text)


def problems(project) -> list[str]:
    report = run_check(project / "flows", project / "locales")
    return [str(p).replace(f"{project}/", "") for p in report.problems]


def test_a_loading_problem_is_reported_and_stops_the_deeper_checks(quiet):
    edit(quiet, FLOW, "    next: main", "    next: mian")
    at = line(quiet, FLOW, "next: mian")
    assert problems(quiet) == [f"{FLOW}:{at}: error: there is no node 'mian' (did you mean 'main'?)"]


def test_a_menu_over_five_options(quiet):
    edit(quiet, FLOW, '      - {key: 5, label: "finding services or talking to a person", goto: connect}\n',
         '      - {key: 5, label: "finding services or talking to a person", goto: connect}\n'
         '      - {key: 6, label: "wound care", goto: wounds}\n')
    at = line(quiet, FLOW, "If someone is not breathing or will not wake up, hang up") + 2
    assert problems(quiet) == [
        f"{FLOW}:{at}: error: nodes.main.options: this menu has 6 options but a menu may have at most 5, "
        "callers cannot keep more in mind; split it into two menus"
    ]


def test_an_unreachable_node_and_one_only_texters_reach(quiet):
    with (quiet / FLOW).open("a") as flow:
        flow.write("\n  orphan:\n    type: end\n    say: Bye.\n"
                   "\n  texts_only:\n    type: message\n    source: test\n    say: Hi.\n    keywords: [SECRET]\n")
    assert [p for p in problems(quiet) if "catalogue" not in p and "template" not in p] == [
        f"{FLOW}:{line(quiet, FLOW, 'orphan:')}: warning: node 'orphan' is never reached: no menu option, "
        "'next' or 'no_answer' leads to it and it has no keywords",
        f"{FLOW}:{line(quiet, FLOW, 'texts_only:')}: warning: node 'texts_only' can only be reached by texting "
        "one of its keywords: callers never hear it",
    ]


def test_guidance_before_any_menu_is_a_dead_end(quiet):
    edit(quiet, FLOW, "start: language ", "start: overdose ")
    found = problems(quiet)
    assert found[0] == (
        f"{FLOW}:{line(quiet, FLOW, 'start: overdose')}: error: dead end: callers reach"
        " the guidance 'overdose' before any menu, so afterwards they "
        "have no menu to go back to; start with the language menu or a menu instead"
    )
    assert all("warning" in p for p in found[1:]), "the language menu is now unreachable, nothing else"


def test_a_menu_whose_options_all_come_back_to_it_is_a_dead_end(quiet):
    edit(quiet, FLOW, "goto: fentanyl_strips}", "goto: strips}")
    edit(quiet, FLOW, "goto: xylazine_strips}", "goto: strips}")
    assert f"{FLOW}:{line(quiet, FLOW, '  strips:') + 2}: error: dead end: every option of menu 'strips' comes " \
           "back to 'strips' itself; point the options at guidance, another menu or a person" in problems(quiet)


def test_transfers_that_pass_callers_round_in_a_circle(quiet):
    edit(quiet, FLOW, "    no_answer: national_lines", "    no_answer: backup")
    with (quiet / FLOW).open("a") as flow:
        flow.write("\n  backup:\n    type: transfer\n    number: \"+12025550144\"\n    no_answer: person\n")
    assert [p for p in problems(quiet) if "error" in p] == [
        f"{FLOW}:{line(quiet, FLOW, 'no_answer: person')}: error: loop with no exit: when nobody answers, "
        "transfers go round in a circle (person -> backup -> person) and the caller never gets a menu or "
        "guidance; point one 'no_answer' at a menu or guidance",
    ]


def test_menus_that_only_lead_to_each_other(quiet):
    for key in ("use_alone", "start_low", "mixing"):
        edit(quiet, FLOW, f"goto: {key}}}", "goto: syringes}")
    for key in ("syringe_services", "disposal", "wounds", "find_syringes"):
        edit(quiet, FLOW, f"goto: {key}}}", "goto: safer_use}")
    found = problems(quiet)
    assert f"{FLOW}:{line(quiet, FLOW, '  safer_use:')}: warning: loop with no exit: the menus 'safer_use', " \
           "'syringes' only lead to each other, never to guidance, a person or an end; callers can leave only " \
           "with # or 0" in found
    assert not any("error" in p for p in found)


def test_unknown_twilio_voice_and_language(quiet):
    edit(quiet, LANGS, "say_language: es-US", "say_language: es-UX")
    edit(quiet, LANGS, "voice: Polly.Lupe-Neural", "voice: Polly.Lupe-Nueral")
    assert problems(quiet) == [
        f"{LANGS}:{line(quiet, LANGS, 'es-UX')}: error: Twilio cannot speak the language code 'es-UX' "
        "(did you mean 'es-US'?)",
        f"{LANGS}:{line(quiet, LANGS, 'Nueral')}: error: Twilio has no voice called 'Polly.Lupe-Nueral' "
        "(did you mean 'Polly.Lupe-Neural'?)",
    ]


def test_long_replies_sent_in_pages_are_fine_and_only_a_page_that_cannot_fit_is_a_warning(quiet):
    edit(quiet, FLOW, "  max_sms_segments: 10", "  max_sms_segments: 1")
    side = ("texts can arrive out of order", "'still want alerts?'")  # texts sent outside replies, checked below
    found = [problem for problem in problems(quiet) if not any(kind in problem for kind in side)]
    assert found and all("the texted main menu" in problem for problem in found), \
        "long guidance is sent in pages of one segment, each within the budget: only the main menu must fit one"
    word = "https://example.org/" + "a" * 160
    edit(quiet, FLOW, '      - "Call {emergency} now."', f'      - "Call {{emergency}} now. {word}"')
    overdose = line(quiet, FLOW, "  overdose:")
    found = problems(quiet)
    assert f"{FLOW}:{overdose}: warning: en: a page of the text reply for 'overdose' is 205 characters, 2 SMS " \
           "segments in GSM-7, even cut between words; the budget is 1 (settings.max_sms_segments); shorten it" \
           in found
    assert any("es: a page of the text reply for 'overdose'" in problem and "UCS-2" not in problem
               for problem in found), "Spanish is texted without the accents GSM-7 lacks"


def test_a_right_to_left_reply_too_long_names_a_letter_the_coordinator_can_see(quiet):
    """Each Arabic line starts with an invisible RLM: naming it would read ('') to a coordinator."""
    from hotline.authoring.checks.sms import _why_ucs2

    edit(quiet, FLOW, "  max_sms_segments: 10", "  max_sms_segments: 1")
    arabic = next(problem for problem in problems(quiet) if "error: ar: the texted main menu" in problem)
    named = re.search(r"\('(.)' is not in the basic SMS alphabet", arabic)
    assert named and unicodedata.bidirectional(named[1]) == "AL" and "\u200f" not in arabic, arabic
    assert "the right-to-left marks the hotline puts on each line" in _why_ucs2("\u200f\u200e1\u200e Menu")
    assert _why_ucs2("1 Menu") == ""


def test_translation_placeholders_fuzzy_empty_and_unused(quiet):
    edit(quiet, PO, 'msgstr "Llame al {emergency} ahora."', 'msgstr "Llame al {emergencia} ahora."')
    edit(quiet, PO, 'msgid "No one answered."', '#, fuzzy\nmsgid "No one answered."')
    edit(quiet, PO, 'msgstr "La línea está ocupada."', 'msgstr ""')
    with (quiet / PO).open("a") as po:
        po.write('\nmsgid "An old prompt."\nmsgstr "Un mensaje viejo."\n')
    assert problems(quiet) == [
        f"{PO}:{line(quiet, PO, 'Call {emergency} now.')}: error: es: the translation uses {{emergencia}} but "
        "the English uses {emergency}; keep every {name} exactly as in the English (this translation is not "
        "used until fixed)",
        f"{PO}:{line(quiet, PO, 'The line is busy.')}: warning: es: not translated yet: 'The line is busy.'",
        f"{PO}:{line(quiet, PO, 'No one answered.')}: warning: es: the translation of 'No one answered.' is "
        "marked fuzzy (a guess) and is not used; check it and delete the '#, fuzzy' line",
        f"{PO}:{line(quiet, PO, 'An old prompt.')}: warning: es: 'An old prompt.' is no longer said anywhere; "
        "run translate update to retire it",
    ]
    report = run_check(quiet / "flows", quiet / "locales")
    header, row = coverage_table(report.coverage).splitlines()[:2]
    assert header.split() == ["language", "translated", "fuzzy", "missing", "broken", "unused", "to", "review",
                              "reviewed", "done"]
    total = len(source_messages())
    assert row.split()[:7] == ["es", "(Español)", f"{total - 3}/{total}", "1", "1", "1", "1"]


def test_a_translation_with_none_of_its_languages_letters_is_a_warning_at_its_entry(quiet):
    """The check warns, as the console's live check does, about Chinese or Arabic in Latin letters
    only; a name in Latin letters among Chinese ones, a keywords entry and Spanish are fine."""
    zh, ar = PO.replace("/es/", "/zh/"), PO.replace("/es/", "/ar/")
    edit(quiet, zh, 'msgstr "用药过量或纳洛酮"', 'msgstr "an overdose or naloxone"')
    edit(quiet, zh, 'msgstr "芬太尼和赛拉嗪检测试纸"', 'msgstr "芬太尼和 xylazine 检测试纸"')
    edit(quiet, zh, 'msgstr "没有呼吸, 不呼吸,', 'msgstr "NOT BREATHING, 没有呼吸, 不呼吸,')
    edit(quiet, ar, 'msgstr "الاستخدام الأكثر أمانًا"', 'msgstr "TODO"')
    edit(quiet, PO, 'msgstr "Llame al {emergency} ahora."', 'msgstr "Call {emergency} now."')

    def warning(po: str, msgid: str, script: str) -> str:
        at = line(quiet, po, 'msgid "' + msgid + '"')
        return (f"{po}:{at}: warning: {po.split('/')[1]}: '{msgid}': there is "
                f"no {script} writing in this translation, not one letter: it is most likely the English left in "
                f"place, or a placeholder. Write it in {script}, or empty it until someone can (callers then hear "
                "the English)")

    assert problems(quiet) == [warning(ar, "safer use", "Arabic"),
                               warning(zh, "an overdose or naloxone", "Chinese (simplified)")]


def test_a_new_prompt_is_missing_from_the_template_and_the_catalogue(quiet):
    edit(quiet, FLOW, 'say: "Thank you for calling.',
         'say:\n      - "Goodbye for now."\n      - "Thank you for calling.')
    assert problems(quiet) == [
        f"{FLOW}:{line(quiet, FLOW, 'Goodbye for now.')}: warning: {lang}: not in the catalogue yet, run translate "
        "update: 'Goodbye for now.'" for lang in ("es", "zh", "vi", "fil", "fr", "ar", "ht")
    ] + [
        "locales/messages.pot:1: warning: the template is out of date (1 new and 0 removed texts); run: "
        "python -m hotline translate extract, then translate update",
    ]


def test_a_language_without_a_catalogue(quiet):
    edit(quiet, LANGS, "languages:\n", "languages:\n  ko:\n    name: 한국어\n    say_language: ko-KR\n"
         "    voice: Polly.Seoyeon-Neural\n    keywords: [KO]\n    sms_hint: \"KO = 한국어\"\n")
    assert problems(quiet) == [
        f"{LANGS}:{line(quiet, LANGS, '  ko:')}: warning: there is no catalogue for 'ko' yet, so its callers "
        "hear English; run: python -m hotline translate init ko"
    ]


UNUSED = " (until this is fixed, this catalogue is not used)"


def test_a_catalogue_that_cannot_be_read_names_its_line(quiet):
    edit(quiet, PO, 'msgstr "Nadie contestó."', 'msgstr "Nadie contestó."\nNadie')
    assert problems(quiet) == [
        f"{PO}:{line(quiet, PO, 'Nadie contestó.') + 1}: error: 'Nadie' is not a catalogue keyword: a line is "
        'msgid "...", msgstr "...", a comment starting with #, or a "quoted" text continuing the line above' + UNUSED
    ]


def test_a_missing_opening_quote_that_babel_forgives_is_an_error_with_the_fix(quiet):
    """Babel (and pybabel compile) would read this as 'lame al {emergency} ahora.'"""
    edit(quiet, PO, 'msgstr "Llame al {emergency} ahora."', 'msgstr Llame al {emergency} ahora."')
    assert problems(quiet) == [
        f"{PO}:{line(quiet, PO, 'msgstr Llame al')}: error: the text after msgstr does not start with a double "
        'quote ("): write it as msgstr "Llame al {emergency} ahora."' + UNUSED
    ]


@pytest.mark.parametrize(("old", "new", "message"), [
    ('msgstr "Nadie contestó."', 'msgstr "Nadie contestó.',
     'the text is not closed: end the line with a double quote (")'),
    ('msgstr "Nadie contestó."', 'msgstr "Nadie "contestó"."',
     "a double quote ends the text too early: write a double quote inside the text as \\\" "
     "(the part after it, 'contestó\".\"', would be lost)"),
    ('msgstr "Nadie contestó."', 'msgstr "Nadie\\contestó."',
     "'\\c' is not something a catalogue understands: write \\\\ for a backslash, \\\" for a double quote, "
     "\\n for a new line"),
    ('msgstr "Nadie contestó."', 'msgstr', 'msgstr needs its text in double quotes on the same line: msgstr ""'),
])
def test_each_syntax_error_is_named_at_its_line_in_plain_words(quiet, old, new, message):
    where = line(quiet, PO, old)
    edit(quiet, PO, old, new)
    assert problems(quiet) == [f"{PO}:{where}: error: {message}{UNUSED}"]


def test_a_text_twice_and_a_msgstr_without_msgid_are_errors(quiet):
    text = (quiet / PO).read_text(encoding="utf-8")
    (quiet / PO).write_text(text + '\nmsgid "No one answered."\nmsgstr "Otra vez."\n\nmsgstr "Sola."\n',
                            encoding="utf-8")
    total, first = len(text.splitlines()), line(quiet, PO, 'msgid "No one answered."')
    assert problems(quiet) == [
        f"{PO}:{total + 2}: error: this text is already in the catalogue (line {first}): keep one of the two "
        f"entries{UNUSED}",
        f"{PO}:{total + 5}: error: msgstr must come after the msgid it translates: add the msgid line above{UNUSED}",
    ]


def test_the_twilio_lists_are_a_faithful_copy_of_the_shared_list():
    shared = ROOT.parent / "shared" / "twilio-tts.json"
    if not shared.is_file():
        pytest.skip("the shared list is not next to this checkout")
    copy, original = twilio_values(), json.loads(shared.read_text(encoding="utf-8"))
    assert copy["source"] == original["source"]
    for name in ("say_languages", "gather_languages", "say_voices"):
        assert copy[name] == original[name]


def test_a_key_used_twice_in_one_menu(quiet):
    edit(quiet, FLOW, "{key: 3, label: \"mixing drugs\"", "{key: 2, label: \"mixing drugs\"")
    assert problems(quiet) == [
        f"{FLOW}:{line(quiet, FLOW, 'mixing drugs')}: error: key 2 is used twice in this menu"
    ]


def test_broken_yaml_is_reported_at_its_line(quiet):
    edit(quiet, FLOW, "    keywords: [ALONE, NEVER USE ALONE]", "    keywords: [ALONE, NEVER USE ALONE")
    # The parser notices the missing ']' where the next key starts, two lines on; the fix is where it opens.
    assert problems(quiet) == [
        f"{FLOW}:{line(quiet, FLOW, 'NEVER USE ALONE')}: error: the list that starts with '[' on this line is "
        "not closed: add ']' at its end (see docs/flows.md, 'YAML rules')"
    ]


def test_a_transfer_that_hangs_up_when_nobody_can_take_the_call_is_a_dead_end(quiet):
    peer = "    keywords: [PEER, PEER SUPPORT]"
    edit(quiet, FLOW, peer, "    no_answer: goodbye\n" + peer)
    assert problems(quiet) == [
        f"{FLOW}:{line(quiet, FLOW, 'no_answer: goodbye')}: error: dead end: when nobody can take a call at "
        "'peer_support' (all closed or nobody answers), callers are hung up on at 'goodbye' with nothing offered; "
        "point 'no_answer' at the person line, guidance or a menu, or leave it out (then the person line, then "
        "the last-resort guidance)",
    ]


def test_texts_sent_outside_replies_are_checked_against_the_budget_in_every_language(quiet):
    budget = line(quiet, FLOW, "max_sms_segments")
    edit(quiet, FLOW, "  max_sms_segments: 10", "  max_sms_segments: 1")
    found = problems(quiet)
    assert f"{FLOW}:{budget}: warning: en+es: the safe text sent when the line is in trouble takes 2 messages (the " \
           "budget is 1 SMS segments a message, settings.max_sms_segments); texts can arrive out of order, so " \
           "shorten it to fit one" in found
    assert any(p.endswith("so shorten it to fit one") and ": vi: the notice during a flood takes" in p for p in found)
    assert not any(": error: " in p and ("sent during a call" in p or "a message of" in p) for p in found), \
        "texts sent whole are paged, never over the budget"
    edit(quiet, FLOW, "  max_sms_segments: 1", "  max_sms_segments: 3")
    edit(quiet, PO, '"{programme}: you have had drug-supply alerts for a year. Still want them?"\n'
         '" Reply YES. If not, you need do nothing: they end in a week."\nmsgstr ""',
         '"{programme}: you have had drug-supply alerts for a year. Still want them?"\n'
         '" Reply YES. If not, you need do nothing: they end in a week."\nmsgstr "' + "¿Todavía? " * 60 + '"')
    still = [p for p in problems(quiet) if "'still want alerts?'" in p]
    assert len(still) == 1 and still[0].startswith(f"{FLOW}:{budget}: error: es: the alerts' question 'still want "
                                                   "alerts?' is 5 segments, GSM-7"), still  # í made plain: GSM-7
    assert still[0].endswith("over the budget of 3; it is sent as one message: shorten its translation")
    word = "https://example.org/" + "a" * 500
    edit(quiet, FLOW, '      - "Call {emergency} now."', f'      - "Call {{emergency}} now. {word}"')
    overdose = line(quiet, FLOW, "  overdose:")
    assert any(p.startswith(f"{FLOW}:{overdose}: error: en: the text of 'overdose' sent during a call (key 2) has a "
                            "message of 4 segments") for p in problems(quiet))


def test_a_check_lets_go_of_the_pronouncing_dictionary_and_a_second_one_does_not_load_it(project):
    """Every serving process checks its flows: a dictionary kept after the check (textstat keeps
    its 134,000 words, about 55 MB, for good) would be carried by every worker."""
    from textstat.backend.utils import get_cmudict

    from hotline.authoring.checks import reading

    reading.grade_of.cache_clear()
    get_cmudict.cache_clear()  # another test may have asked textstat itself
    assert "reads at grade" in " ".join(problems(project)), "the reading grades were worked out"
    assert reading._HELD == {}, "the dictionary was let go"
    assert get_cmudict.cache_info().currsize == 0, "textstat never built its own"
    graded = reading.grade_of.cache_info().misses
    problems(project)
    assert reading.grade_of.cache_info().misses == graded, "unchanged texts are not graded again"
