"""The console's usage dashboard over HTTP: viewers and up, small cells suppressed in every
table, each view's CSV equal to its table, test traffic only in its labelled view, and the
calls that ended at each node on the flow diagram."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest

from .conftest import Twilio
from .consolekit import Browser, add_account, console_app
from .test_usage_counts import DAY, STATS, TESTER
from .test_usage_figures import calls

SETTINGS = {key: STATS[key] for key in ("HOTLINE_TIME_ZONE", "HOTLINE_TEST_NUMBERS")}
RANGE = f"from={DAY}&to={DAY}"


@pytest.fixture
def app(redis_client):
    app = console_app(**SETTINGS)
    twilio = Twilio(app.test_client())
    calls(twilio, 12, "1", 0)
    calls(twilio, 3, "2", 100)
    spanish_texts(twilio)
    for n in range(11):
        call = twilio.call(f"+1202557{n:04d}")
        call.start()
        call.press("1")
        call.press("1")
        twilio.post("/twilio/status", {"CallSid": call.sid, "CallStatus": "completed", "CallDuration": "20"})
    return app


def spanish_texts(twilio: Twilio) -> None:
    """12 texters who switch to Spanish: beside 3 Spanish calls, a total that must be hidden."""
    for n in range(12):
        twilio.text("ES", caller=f"+1202558{n:04d}")


def viewer(app) -> Browser:
    secret = add_account(app, "vera", "viewer")
    browser = Browser(app)
    browser.sign_in("vera", secret=secret)
    return browser


def table(page: str, name: str) -> list[list[str]]:
    found = re.search(rf'<table class="usage" id="t-{name}">(.*?)</table>', page, re.S)
    assert found, name
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    return [[html.unescape(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def test_the_dashboard_suppresses_small_cells_and_each_csv_is_its_table(app):
    browser = viewer(app)
    page = browser.text(f"/console/usage?{RANGE}")
    languages = table(page, "languages")
    assert ["en", "23", "0", "23"] in languages and ["es", "<10", "12", "suppressed"] in languages
    assert "3" not in [cell for row in languages for cell in row]
    for name in ("days", "people", "languages", "topics", "dropoff", "transfers", "hours", "weekdays"):
        response = browser.get(f"/console/usage.csv?view={name}&{RANGE}")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert list(csv.reader(io.StringIO(response.get_data(as_text=True)))) == table(page, name), name
    assert ["main", "11", "<10"] not in table(page, "dropoff")
    assert ["overdose_menu", "11", "11"] in table(page, "dropoff")
    hours = table(page, "hours")
    assert ["16:00", "26", "12"] in hours


def test_test_traffic_is_shown_only_in_its_labelled_view(app):
    Twilio(app.test_client()).text("NARCAN", caller=TESTER)
    browser = viewer(app)
    assert "TEST TRAFFIC" not in browser.text(f"/console/usage?{RANGE}")
    tested = browser.text(f"/console/usage?{RANGE}&test=on")
    assert "TEST TRAFFIC ONLY" in tested and table(tested, "languages") == [
        ["language", "calls", "texts", "total"], ["en", "0", "<10", "<10"]]
    csv_response = browser.get(f"/console/usage.csv?view=all&{RANGE}&test=on")
    assert "test-traffic" in csv_response.headers["Content-Disposition"]


def test_the_flow_diagram_shows_where_calls_ended(app):
    page = viewer(app).text("/console/")
    assert re.search(r'id="n-overdose_menu".*?Calls ended here \(last 30 days\): 11', page, re.S)


def test_the_dashboard_needs_a_signed_in_account_and_clear_days(app):
    anonymous = Browser(app)
    assert anonymous.get(f"/console/usage?{RANGE}").status_code == 302
    browser = viewer(app)
    response = browser.get("/console/usage?from=2026-13-01")
    assert response.status_code == 400 and "YYYY-MM-DD" in response.get_data(as_text=True)
