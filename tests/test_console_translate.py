"""The translators' pages over HTTP: languages an account may open, editing with the live check,
reviews, keywords as a list, .po download and upload, a new language; and publishing them."""

from __future__ import annotations

import io

import pytest

from hotline.authoring.catalogue_edit import parse
from hotline.authoring.translating import language_page
from hotline.flow.yamlfile import read_yaml
from hotline.state.revisions import RevisionStore

from .conftest import Twilio
from .consolekit import add_account, console_app, signed_in

ES_PO = "locales/es/LC_MESSAGES/messages.po"
CALL = "If someone is not breathing or will not wake up, call {emergency} now."
OLD_ES = "Si alguien no respira o no despierta, llame al {emergency} ahora."
NEW_ES = "Si alguien no respira o no se despierta, llame ya al {emergency}."


@pytest.fixture
def app(redis_client):
    return console_app()


def draft(app, name: str):
    return RevisionStore(app.extensions["hotline"].store.client).draft(name)


def entry_of(app, name: str, msgid: str, context=None, lang="es"):
    files = draft(app, name).files
    doc = read_yaml(files["flows/hotline.yaml"], "flows/hotline.yaml")
    flows = app.extensions["hotline"].published.current().flows
    page = language_page(flows, doc, parse(files[f"locales/{lang}/LC_MESSAGES/messages.po"], lang), lang)
    return next(e for e in page.entries if e.key == (msgid, context))


def test_a_translator_opens_only_the_languages_their_account_lists(app):
    tia = signed_in(app, "tia", "translator", ["es"])
    listing = tia.text("/console/languages")
    assert "/console/language/es" in listing and "/console/language/zh" not in listing
    assert "Languages" in tia.text("/console/")  # in the navigation
    for path in ("/console/language/zh", "/console/language/zh/po"):
        response = tia.get(path)
        assert response.status_code == 403 and "translates es, not zh" in response.get_data(as_text=True)
    for path, data in (("/console/language/zh/entry", {"msgid": CALL, "translation": "x"}),
                       ("/console/language/zh/review", {"msgid": CALL}),
                       ("/console/language/zh/po", {"po": (io.BytesIO(b"x"), "zh.po")})):
        assert tia.post(path, data).status_code == 403
    assert draft(app, "tia") is None, "nothing was changed"
    node = tia.text("/console/node/main")
    assert 'lang="es"' in node and 'lang="zh"' not in node, "a translator sees only their languages"
    viewer = signed_in(app, "vic", "viewer")
    assert viewer.get("/console/language/es").status_code == 403


def test_editing_goes_to_the_draft_checked_live_and_reviewed_with_name_and_date(app):
    tia = signed_in(app, "tia", "translator", ["es"])
    page = tia.text("/console/language/es?node=main")
    assert OLD_ES in page and "SMS segment" in page and 'id="coverage"' in page
    live = tia.post("/console/language/es/check", {"msgid": CALL, "translation": "Llame al {emergencia}."},
                    headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "error: keep every {name} exactly as in the English" in live and "{emergency}" in live
    assert "1 SMS segment" in live
    assert "The check accepts it" in tia.post("/console/language/es/check",
                                              {"msgid": CALL, "translation": NEW_ES}).get_data(as_text=True)
    broken = tia.post("/console/language/es/entry", {"msgid": CALL, "translation": "Llame al {emergencia}."})
    assert broken.status_code == 302
    tia.get(broken.location)
    assert entry_of(app, "tia", CALL).status == "broken"
    assert "broken placeholder" in tia.text("/console/language/es?status=broken")
    tia.post("/console/language/es/entry", {"msgid": CALL, "translation": NEW_ES, "status": "broken"})
    assert entry_of(app, "tia", CALL).status == "draft", "a new translation waits for review"
    assert "1 draft" in tia.text("/console/language/es")
    assert '<option value="es" selected>' in tia.text("/console/try?lang=es"), "tried in that language"
    tia.post("/console/language/es/review", {"msgid": CALL})
    reviewed = entry_of(app, "tia", CALL)
    assert reviewed.status == "reviewed" and reviewed.reviewed_by == "tia"
    assert reviewed.reviewed_on.isoformat() == "2026-11-25"
    exported = tia.get("/console/language/es/po")
    assert exported.headers["Content-Disposition"] == 'attachment; filename="hotline-es.po"'
    message = parse(exported.get_data(as_text=True), "es").get(CALL)
    assert message.string == NEW_ES and message.user_comments == ["reviewed by tia on 2026-11-25"]
    published = RevisionStore(app.extensions["hotline"].store.client).published().files[ES_PO]
    assert f'msgstr "{OLD_ES}"' in published and NEW_ES not in published, "callers still hear the published version"


def test_keywords_are_edited_as_a_list_of_words(app):
    tia = signed_in(app, "tia", "translator", ["es"])
    page = tia.text("/console/language/es?node=naloxone")
    assert "Words a texter sends to reach naloxone" in page and 'name="word"' in page
    tia.post("/console/language/es/entry", {"msgid": "naloxone", "context": "keywords", "keywords": "1",
                                            "word": ["NALOXONA", " ", "narcan", "NARCAN", "rescate"]})
    assert entry_of(app, "tia", "naloxone", "keywords").translation == "NALOXONA, narcan, rescate"
    clash = tia.post("/console/language/es/check", {"msgid": "naloxone", "context": "keywords", "keywords": "1",
                                                    "word": ["PARAR"]}).get_data(as_text=True)
    assert "PARAR already has a fixed meaning" in clash


def test_a_translation_is_published_and_a_texter_gets_it(app):
    secret = add_account(app, "pia", "publisher", ["es"])
    from .consolekit import Browser

    pia = Browser(app)
    pia.sign_in("pia", secret=secret)
    pia.get("/console/draft")
    pia.post("/console/language/es/entry", {"msgid": CALL, "translation": NEW_ES})
    twilio = Twilio(app.test_client())
    assert "llame al 911 ahora" in twilio.text("ES", caller="+12025550111")
    assert pia.post("/console/publish", {"note": "clearer Spanish"}).status_code == 302
    assert "llame ya al 911" in twilio.text("ES", caller="+12025550112")


BAD_UPLOADS = {
    "syntax": (b'msgid "a"\nmsgstr "b\n', "upload.po:2"),
    "language": (None, "this file is in French"),
    "placeholders": (None, "uses {emergencia} but the English uses {emergency}"),
}


@pytest.mark.parametrize("kind", sorted(BAD_UPLOADS))
def test_a_bad_po_upload_is_refused_with_the_reason_and_changes_nothing(app, kind):
    tia = signed_in(app, "tia", "translator", ["es"])
    tia.post("/console/language/es/entry", {"msgid": CALL, "translation": NEW_ES})
    before = draft(app, "tia").files
    exported = tia.get("/console/language/es/po").get_data()
    data, reason = BAD_UPLOADS[kind]
    if kind == "language":
        data = exported.replace(b'"Language: es\\n"', b'"Language: fr\\n"')
    elif kind == "placeholders":
        data = exported.replace(b"llame ya al {emergency}.", b"llame ya al {emergencia}.")
    assert data != exported or kind == "syntax"
    response = tia.post("/console/language/es/po", {"po": (io.BytesIO(data), "upload.po")},
                        content_type="multipart/form-data")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "refused, and nothing was changed" in page and reason in page
    assert draft(app, "tia").files == before


def test_a_po_upload_in_the_wrong_language_is_refused_in_spanish_for_a_spanish_account(app):
    tia = signed_in(app, "tia", "translator", ["es"])
    tia.post("/console/account/language", {"language": "es"})
    data = tia.get("/console/language/es/po").get_data().replace(b'"Language: es\\n"', b'"Language: fr\\n"')
    response = tia.post("/console/language/es/po", {"po": (io.BytesIO(data), "upload.po")},
                        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Se rechazó este archivo y no se cambió nada." in page
    assert "este archivo está en French (su encabezado Language dice fr), no en Spanish" in page


def test_a_good_po_upload_lands_in_the_draft_with_a_diff(app):
    tia = signed_in(app, "tia", "translator", ["es"])
    exported = tia.get("/console/language/es/po").get_data()
    changed = exported.replace(f'msgstr "{OLD_ES}"'.encode(), f'msgstr "{NEW_ES}"'.encode())
    response = tia.post("/console/language/es/po", {"po": (io.BytesIO(changed), "hotline-es.po")},
                        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your draft now has the 1 change this file makes." in page
    assert f"<del>{OLD_ES}</del>" in page and f"<ins>{NEW_ES}</ins>" in page
    assert NEW_ES in draft(app, "tia").files[ES_PO]


def test_a_new_language_is_proposed_a_voice_and_stays_off_until_complete(app):
    ed = signed_in(app, "eda", "editor")
    found = ed.text("/console/languages/new?q=korean")
    assert "/console/languages/new?code=ko" in found
    proposal = ed.text("/console/languages/new?code=ko")
    assert "Voice Google.ko-KR-Wavenet" in proposal and "ko-KR" in proposal
    assert "no voice" in ed.text("/console/languages/new?code=ff"), "Twilio cannot speak Fula"
    assert ed.get("/console/languages/new?code=es").status_code == 400
    created = ed.post("/console/languages/new", {"code": "ko"})
    assert created.status_code == 302 and created.location.endswith("/console/language/ko")
    files = draft(app, "eda").files
    assert "until_complete: true" in files["flows/languages.yaml"] and "locales/ko/LC_MESSAGES/messages.po" in files
    page = ed.text("/console/language/ko")
    assert "hear 0%" in page and "it stays off for callers and texters until every entry is translated" in page
    assert "is being added" not in ed.text("/console/language/es")
    assert "ko: off for callers and texters until its catalogue is complete" in ed.text("/console/draft")
    assert signed_in(app, "tia", "translator", ["es"]).get("/console/languages/new").status_code == 403


def test_arabic_is_written_right_to_left_and_typed_direction_marks_are_caught(app):
    amal = signed_in(app, "amal", "translator", ["ar"])
    page = amal.text("/console/language/ar?node=main")
    assert 'lang="ar" dir="rtl"' in page
    typed = "\u202bاتصل بالرقم {emergency} الآن.\u202c"
    live = amal.post("/console/language/ar/check", {"msgid": CALL, "translation": typed}).get_data(as_text=True)
    assert "error: remove the invisible direction characters" in live
    english = amal.post("/console/language/ar/check", {"msgid": CALL, "translation": CALL}).get_data(as_text=True)
    assert "there is no Arabic writing in this translation, not one letter" in english


def test_a_publisher_publishes_a_translators_draft(app):
    tia = signed_in(app, "tia", "translator", ["es"])
    tia.post("/console/language/es/entry", {"msgid": CALL, "translation": NEW_ES})
    assert tia.get("/console/drafts").status_code == 403 and tia.post("/console/publish", {"note": "x"}).status_code \
        == 403, "a translator cannot publish"
    assert "publishers find it under" in tia.text("/console/draft")
    from .consolekit import Browser

    pia = Browser(app)
    pia.sign_in("pia", secret=add_account(app, "pia", "publisher"))
    listing = pia.text("/console/drafts")
    assert '/console/drafts/tia">tia</a>' in listing and "0 errors" in listing
    page = pia.text("/console/drafts/tia")
    assert NEW_ES in page and "0 errors" in page
    assert pia.post("/console/drafts/tia/publish", {"note": ""}).status_code == 302
    assert draft(app, "tia") is not None, "no note: nothing published"
    published = pia.post("/console/drafts/tia/publish", {"note": "clearer Spanish"})
    assert published.status_code == 302 and published.location.endswith("/console/history")
    history = pia.text("/console/history")
    assert "clearer Spanish (draft of tia)" in history
    assert draft(app, "tia") is None
    assert "llame ya al 911" in Twilio(app.test_client()).text("ES", caller="+12025550113")
    assert "published revision 2 from tia&#39;s draft: clearer Spanish" in signed_in(app, "ada", "admin").text(
        "/console/audit")


def test_a_draft_started_before_another_publish_is_merged_by_its_author_first(app):
    tia = signed_in(app, "tia", "translator", ["es"])
    tia.post("/console/language/es/entry", {"msgid": CALL, "translation": NEW_ES})
    store = RevisionStore(app.extensions["hotline"].store.client)
    store.publish(store.published().files, "someone", "another change", expected=store.published_number())
    from .consolekit import Browser

    pia = Browser(app)
    pia.sign_in("pia", secret=add_account(app, "pia", "publisher"))
    assert "they merge first" in pia.text("/console/drafts")
    refused = pia.post("/console/drafts/tia/publish", {"note": "clearer Spanish"})
    assert "merge it first" in pia.text(refused.location)
    assert store.published_number() == 2 and draft(app, "tia") is not None
