"""More languages: language menus within five keys, languages Twilio cannot speak,
keywords from the catalogues, right-to-left texts, and catalogue coverage."""

from __future__ import annotations

import hashlib
import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from hotline import create_app
from hotline.authoring.checks import run_check
from hotline.authoring.checks.translations import REVIEW_MARK
from hotline.authoring.recordings import Recordings, file_stem, with_recordings
from hotline.channels.bidi import LRM, RLM, readable
from hotline.channels.sms import reply_text
from hotline.channels.voice import render_voice
from hotline.flow import phrases
from hotline.flow.engine import begin, step
from hotline.flow.events import Dial, DialResult, Key, Message, Options, Say, SendText, Silence, Start, text
from hotline.flow.keywords import normalize
from hotline.flow.loader import FlowError, load_flowset
from hotline.flow.prompts import voice_texts
from hotline.i18n import Catalogues, add_catalogue_keywords

from .conftest import FIXTURE, NOW, ROOT, SETTINGS, Twilio, edit, spoken

FLOWS = load_flowset(FIXTURE / "flows")
CATALOGUES = Catalogues(FIXTURE / "locales", FLOWS.languages.languages)
FLOWS_WITH_WORDS, CLASHES = add_catalogue_keywords(FLOWS, CATALOGUES)
NEW = ["fr", "zh", "vi", "fil", "ar", "ht"]
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)


def run(flows, channel, *events):
    session, actions = begin(flows, channel), ()
    for event in events:
        session, actions = step(flows, session, event)
    return session, actions


def said(actions) -> list[tuple[str, str]]:
    return [(a.text.msgid, a.lang) for a in actions if isinstance(a, Say)]


# -- the shipped languages -------------------------------------------------------------


def test_every_language_menu_has_at_most_five_keys_and_each_line_in_its_own_language():
    for node_id in ("language", "more_languages"):
        options = FLOWS.node(node_id).options
        assert len({o.key for o in options}) <= 5
    _, actions = run(FLOWS, "voice", Start())
    assert ("For English, press 1.", "en") in said(actions) and ("للغات أخرى، اضغط 5.", "ar") in said(actions)
    root = ET.fromstring(render_voice(actions, CATALOGUES, FLOWS))
    voices = {say.get("language"): say.get("voice") for say in root.iter("Say")}
    assert voices == {"en-US": "Polly.Joanna-Neural", "es-US": "Polly.Lupe-Neural", "cmn-CN": "Polly.Zhiyu-Neural",
                      "vi-VN": "Google.vi-VN-Wavenet-A", "fr-CA": "Polly.Gabrielle-Neural",
                      "ar-XA": "Google.ar-XA-Wavenet-A"}


def test_every_voice_and_language_is_one_twilio_lists():
    listing = ROOT.parent / "shared" / "twilio-tts.json"
    if not listing.is_file():
        pytest.skip("Twilio's voice list (shared/twilio-tts.json) is not beside this checkout")
    twilio = json.loads(listing.read_text())
    for code, language in FLOWS.languages.languages.items():
        if language.voice:
            assert language.say_language in twilio["say_languages"], code
            assert language.voice in twilio["say_voices"], code
            assert "Chirp" not in language.voice and "Generative" not in language.voice, "prosody rate must work"
        if language.gather_language:
            assert language.gather_language in twilio["gather_languages"], code


def test_every_new_catalogue_is_complete_and_marked_for_native_review():
    rows = {row.lang: row for row in run_check(FIXTURE / "flows", FIXTURE / "locales").coverage}
    for lang in NEW:
        row = rows[lang]
        assert row.translated == row.needed and row.fuzzy == row.missing == row.broken == row.unused == 0, row
        assert row.needs_review == row.needed, f"{lang}: every drafted entry says it {REVIEW_MARK}"
    assert rows["es"].translated == rows["es"].needed and rows["es"].needs_review == 0


def test_coverage_counts_entries_still_marked_for_review(tmp_path):
    shutil.copytree(FIXTURE / "flows", tmp_path / "flows")
    shutil.copytree(FIXTURE / "locales", tmp_path / "locales")
    po = tmp_path / "locales" / "fr" / "LC_MESSAGES" / "messages.po"
    text_ = po.read_text(encoding="utf-8")
    po.write_text(text_.replace(f"# draft: {REVIEW_MARK}\n", "", 3), encoding="utf-8")
    (row,) = [r for r in run_check(tmp_path / "flows", tmp_path / "locales").coverage if r.lang == "fr"]
    assert row.translated == row.needed and row.needs_review == row.needed - 3


def test_keywords_from_every_catalogue_reach_their_node_without_clashes():
    assert CLASHES == []
    table, emergency = FLOWS_WITH_WORDS.keywords, FLOWS_WITH_WORDS.emergency_keywords
    for word, node in [("纳洛酮", "overdose"), ("sugat", "wounds"), ("NARCÁN", "overdose"), ("伤口", "wounds")]:
        assert table.get(normalize(word)) == node, word
    # words for an overdose are emergency words in every language: found anywhere in a message
    for word in ["过量", "SURDOSE", "quá liều", "الجرعة الزائدة", "surdoz", "SOBREDOSIS", "LABIS NA DOSIS"]:
        assert emergency.get(normalize(word)) == "overdose", word


def test_a_catalogue_keyword_answers_in_its_language_and_a_shared_one_does_not():
    session, _ = run(FLOWS_WITH_WORDS, "sms", Message("纳洛酮"))
    assert (session.lang, session.node) == ("zh", "main")
    session, _ = run(FLOWS_WITH_WORDS, "sms", Message("Narcan"))
    assert session.lang == "en"
    session, actions = run(FLOWS_WITH_WORDS, "sms", Message("KREYOL"), Message("surdoz"))
    assert session.lang == "ht" and said(actions)[0] == ("Call {emergency} now.", "ht")


def test_language_switch_words_in_every_script():
    for body, lang in [("中文", "zh"), ("tiếng việt", "vi"), ("TIENG VIET", "vi"), ("Tagalog", "fil"),
                       ("français", "fr"), ("العربية", "ar"), ("Kreyòl", "ht"), ("arabic", "ar")]:
        session, _ = run(FLOWS, "sms", Message(body))
        assert session.lang == lang, body


def test_normalising_folds_accents_arabic_variants_and_digits_of_any_script():
    assert normalize("Tiếng Việt!") == "TIENG VIET"
    assert normalize("العربيّة") == normalize("العربيه") and normalize("إبر") == normalize("ابر")
    assert normalize("٣") == "3" and normalize("３") == "3"
    session, _ = run(FLOWS, "sms", Message("AR"), Message("٢"))
    assert session.node == "strips", "an Arabic-Indic digit picks a menu option"


# -- the second language menu ------------------------------------------------------------


def test_other_languages_lead_to_a_second_menu_and_its_choice_sticks():
    session, actions = run(FLOWS, "voice", Start(), Key("5"))
    assert session.node == "more_languages"
    assert ("Para sa Tagalog, pindutin ang 1.", "fil") in said(actions)
    session, actions = run(FLOWS, "voice", Start(), Key("5"), Key("3"))
    assert (session.lang, session.node) == ("ar", "main")
    session, _ = run(FLOWS, "voice", Start(), Key("5"), Key("#"))
    assert session.node == "language", "# goes back to the first language menu"


def test_silence_at_the_second_menu_goes_back_to_the_first_then_the_default():
    session, actions = run(FLOWS, "voice", Start(), Key("5"), Silence())
    assert session.node == "more_languages"
    session, actions = run(FLOWS, "voice", Start(), Key("5"), Silence(), Silence())
    assert session.node == "language" and ("For English, press 1.", "en") in said(actions)
    session, _ = run(FLOWS, "voice", Start(), Key("5"), Silence(), Silence(), Silence(), Silence())
    assert (session.node, session.lang) == ("main", "en")


# -- languages Twilio cannot speak ---------------------------------------------------------


def test_without_recordings_a_kreyol_caller_hears_one_sentence_and_reaches_a_screened_person():
    _, actions = run(FLOWS, "voice", Start(), Key("5"))
    line = [a for a in actions if isinstance(a, Say) and a.lang == "ht"]
    assert [a.text.msgid for a in line] == ["Pou Kreyòl, peze 4."], "its own line, said by the French voice"
    session, actions = run(FLOWS, "voice", Start(), Key("5"), Key("4"))
    assert (session.lang, session.node) == ("ht", "person")
    assert [a.text.msgid for a in actions if isinstance(a, Say)] == [phrases.VOICELESS_PERSON], "one sentence"
    (dial,) = [a for a in actions if isinstance(a, Dial)]
    assert dial.screen and dial.lang == "ht" and dial.numbers == ("+12025550143",)
    root = ET.fromstring(render_voice(actions, CATALOGUES, FLOWS))
    (said,) = spoken(root)
    assert said == ("fr-CA", CATALOGUES.render(text(phrases.VOICELESS_PERSON), "ht", {})[0])
    assert root.find("Dial/Number").get("url") == "/twilio/voice/screen?lang=ht"


def test_a_kreyol_caller_nobody_answers_gets_the_steps_and_the_lines_by_text():
    session = begin(FLOWS, "voice")
    for event in (Start(), Key("5"), Key("4"), DialResult("no-answer")):
        session, actions = step(FLOWS, session, event)
    (sent,) = [a for a in actions if isinstance(a, SendText)]
    assert sent.lang == "ht"
    assert [line.msgid for line in sent.lines][:2] == list(FLOWS.node("overdose").say[:2])
    assert phrases.NUMBERS_INTRO in [line.msgid for line in sent.lines]
    assert session.node == "national_lines", "then the national lines, said"
    assert begin(FLOWS, "voice", remembered="ht").chosen is False, "the next call asks for the language again"
    assert begin(FLOWS, "sms", remembered="ht").lang == "ht", "texts stay in Kreyòl"


def test_screening_tells_whoever_answers_the_caller_speaks_haitian_creole(twilio):
    root = twilio.twiml("/twilio/voice/screen?lang=ht", {"CallSid": "CA" + "1" * 32, "From": "+12025550143"})
    assert "Haitian Creole speaker" in "".join(root.find("Gather/Say").itertext())


def recorded_flows(tmp_path):
    recordings = Recordings(tmp_path, "https://cdn.example.org/audio")
    (tmp_path / "ht").mkdir(exist_ok=True)
    for name, words in recordings.missing(FLOWS, CATALOGUES, "ht"):
        assert name != "untranslated", words
        (tmp_path / name).write_bytes(b"ID3")
    recordings = Recordings(tmp_path, "https://cdn.example.org/audio")
    return with_recordings(FLOWS, CATALOGUES, recordings), recordings


def test_with_every_recording_a_kreyol_call_plays_them(tmp_path):
    flows, recordings = recorded_flows(tmp_path)
    assert flows.recorded == {"ht"} and recordings.missing(flows, CATALOGUES, "ht") == []
    session, actions = run(flows, "voice", Start(), Key("5"), Key("4"))
    assert (session.lang, session.node) == ("ht", "main")
    root = ET.fromstring(render_voice(actions, CATALOGUES, flows, recordings=recordings))
    assert spoken(root) == []
    plays = [play.text for play in root.iter("Play")]
    words = CATALOGUES.render(text(FLOWS.node("main").say[0]), "ht", FLOWS.variables)[0]
    content = hashlib.sha256(b"ID3").hexdigest()[:8]
    assert plays[0] == f"https://cdn.example.org/audio/ht/{file_stem(words)}-{content}.mp3", "named by its content"
    assert root.find("Gather/Play") is not None, "recordings can be interrupted by a key, like speech"


def test_one_missing_recording_keeps_the_language_off_calls_and_is_listed(tmp_path):
    flows, recordings = recorded_flows(tmp_path)
    words = CATALOGUES.render(text(phrases.DIAL_BUSY), "ht", FLOWS.variables)[0]
    (tmp_path / "ht" / f"{file_stem(words)}.mp3").unlink()
    recordings = Recordings(tmp_path)
    assert recordings.missing(FLOWS, CATALOGUES, "ht") == [(f"ht/{file_stem(words)}.mp3", "Liy lan okipe.")]
    assert with_recordings(FLOWS, CATALOGUES, recordings).recorded == frozenset()


def test_an_untranslated_sentence_is_listed_as_untranslated(tmp_path):
    catalogues = Catalogues(tmp_path, FLOWS.languages.languages)  # no catalogues at all
    missing = Recordings(tmp_path).missing(FLOWS, catalogues, "ht")
    assert ("untranslated", "Call {emergency} now.".replace("{emergency}", "911")) in missing


def test_every_call_text_of_a_language_is_listed_once():
    texts = voice_texts(FLOWS, "ht")
    rendered = [CATALOGUES.render(t, "ht", FLOWS.variables)[0] for t in texts]
    assert len(rendered) == len(set(rendered))
    assert "Pou Kreyòl, peze 4." in rendered
    for notice in (phrases.VOICELESS_PERSON, phrases.TROUBLE_VOICE):
        assert text(notice) in texts, notice


def test_the_audio_route_serves_recordings_and_nothing_else(redis_client, tmp_path):
    (tmp_path / "ht").mkdir()
    (tmp_path / "ht" / "0123456789ab.mp3").write_bytes(b"ID3 sound")
    (tmp_path / "secret.txt").write_text("no")
    client = create_app({**SETTINGS, "HOTLINE_AUDIO_DIR": str(tmp_path)}).test_client()
    answer = client.get("/audio/ht/0123456789ab.mp3")
    assert answer.status_code == 200 and answer.data == b"ID3 sound" and answer.mimetype == "audio/mpeg"
    for path in ("/audio/ht/secret.txt", "/audio/xx/0123456789ab.mp3", "/audio/ht/..%2Fsecret.txt",
                 "/audio/ht/ffffffffffff.mp3"):
        assert client.get(path).status_code == 404, path


def test_a_voiceless_language_must_be_readable_and_never_the_default(tmp_path):
    target = tmp_path / "flows"
    shutil.copytree(FIXTURE / "flows", target)
    path = target / "languages.yaml"
    text_ = path.read_text()
    path.write_text(text_.replace("default: en ", "default: ht ").replace("spoken_by: fr ", "spoken_by: zz "))
    with pytest.raises(FlowError) as caught:
        load_flowset(target)
    messages = [p.message for p in caught.value.problems]
    assert "'ht' is the default or source language, so it needs a voice" in messages
    assert "spoken_by 'zz' must be a listed language that has a voice" in messages
    path.write_text(text_.replace("    voice: null", "    voice: Polly.Lea-Neural"))
    with pytest.raises(FlowError) as caught:
        load_flowset(target)
    assert any("give both 'voice' and 'say_language'" in p.message for p in caught.value.problems)


def test_language_menu_keys_goto_and_the_five_key_limit_are_checked(tmp_path):
    target = tmp_path / "flows"
    shutil.copytree(FIXTURE / "flows", target)
    path = target / "hotline.yaml"
    original = path.read_text()

    def problems(old, new):
        assert old in original
        path.write_text(original.replace(old, new, 1))
        with pytest.raises(FlowError) as caught:
            load_flowset(target)
        return [p.message for p in caught.value.problems]

    assert problems('say: "Autres langues, appuyez sur 5.", goto: more_languages}',
                    'say: "Autres langues, appuyez sur 5.", goto: main}') == [
        "'main' must be a language menu (type: language)", "key 5 is used twice in this menu"]
    assert problems("{key: 4, lang: vi,", "{key: 1, lang: vi,") == ["key 1 is used twice in this menu"]
    path.write_text(original.replace('lang: fr, say: "Autres langues', 'lang: ht, say: "Autres langues'))
    assert load_flowset(target), "a voiceless language's line is read by its spoken_by voice"
    languages = target / "languages.yaml"
    languages.write_text(languages.read_text().replace("    spoken_by: fr ", "    # no spoken_by "))
    assert problems('lang: fr, say: "Autres langues', 'lang: ht, say: "Autres langues') == [
        "'ht' has no voice and no spoken_by: nobody can say this"]
    assert problems("      - {key: 4, lang: ht, say: \"Pou Kreyòl, peze 4.\"}",
                    "      - {key: 4, lang: ht, say: \"Pou Kreyòl, peze 4.\"}\n"
                    "      - {key: 5, lang: ht, say: \"5\"}\n      - {key: 6, lang: ht, say: \"6\"}") == [
        "a menu has at most 5 keys; put more languages in another language menu"]


# -- right-to-left texts --------------------------------------------------------------------


def test_arabic_lines_are_marked_right_to_left_and_numbers_keep_their_order():
    line = readable("اتصل بالرقم (202) 555-0143 أو أرسل MENU.", "ar")
    assert line == f"{RLM}اتصل بالرقم {LRM}(202) 555-0143{LRM} أو أرسل {LRM}MENU{LRM}."
    assert readable("1 Call 911.", "en") == "1 Call 911." and readable("1 Call 911.", "fr") == "1 Call 911."


def test_an_arabic_text_menu_is_readable_and_counted_as_ucs2_while_english_stays_gsm7():
    actions = [Say(text("Call {emergency} now."), "ar"), Options((("1", text("safer use")),), "ar"),
               Say(text(phrases.SMS_AFTER_GUIDANCE), "ar")]
    body = reply_text(actions, CATALOGUES, FLOWS)
    lines = body.splitlines()
    assert all(line.startswith(RLM) for line in lines)
    assert lines[2] == f"{RLM}{LRM}1{LRM} الاستخدام الأكثر أمانًا", "the option number stays at the right"
    assert f"{LRM}911{LRM}" in lines[0] and f"{LRM}MENU{LRM}" in lines[3]
    assert not set(body) <= GSM7, "any segment counter must count it as UCS-2"
    english = reply_text([Say(a.text, "en") for a in actions if isinstance(a, Say)], CATALOGUES, FLOWS)
    assert set(english) <= GSM7 and RLM not in english


def test_the_recordings_command_lists_what_to_record(tmp_path):
    from click.testing import CliRunner

    from hotline.cli import cli

    result = CliRunner().invoke(cli, ["--audio", str(tmp_path), "recordings", "ht"])
    lines = result.output.splitlines()
    assert result.exit_code == 0 and lines[-1] == f"{len(lines) - 1} missing."
    assert f"{tmp_path}/ht/{file_stem('Pou Kreyòl, peze 4.')}.mp3\tPou Kreyòl, peze 4." in lines
    voiced = CliRunner().invoke(cli, ["--audio", str(tmp_path), "recordings", "fr"])
    assert voiced.output == "'fr' has a Twilio voice: it needs no recordings.\n"


def test_the_check_warns_until_every_recording_is_there(tmp_path):
    report = run_check(FIXTURE / "flows", FIXTURE / "locales", Recordings(tmp_path))
    (warning,) = [p for p in report.warnings if "recording" in p.message]
    assert warning.file.endswith("languages.yaml") and warning.message.startswith("ht: ")
    assert "hears one sentence and is put through to a person" in warning.message
    assert report.flows.recorded == frozenset()
    recorded_flows(tmp_path)
    report = run_check(FIXTURE / "flows", FIXTURE / "locales", Recordings(tmp_path))
    assert not [p for p in report.warnings if "recording" in p.message] and report.flows.recorded == {"ht"}


def test_recordings_added_while_running_go_live_at_the_next_look(tmp_path):
    from hotline.bundle import Published

    published = Published(FIXTURE / "flows", FIXTURE / "locales", 0, audio=(str(tmp_path), "/audio"))
    assert published.current().flows.recorded == frozenset()
    recorded_flows(tmp_path)
    bundle = published.current()
    assert bundle.flows.recorded == {"ht"} and bundle.recordings.url("ht", "Pou Kreyòl, peze 4.")


def test_an_untranslated_menu_label_is_said_whole_by_the_english_voice_never_by_the_spanish_one(
        project, redis_client):
    edit(project, "locales/es/LC_MESSAGES/messages.po", 'msgstr "consumo más seguro"', 'msgstr ""')
    app = create_app({**SETTINGS, "HOTLINE_FLOWS_DIR": str(project / "flows"),
                      "HOTLINE_LOCALES_DIR": str(project / "locales")}, clock=lambda: NOW)
    call = Twilio(app.test_client()).call()
    call.start()
    said = spoken(call.press("2"))  # español
    assert ("en-US", "For safer use, press 3.") in said, said
    assert not any("safer use" in words for language, words in said if language != "en-US")
    spanish = " ".join(words for language, words in said if language == "es-US")
    assert "oprima 1." in spanish and "oprima 4." in spanish and "oprima 3" not in spanish, \
        "the translated options keep the Spanish voice"
