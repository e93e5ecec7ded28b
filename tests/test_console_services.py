"""The service directory in the console over HTTP: the list, the form and "try it"."""

from __future__ import annotations

import pytest

from hotline.state.revisions import RevisionStore

from .conftest import Twilio
from .consolekit import add_account, console_app, signed_in

SERVICES = "flows/services.yaml"


@pytest.fixture
def app(redis_client):
    return console_app()


def form(**changes):
    hours = {"hours_mon": "9:00-17:00", "hours_tue": "09:00 - 17:00", "hours_wed": "09:00-17:00",
             "hours_thu": "09:00-17:00", "hours_fri": "09:00-17:00", "hours_sat": "10:00-14:00", "hours_sun": ""}
    base = {"id": "mission_ssp", "name": "Mission Street Syringe Access", "phone": "(415) 555-0142",
            "offers": ["syringes", "naloxone", "test strips", "wound care"], "languages": ["en", "es"],
            "timezone": "America/Los_Angeles", "closed_on": "2026-12-25, 2027-01-01",
            "address": "100 Example Street, San Francisco, CA 94110", "zip": "94110", "radius_miles": "5",
            "verified_on": "2026-11-20", "verified_by": "Sam (called them)", "source": "phone call", **hours}
    return {**base, **changes}


def try_it(browser, **choice) -> str:
    data = {"zip": "94110", "day": "Saturday", "time": "23:00", "lang": "en", **choice}
    response = browser.post("/console/services/try", data)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_list_says_open_now_languages_offers_area_and_flags_old_verifications(app, redis_client):
    viewer = signed_in(app, "vic", "viewer")
    page = viewer.text("/console/services")
    assert "Mission Street Syringe Access" in page and "Open</span>: open until 5:00 PM" in page
    assert "English, Español" in page and "wound care" in page and "within 5 miles of 94110" in page
    assert "2026-11-20 by demo data" in page and "Not verified for" not in page
    store = RevisionStore(redis_client)
    files = store.published().files
    old = files[SERVICES].replace("verified_on: 2026-11-20", "verified_on: 2026-01-02", 1)
    store.save_draft("vic", store.published_number(), {**files, SERVICES: old})
    assert "Not verified for 326 days" in viewer.text("/console/services")
    assert viewer.post("/console/service/mission_ssp", form()).status_code == 403, "a viewer changes nothing"


def test_the_form_normalises_the_phone_and_puts_each_refusal_at_its_field(app):
    ed = signed_in(app, "eda", "editor")
    page = ed.text("/console/service/mission_ssp")
    assert 'value="+14155550142"' in page and "Tuesday: 09:00\u201317:00" in page and "Sunday: closed" in page
    refused = ed.post("/console/service/mission_ssp", form(phone="415 555 01", hours_wed="9 to 5",
                                                           closed_on="Christmas"))
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert 'id="err-phone"' in page and "write it like (201) 555-0123" in page
    assert 'id="err-hours_wed"' in page and "should look like 09:00-17:00" in page
    assert 'id="err-closed_on"' in page and "Nothing was saved" in page
    assert RevisionStore(app.extensions["hotline"].store.client).draft("eda") is None
    saved = ed.post("/console/service/mission_ssp", form(phone="(415) 555-0199", hours_sat="20:00-24:00"))
    assert saved.status_code == 302
    text = RevisionStore(app.extensions["hotline"].store.client).draft("eda").files[SERVICES]
    assert "phone: '+14155550199'" in text and "sat: '20:00-24:00'" in text
    assert "Saturday: 20:00\u201324:00" in ed.text("/console/service/mission_ssp")


def test_the_form_refuses_in_spanish_for_an_account_that_chose_spanish(app):
    ed = signed_in(app, "eda", "editor")
    ed.post("/console/account/language", {"language": "es"})
    refused = ed.post("/console/service/mission_ssp", form(phone="415 555 01", hours_wed="9 to 5"))
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "no es un número de teléfono al que se pueda llamar; escríbalo como (201) 555-0123" in page
    assert "debe escribirse como 09:00-17:00" in page and "No se guardó nada" in page
    assert "Número de teléfono" in page and "is not a phone number" not in page


def test_try_it_answers_by_voice_and_text_and_follows_an_edit_of_the_hours(app):
    secret = add_account(app, "pia", "publisher")
    from .consolekit import Browser

    pia = Browser(app)
    pia.sign_in("pia", secret=secret)
    pia.get("/console/draft")
    before = try_it(pia, lang="es")
    assert "Ningún servicio cerca de usted está abierto ahora" in before and "By text, the texter gets" in before
    assert "cerrado ahora, abre el lunes a las 9:00" in before
    pia.post("/console/service/mission_ssp", form(hours_sat="20:00-24:00"))
    after = try_it(pia)
    assert "Open now near you:" in after and "Mission Street Syringe Access, less than a mile away, open until " \
        "12:00 AM" in after
    assert pia.post("/console/publish", {"note": "open late on Saturdays"}).status_code == 302
    assert "Mission Street Syringe Access" in Twilio(app.test_client()).text("SERVICES 94110")


def test_a_new_service_is_added_and_a_duplicate_id_refused(app):
    ed = signed_in(app, "eda", "editor")
    assert 'name="hours_mon"' in ed.text("/console/services/new")
    duplicate = ed.post("/console/services/new", form())
    assert duplicate.status_code == 400 and "there is already a service" in duplicate.get_data(as_text=True)
    added = ed.post("/console/services/new", form(id="night_van", name="Night Outreach Van",
                                                  phone="(415) 555-0188"))
    assert added.status_code == 302 and added.location.endswith("/console/service/night_van")
    assert "Night Outreach Van" in ed.text("/console/services")


def test_the_checks_errors_about_a_service_are_shown_at_their_fields(app, redis_client):
    ed = signed_in(app, "eda", "editor")
    store = RevisionStore(redis_client)
    files = store.published().files
    broken = files[SERVICES].replace('zip: "94110"', 'zip: "00000"', 1)
    store.save_draft("eda", store.published_number(), {**files, SERVICES: broken})
    page = ed.text("/console/service/mission_ssp")
    assert 'id="err-zip">&#39;00000&#39; is not a known US ZIP code' in page, "the draft does not load, the form does"
    assert 'id="f-zip" name="zip" inputmode="numeric" value="00000" aria-invalid="true"' in page


def test_the_week_is_previewed_as_the_hours_are_typed(app):
    ed = signed_in(app, "eda", "editor")
    assert 'hx-post="/console/services/preview"' in ed.text("/console/service/mission_ssp")
    preview = ed.post("/console/services/preview", form(hours_tue="9:00 - 12:00, 13:00-17:00", hours_wed="9 to 5"),
                      headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<li>Tuesday: 09:00\u201312:00, 13:00\u201317:00</li>" in preview
    assert "<li>Wednesday: &#39;9 to 5&#39; should look like 09:00-17:00 (or write closed)</li>" in preview
    assert RevisionStore(app.extensions["hotline"].store.client).draft("eda") is None, "a preview saves nothing"
