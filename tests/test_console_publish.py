"""The console end to end over HTTP: edit a sentence into a draft, check, publish, a signed
webhook serves the new text, roll back; two editors at once; errors block publishing."""

from __future__ import annotations

import json
import time

from hotline.state.revisions import RevisionStore

from .conftest import Twilio, words
from .consolekit import console_app, signed_in

OLD = "Give naloxone: spray one dose into one nostril."
NEW = "Give naloxone now: spray one dose into one nostril."
PATH = json.dumps(["nodes", "overdose", "say", 1])


def overdose_steps(twilio: Twilio) -> str:
    call = twilio.call()
    call.start()
    call.press("1")  # English
    call.press("1")  # an overdose or naloxone
    return words(call.press("1"))  # what to do now


def change_sentence(browser, text: str = NEW, lang: str = "en", english: str = OLD):
    return browser.post("/console/node/overdose/sentence",
                        {"path": PATH, "lang": lang, "text": text, "english": english, "anchor": "2"})


def test_flows_and_locales_become_revision_1_and_are_served(redis_client):
    app = console_app()
    revision = RevisionStore(redis_client).published()
    assert revision.number == 1
    assert "flows/hotline.yaml" in revision.files and "locales/es/LC_MESSAGES/messages.po" in revision.files
    assert OLD in overdose_steps(Twilio(app.test_client()))
    console_app()  # a second process, or a restart, does not publish the files again
    assert RevisionStore(redis_client).published_number() == 1


def test_a_sentence_fixed_in_the_draft_reaches_callers_only_when_published_and_rolls_back(redis_client):
    app = console_app()
    twilio = Twilio(app.test_client())
    publisher = signed_in(app, "pat", "publisher")
    assert change_sentence(publisher).status_code == 302
    page = publisher.text("/console/node/overdose")
    assert NEW in page and "your draft" in page
    assert "needs review" in page, "the translations of a changed English sentence are marked for review"
    assert OLD in overdose_steps(twilio), "a draft never reaches callers"

    assert NEW in publisher.text("/console/draft")  # the diff of the draft
    response = publisher.post("/console/publish", {"note": "naloxone now"})
    assert response.status_code == 302
    assert RevisionStore(redis_client).published_number() == 2
    assert NEW in overdose_steps(twilio)
    history = publisher.text("/console/history")
    assert "naloxone now" in history and "pat" in history

    assert publisher.post("/console/rollback/1", {"note": "too soon"}).status_code == 302
    store = RevisionStore(redis_client)
    assert store.published_number() == 3 and store.get(3).rollback_of == 1
    assert store.get(3).files == store.get(1).files
    assert OLD in overdose_steps(twilio)
    assert "Rollback to revision 1: too soon" in publisher.text("/console/history")


def test_a_translation_fixed_in_place(redis_client):
    app = console_app()
    publisher = signed_in(app, "pat", "publisher")
    change_sentence(publisher, "Dele naloxona ya: una dosis en un lado de la nariz.", "es")
    publisher.post("/console/publish", {"note": "es"})
    files = RevisionStore(redis_client).published().files
    assert 'msgstr "Dele naloxona ya: una dosis en un lado de la nariz."' in files["locales/es/LC_MESSAGES/messages.po"]
    assert files["flows/hotline.yaml"] == RevisionStore(redis_client).get(1).files["flows/hotline.yaml"]


def test_an_edit_that_breaks_the_flow_is_shown_at_its_line_and_cannot_be_published(redis_client):
    app = console_app()
    publisher = signed_in(app, "pat", "publisher")
    text = RevisionStore(redis_client).published().files["flows/hotline.yaml"]
    broken = text.replace("goto: overdose_menu", "goto: overdose_menuu", 1)
    line = next(i for i, row in enumerate(broken.splitlines(), 1) if "overdose_menuu" in row)
    answer = publisher.post("/console/check/flows/hotline.yaml", {"text": broken},
                            headers={"X-CSRFToken": publisher.token})
    result = answer.get_json()
    assert result["errors"] >= 1
    assert any(p["line"] == line and p["level"] == "error" and "overdose_menuu" in p["message"]
               for p in result["file"]), result
    assert "overdose_menuu" in publisher.text("/console/draft"), "the live check kept the text in the draft"
    publisher.post("/console/publish", {"note": "broken"})
    assert RevisionStore(redis_client).published_number() == 1, "a draft with errors is never published"
    fixed = publisher.post("/console/file/flows/hotline.yaml", {"text": text})
    assert fixed.status_code == 302
    assert "0 errors" in publisher.text("/console/draft")


def test_two_editors_at_once_merge_instead_of_overwriting(redis_client):
    app = console_app()
    ana, ben = signed_in(app, "ana", "publisher"), signed_in(app, "ben", "publisher")
    change_sentence(ana)  # ana: the overdose steps
    ben.post("/console/node/naloxone/sentence", {
        "path": json.dumps(["nodes", "naloxone", "say", 0]), "lang": "en", "english": "",
        "text": "Naloxone can reverse an opioid overdose fast."})
    ana.post("/console/publish", {"note": "ana's change"})
    response = ben.post("/console/publish", {"note": "ben's change"})
    assert response.status_code == 302 and response.location.endswith("/console/merge")
    page = ben.text("/console/merge")
    assert "ana" in page and NEW in page, "ben is shown ana's change"
    ben.post("/console/merge")
    ben.post("/console/publish", {"note": "ben's change, merged"})
    files = RevisionStore(redis_client).published().files["flows/hotline.yaml"]
    assert NEW in files and "Naloxone can reverse an opioid overdose fast." in files


def test_the_same_sentence_changed_by_both_is_kept_twice_and_blocks_publishing(redis_client):
    app = console_app()
    ana, ben = signed_in(app, "ana", "publisher"), signed_in(app, "ben", "publisher")
    change_sentence(ana, NEW)
    change_sentence(ben, "Give naloxone: one spray in one nostril.")
    ana.post("/console/publish", {"note": "ana"})
    ben.post("/console/merge")
    draft = RevisionStore(redis_client).draft("ben")
    text = draft.files["flows/hotline.yaml"]
    assert draft.base == 2 and "<<<<<<< your draft" in text and NEW in text and "one spray in one nostril" in text
    ben.post("/console/publish", {"note": "ben"})
    assert RevisionStore(redis_client).published_number() == 2, "the conflict must be resolved first"


def test_another_process_serves_a_new_revision_within_the_reload_interval(redis_client):
    app = console_app()
    other = console_app(HOTLINE_RELOAD_SECONDS="1")  # another machine: looks once a second
    twilio = Twilio(other.test_client())
    assert OLD in overdose_steps(twilio)
    publisher = signed_in(app, "pat", "publisher")
    change_sentence(publisher)
    publisher.post("/console/publish", {"note": "now"})
    deadline = time.monotonic() + 5
    while other.extensions["hotline"].published.bundle.revision != 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert NEW in overdose_steps(twilio)


def test_import_and_export_of_a_revision_go_through_the_check(redis_client, tmp_path):
    app = console_app()
    runner = app.test_cli_runner()
    out = tmp_path / "rev1"
    result = runner.invoke(args=["hotline", "revisions", "export", "1", str(out)])
    assert result.exit_code == 0, result.output
    flow = out / "flows" / "hotline.yaml"
    assert (out / "locales" / "es" / "LC_MESSAGES" / "messages.po").is_file()
    flow.write_text(flow.read_text().replace("goto: overdose_menu", "goto: nowhere", 1))
    result = runner.invoke(args=["hotline", "revisions", "import", str(out)])
    assert result.exit_code != 0 and "nowhere" in result.output and "not published" in result.output
    assert RevisionStore(redis_client).published_number() == 1
    flow.write_text(flow.read_text().replace("goto: nowhere", "goto: overdose_menu").replace(OLD, NEW))
    result = runner.invoke(args=["hotline", "revisions", "import", str(out), "--note", "from git"])
    assert result.exit_code == 0, result.output
    assert RevisionStore(redis_client).published().note == "from git"
    assert "*2" in runner.invoke(args=["hotline", "revisions", "list"]).output
