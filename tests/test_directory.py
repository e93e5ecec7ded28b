"""The service directory: loading and checking, opening hours, ZIP codes and distances."""

from __future__ import annotations

import datetime as dt
import gzip
import subprocess
import sys

import pytest

from hotline.flow import hours, places
from hotline.flow.events import Text
from hotline.flow.loader import FlowError, load_flowset
from hotline.flow.places import locate, miles
from hotline.i18n import Catalogues

from .conftest import FIXTURE, ROOT, line_in, load_problems

FLOWS = load_flowset(FIXTURE / "flows")
CATALOGUES = Catalogues(FIXTURE / "locales", FLOWS.languages.languages)
UTC = dt.UTC


def pacific(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment in November/December 2026 given as San Francisco wall-clock time."""
    month, day = (11, day) if day <= 30 else (12, day - 30)
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=-8)))


def said(words: Text, lang: str) -> str:
    return CATALOGUES.render(words, lang, FLOWS.variables)[0]


def test_the_shipped_directory_loads_with_places_and_national_lines():
    services = FLOWS.directory.services
    assert services["samhsa"].national and services["samhsa"].hours.always
    assert FLOWS.places["mission_ssp"].zip_code == "94110"
    assert "samhsa" not in FLOWS.places, "national lines have no place"
    assert FLOWS.settings.national_lines == ("samhsa", "lifeline_988", "never_use_alone")
    for service in services.values():
        if not service.national:
            assert service.phone[-4:-2] == "01" and service.phone[-7:-4] == "555", "demo numbers are fictional"


@pytest.mark.parametrize("moment, expected", [
    (pacific(25, 10), True),  # Wednesday 10:00
    (pacific(25, 8, 59), False),
    (pacific(25, 17), False),  # the range ends at 17:00
    (pacific(28, 13, 59), True),  # Saturday 10-14
    (pacific(29, 12), False),  # Sunday: not listed, closed
    (pacific(55, 10), False),  # 25 December, a Friday: closed_on
])
def test_opening_hours_in_the_services_own_time_zone(moment, expected):
    assert hours.is_open(FLOWS.service("mission_ssp"), moment) is expected
    assert hours.is_open(FLOWS.service("mission_ssp"), moment.astimezone(UTC)) is expected, "any zone in"


def test_without_a_time_every_service_counts_as_open():
    assert hours.is_open(FLOWS.service("eastlake_outreach"), None)


@pytest.mark.parametrize("moment, english, spanish", [
    (pacific(25, 10), "open until 5:00 PM", "abierto hasta las 17:00"),
    (pacific(25, 7), "closed now, opens today at 9:00 AM", "cerrado ahora, abre hoy a las 9:00"),
    (pacific(25, 18), "closed now, opens tomorrow at 9:00 AM", "cerrado ahora, abre mañana a las 9:00"),
    (pacific(29, 12), "closed now, opens tomorrow at 9:00 AM", "cerrado ahora, abre mañana a las 9:00"),
    (pacific(28, 15), "closed now, opens on Monday at 9:00 AM", "cerrado ahora, abre el lunes a las 9:00"),
    (pacific(54, 18), "closed now, opens on Saturday at 10:00 AM", "cerrado ahora, abre el sábado a las 10:00"),
])
def test_hours_are_said_in_the_callers_language_with_babel(moment, english, spanish):
    service = FLOWS.service("mission_ssp")
    assert said(hours.status(service, moment, "en"), "en") == english
    assert said(hours.status(service, moment, "es"), "es") == spanish


def test_a_24_7_line_and_ranges_that_run_into_each_other():
    assert said(hours.status(FLOWS.service("samhsa"), pacific(25, 3), "en"), "en") == "open 24 hours"
    late = FLOWS.service("tenderloin_peer").model_copy(update={"hours": FLOWS.service("tenderloin_peer").hours
                                                               .model_copy(update={"wed": ((480, 1440),),
                                                                                   "thu": ((0, 120), (120, 600))})})
    until = hours.open_until(late, pacific(25, 23))
    assert until.isoformat() == "2026-11-26T10:00:00-08:00", "open past midnight until Thursday 10:00"


def test_zip_codes_are_found_offline_and_distances_are_in_miles():
    mission, oakland = locate("94110"), locate("94601")
    assert 9 < miles(mission, oakland) < 12
    assert miles(mission, mission) == 0
    for bad in ("00000", "9411", "941100", "ABCDE", "", "99999"):
        assert locate(bad) is None, bad
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('no network')\n"
        "socket.socket = refuse; socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from hotline.flow.places import locate\n"
        "print(locate('10001').zip_code)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "10001"


def test_the_shipped_zip_code_centres_are_the_zipcodes_packages():
    shipped = gzip.decompress(places.CENTRES.read_bytes()).decode("ascii").splitlines()
    assert shipped == places.centres_from_package(), "rebuild it: python -m hotline.flow.places"
    assert len(shipped) > 40_000


@pytest.mark.parametrize("old, new, message", [
    ('phone: "+14155550142"', 'phone: "555-0142"', "'555-0142' is not a phone number that can be dialled"),
    ("timezone: America/Los_Angeles", "timezone: Pacific/Nowhere",
     "services.mission_ssp.timezone: 'Pacific/Nowhere' is not a time zone name like America/Los_Angeles"),
    ('mon: "09:00-17:00"', 'mon: "17:00-09:00"',
     "services.mission_ssp.hours.mon: '17:00-09:00' ends before it starts; split a night across two days"),
    ('mon: "09:00-17:00"', 'mon: "9 to 5"', "services.mission_ssp.hours.mon: '9 to 5' should look like 09:00-17:00"),
    ('zip: "94110"', 'zip: "00000"', "'00000' is not a known US ZIP code"),
    ("offers: [syringes, naloxone, test strips, wound care]", "offers: [syringes, nalaxone]",
     "'nalaxone' is not a known service type (did you mean 'naloxone'?); known types are naloxone, syringes"),
    ("    radius_miles: 5\n", "    radius_mile: 5\n",
     "'radius_mile' is not a known field here (did you mean 'radius_miles'?)"),
])
def test_a_broken_directory_edit_is_reported_at_its_line(flows_dir, old, new, message):
    problems = load_problems(flows_dir, "services.yaml", old, new)
    fragment = new.strip().split("\n")[0]
    line = line_in(flows_dir, "services.yaml", fragment)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"services.yaml:{line}: error: ") and message in problems[0], problems


def test_a_flow_naming_an_unknown_or_undialable_service_is_refused(flows_dir):
    problems = load_problems(flows_dir, "hotline.yaml", "services: [bayview_treatment, samhsa]",
                      "services: [bayview_treatmnt, lifeline_988]")
    line = line_in(flows_dir, "hotline.yaml", "bayview_treatmnt")
    assert problems == [
        f"hotline.yaml:{line}: error: there is no service 'bayview_treatmnt' in services.yaml "
        "(did you mean 'bayview_treatment'?)",
        f"hotline.yaml:{line}: error: 'lifeline_988' has a short code, which a transfer cannot dial",
    ]


def test_a_transfer_names_a_number_or_services_not_both(flows_dir):
    problems = load_problems(flows_dir, "hotline.yaml", "    services: [bayview_treatment, samhsa]\n",
                      "    services: [bayview_treatment, samhsa]\n    number: \"+12025550143\"\n")
    line = line_in(flows_dir, "hotline.yaml", "  treatment:")
    assert problems == [f"hotline.yaml:{line}: error: nodes.treatment: a transfer needs either 'number' or "
                        "'services' (not both)"]


def test_the_directory_file_is_optional_but_links_to_it_are_checked(flows_dir):
    (flows_dir / "services.yaml").unlink()
    with pytest.raises(FlowError) as caught:
        load_flowset(flows_dir)
    messages = [p.message for p in caught.value.problems]
    assert messages and all(m.startswith("there is no service") for m in messages), messages


@pytest.mark.parametrize("file, old, new, message", [
    ("hotline.yaml", "near_me: find_services", "near_me: main", "'near_me' must name a zip node"),
    ("hotline.yaml", "    offers: [syringes]", "    offers: [needles]",
     "'needles' is not a known service type; known types are naloxone"),
    ("hotline.yaml", 'hotline_number: "+12025550100"', 'hotline_number: "12345"',
     "'12345' is not a phone number that can be dialled"),
    ("hotline.yaml", "national_lines: [samhsa,", "national_lines: [samsha,",
     "there is no service 'samsha' in services.yaml (did you mean 'samhsa'?)"),
])
def test_what_the_flow_says_about_services_is_checked(flows_dir, file, old, new, message):
    problems = load_problems(flows_dir, file, old, new)
    line = line_in(flows_dir, file, new.strip())
    assert len(problems) == 1 and problems[0].startswith(f"{file}:{line}: error: ") and message in problems[0], problems
