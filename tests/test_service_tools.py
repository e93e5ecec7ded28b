"""The service directory for coordinators: the list, the form, and "who would a caller reach?"."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.authoring.checks import run_check
from hotline.authoring.service_form import (
    entry_yaml,
    field_problems,
    normalise_hours,
    normalise_phone,
    put_service,
    read_form,
)
from hotline.authoring.services_view import CannotTry, home_zone, moment, service_rows, who_answers

from .conftest import FIXTURE, edit

TODAY = dt.date(2026, 12, 2)  # a Wednesday
LANGUAGES = ("en", "es", "zh", "vi", "fil", "fr", "ar", "ht")


@pytest.fixture(scope="module")
def report():
    return run_check(FIXTURE / "flows", FIXTURE / "locales")


def saturday_night(flows):
    return moment(5, "23:00", home_zone(flows), TODAY)


def test_the_list_says_open_now_and_what_changes_next_as_callers_hear_it(report):
    tuesday_noon = moment(1, "12:00", "America/Los_Angeles", TODAY)
    rows = {row.id: row for row in service_rows(report.flows, report.catalogues, tuesday_noon)}
    mission = rows["mission_ssp"]
    assert mission.open_now and mission.status == "open until 5:00 PM"
    assert mission.languages == ("English", "Español") and "naloxone" in mission.offers
    assert mission.area == "within 5 miles of 94110" and mission.phone == "1-415-555-0142"
    assert rows["eastlake_outreach"].area == "ZIP codes 94601, 94606, 94621"
    assert rows["samhsa"].area == "everyone (national line)" and rows["samhsa"].status == "open 24 hours"
    night = {row.id: row for row in service_rows(report.flows, report.catalogues, saturday_night(report.flows), "es")}
    assert not night["mission_ssp"].open_now
    assert night["mission_ssp"].status == "cerrado ahora, abre el lunes a las 9:00"


def test_a_service_not_verified_for_longer_than_the_setting_is_flagged(report):
    mission = report.flows.service("mission_ssp")
    later = dt.datetime.combine(mission.verified_on + dt.timedelta(days=181), dt.time(12), tzinfo=dt.UTC)
    assert report.flows.settings.verify_services_days == 180
    rows = {row.id: row for row in service_rows(report.flows, report.catalogues, later)}
    assert rows["mission_ssp"].stale and rows["mission_ssp"].days_since_verified == 181
    earlier = later - dt.timedelta(days=2)
    assert not any(row.stale for row in service_rows(report.flows, report.catalogues, earlier))


def test_phone_numbers_are_normalised_as_typed_and_an_impossible_one_is_refused_with_an_example():
    assert normalise_phone("(415) 555-0188") == "+14155550188"
    assert normalise_phone("+1 510 555 0117") == "+15105550117"
    with pytest.raises(ValueError, match=r"'415 555 01' is not a phone number that can be dialled; write it like "
                                         r"\(201\) 555-0123"):
        normalise_phone("415 555 01")


def test_hours_are_read_as_typed_or_refused_in_plain_words():
    assert normalise_hours("9:00 - 17:00,18:00–20:00") == "09:00-17:00, 18:00-20:00"
    assert normalise_hours("") == normalise_hours("Closed") == "closed"
    for typed, reason in (("9 to 5", "should look like 09:00-17:00"), ("17:00-09:00", "ends before it starts"),
                          ("25:00-26:00", "is not a time of day")):
        with pytest.raises(ValueError, match=reason):
            normalise_hours(typed)


def form(**changes):
    base = {"id": "night_van", "name": "Night Outreach Van", "phone": "(415) 555-0188",
            "offers": ["naloxone", "syringes"], "languages": ["en", "es"], "timezone": "America/Los_Angeles",
            "hours_tue": "9:00-17:00", "hours_sat": "20:00 - 24:00", "closed_on": "2026-12-25, 2027-01-01",
            "zip": "94110", "radius_miles": "3", "verified_by": "Sam (called them)", "source": "phone call"}
    return {**base, **changes}


def test_an_accepted_form_is_a_directory_entry_with_a_preview():
    result = read_form(form(), LANGUAGES, TODAY)
    assert result.accepted, result.errors
    assert result.data["phone"] == "+14155550188" and result.data["verified_on"] == TODAY
    assert result.data["hours"] == {"tue": "09:00-17:00", "sat": "20:00-24:00"}
    assert result.data["closed_on"] == [dt.date(2026, 12, 25), dt.date(2027, 1, 1)]
    assert result.preview[1] == "Tuesday: 09:00\u201317:00" and result.preview[0] == "Monday: closed"
    assert result.preview[5] == "Saturday: 20:00\u201324:00"
    assert read_form(form(always="on"), LANGUAGES, TODAY).preview[0] == "Monday: open 24 hours"


def test_each_mistake_is_put_on_its_field():
    result = read_form(form(phone="415 555 01", hours_wed="9 to 5", closed_on="Christmas", offers=["beer"],
                            languages=["xx"], serves="94110, 1234", id="Night Van"), LANGUAGES, TODAY)
    assert set(result.errors) == {"phone", "hours_wed", "closed_on", "offers", "languages", "serves", "id"}
    assert "not a date" in result.errors["closed_on"] and "choose from the known offers" in result.errors["offers"]
    assert result.errors["serves"].startswith("not known US ZIP codes: 1234")
    assert result.data == {}, "nothing to write until it is right"
    missing = read_form(form(zip="", national=""), LANGUAGES, TODAY)
    assert list(missing.errors) == ["zip"] and "needs 'zip'" in missing.errors["zip"]


def test_an_entry_is_written_in_place_and_the_rest_of_the_file_is_kept(project):
    path = project / "flows/services.yaml"
    before = path.read_text(encoding="utf-8")
    entry = read_form(form(id="mission_ssp", name="Mission Street Syringe Access"), LANGUAGES, TODAY).data
    after = put_service(before, "mission_ssp", entry)
    assert after.count("mission_ssp:") == 1 and "    phone: '+14155550188'\n" in after
    assert after.splitlines()[:12] == before.splitlines()[:12], "the comments at the top stay"
    assert "  tenderloin_peer:\n" in after and after.index("mission_ssp") < after.index("tenderloin_peer")
    added = put_service(before, "night_van", read_form(form(), LANGUAGES, TODAY).data)
    assert added.startswith(before.rstrip("\n")) and added.endswith(entry_yaml("night_van", read_form(
        form(), LANGUAGES, TODAY).data))
    path.write_text(added, encoding="utf-8")
    report = run_check(project / "flows", project / "locales")
    assert not report.errors, report.errors
    assert report.flows.service("night_van").phone == "+14155550188"


def test_the_checks_errors_are_shown_at_their_fields(project):
    def problems_by_field():
        report = run_check(project / "flows", project / "locales")
        text = (project / "flows/services.yaml").read_text(encoding="utf-8")
        return field_problems(report.errors, text, "mission_ssp")

    edit(project, "flows/services.yaml", 'zip: "94110"', 'zip: "00000"')
    found = problems_by_field()
    assert list(found) == ["zip"] and "'00000' is not a known US ZIP code" in found["zip"][0]
    edit(project, "flows/services.yaml", '    timezone: America/Los_Angeles', '    timezone: Mars/Olympus')
    found = problems_by_field()
    assert list(found) == ["timezone"] and "'Mars/Olympus' is not a time zone name" in found["timezone"][0]
    edit(project, "flows/services.yaml", '      sat: "10:00-14:00"', '      sat: "14:00-10:00"')
    assert "hours_sat" in problems_by_field()


def test_try_it_answers_as_the_hotline_would_by_voice_and_by_text(report):
    voice = who_answers(report.flows, report.catalogues, "94110", saturday_night(report.flows), "es", "voice")
    heard = " ".join(voice.lines)
    assert heard.startswith("[es-US, Polly.Lupe-Neural] Ningún servicio cerca de usted está abierto ahora.")
    assert "Mission Street Syringe Access, a menos de una milla, cerrado ahora, abre el lunes a las 9:00" in heard
    assert "SAMHSA National Helpline: 1-800-662-4357, abierto las 24 horas" in heard
    text = who_answers(report.flows, report.catalogues, "94110", saturday_night(report.flows), "en", "sms")
    assert text.lines[0] == "No service near you is open right now." and text.lines[-1].startswith("(texted as")
    midday = who_answers(report.flows, report.catalogues, "94110", moment(5, "11:00", "America/Los_Angeles", TODAY),
                         "en", "sms")
    assert midday.lines[:2] == ("Open now near you:", "Mission Street Syringe Access, less than a mile away, "
                                "open until 2:00 PM. Call 1-415-555-0142.")
    with pytest.raises(CannotTry, match="no language 'xx'"):
        who_answers(report.flows, report.catalogues, "94110", saturday_night(report.flows), "xx", "sms")


def test_try_it_follows_an_edit_of_the_hours(project):
    put = put_service((project / "flows/services.yaml").read_text(encoding="utf-8"), "mission_ssp", read_form(
        form(id="mission_ssp", name="Mission Street Syringe Access", hours_sat="20:00-24:00",
             phone="+14155550142"), LANGUAGES, TODAY).data)
    (project / "flows/services.yaml").write_text(put, encoding="utf-8")
    report = run_check(project / "flows", project / "locales")
    answer = who_answers(report.flows, report.catalogues, "94110", saturday_night(report.flows), "en", "sms")
    assert answer.lines[:2] == ("Open now near you:", "Mission Street Syringe Access, less than a mile away, open "
                                "until 12:00 AM. Call 1-415-555-0142."), "open on Saturday night now"
