"""The service directory (`flows/services.yaml`): who a caller can be sent to, and when.

Rules this module keeps:
- Coordinators edit the directory like the flows; it is checked the same way (unknown
  fields, bad numbers, unknown time zones and unknown ZIP codes are errors at file:line).
- Opening hours are written per weekday in the service's own time zone, as
  `"09:00-17:00"`, `"09:00-12:00, 13:00-17:00"` or `closed`; `hours: always` means 24/7.
  A range ends after it starts on the same day (`24:00` is the end of the day).
- National lines (`national: true`) serve everyone and need no ZIP code, and may have a
  three-digit short code for a phone (988), which is read out but never dialled; a local service
  names the ZIP code of its address (for distances) and the area it serves: listed ZIP
  codes, or everything within `radius_miles` of its address.
- Demo services use fictional numbers from the reserved 555-0100 to 555-0199 range.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator

from .model import Flow, LangCode, Text, TransferNode, ZipNode, _as_list, _Strict

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: What a service can offer; a transfer or ZIP lookup may ask for any of these.
OFFERS = (
    "naloxone", "syringes", "test strips", "treatment", "peer support", "crisis", "testing", "wound care",
    "housing", "food", "overdose prevention",
)
_RANGE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")

ServiceId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ZipCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
Offer = Literal[OFFERS]


def _minutes(hour: str, minute: str) -> int:
    h, m = int(hour), int(minute)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise ValueError(f"{hour}:{minute} is not a time of day (00:00 to 24:00)")
    return h * 60 + m


def _ranges(value) -> tuple[tuple[int, int], ...]:
    """'09:00-12:00, 13:00-17:00' -> ((540, 720), (780, 1020)); 'closed' -> ()."""
    if isinstance(value, str) and value.strip().lower() == "closed":
        return ()
    if not isinstance(value, str):
        raise ValueError("write hours like \"09:00-17:00\" or closed")
    ranges = []
    for part in value.split(","):
        match = _RANGE.match(part.strip())
        if not match:
            raise ValueError(f"'{part.strip()}' should look like 09:00-17:00")
        start, end = _minutes(*match.group(1, 2)), _minutes(*match.group(3, 4))
        if end <= start:
            raise ValueError(f"'{part.strip()}' ends before it starts; split a night across two days")
        ranges.append((start, end))
    return tuple(sorted(ranges))


Ranges = Annotated[tuple[tuple[int, int], ...], BeforeValidator(_ranges)]


def _zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{name}' is not a time zone name like America/Los_Angeles") from None
    return name


def _week(value):
    """`always` (or `24/7`) is shorthand for a week that never closes."""
    if isinstance(value, str) and value.strip().lower() in ("always", "24/7"):
        return {"always": True}
    return value


class Week(_Strict):
    """Opening hours for each day; a day left out is closed."""

    always: bool = False
    mon: Ranges = ()
    tue: Ranges = ()
    wed: Ranges = ()
    thu: Ranges = ()
    fri: Ranges = ()
    sat: Ranges = ()
    sun: Ranges = ()

    def on(self, weekday: int) -> tuple[tuple[int, int], ...]:
        """Ranges for a weekday (Monday is 0), in minutes since midnight."""
        return getattr(self, DAYS[weekday])


class Service(_Strict):
    """One place or line a caller can be sent to."""

    name: Text
    phone: Text
    offers: Annotated[tuple[Offer, ...], BeforeValidator(_as_list)]
    languages: Annotated[tuple[LangCode, ...], BeforeValidator(_as_list)] = Field(min_length=1)
    timezone: Annotated[str, AfterValidator(_zone)]
    hours: Annotated[Week, BeforeValidator(_week)]
    closed_on: tuple[dt.date, ...] = ()
    national: bool = False
    address: str = ""
    zip: ZipCode | None = None
    serves: Annotated[tuple[ZipCode, ...], BeforeValidator(_as_list)] = ()
    radius_miles: float = Field(default=10, gt=0, le=200)
    verified_on: dt.date
    verified_by: Text
    source: Text

    @model_validator(mode="after")
    def _local_needs_a_place(self):
        if not self.national and not self.zip:
            raise ValueError("a local service needs 'zip' (the ZIP code of its address); or set national: true")
        return self

    def speaks(self, lang: str) -> bool:
        return lang.split("_")[0] in {code.split("_")[0] for code in self.languages}


class Directory(_Strict):
    """`flows/services.yaml`."""

    schema_: str | None = Field(default=None, alias="$schema")
    services: dict[ServiceId, Service] = Field(default_factory=dict)


def check(directory: Directory, valid_number) -> tuple[list[tuple[tuple, str]], dict]:
    """Cross-checks the model cannot do alone: dialable numbers and known ZIP codes.

    Returns (problems as (data path, message), service id -> Place of its address).
    """
    from .places import locate

    problems: list[tuple[tuple, str]] = []
    places = {}
    for service_id, service in directory.services.items():
        here = ("services", service_id)
        short_code = service.national and re.fullmatch(r"\d{3}", service.phone)
        if not short_code and not valid_number(service.phone):
            problems.append(((*here, "phone"), f"'{service.phone}' is not a valid phone number in E.164 form"))
        if service.zip:
            place = locate(service.zip)
            if place is None:
                problems.append(((*here, "zip"), f"'{service.zip}' is not a known US ZIP code"))
            else:
                places[service_id] = place
        for i, zip_code in enumerate(service.serves):
            if locate(zip_code) is None:
                problems.append(((*here, "serves", i), f"'{zip_code}' is not a known US ZIP code"))
    return problems, places


def check_links(flow: Flow, directory: Directory, valid_number) -> list[tuple[tuple, str]]:
    """What the flow says about services, checked against the directory: every service it
    names exists and can be dialled, ZIP nodes ask for known offers, `near_me` is a ZIP node."""
    import difflib

    problems: list[tuple[tuple, str]] = []

    def known(path: tuple, service_id: str) -> bool:
        if service_id in directory.services:
            return True
        hint = difflib.get_close_matches(service_id, directory.services, n=1)
        problems.append((path, f"there is no service '{service_id}' in services.yaml"
                               + (f" (did you mean '{hint[0]}'?)" if hint else "")))
        return False

    for i, service_id in enumerate(flow.settings.national_lines):
        known(("settings", "national_lines", i), service_id)
    for node_id, node in flow.nodes.items():
        if isinstance(node, TransferNode):
            for i, service_id in enumerate(node.services):
                path = ("nodes", node_id, "services", i)
                if known(path, service_id) and len(directory.services[service_id].phone) == 3:
                    problems.append((path, f"'{service_id}' has a short code, which a transfer cannot dial"))
        if isinstance(node, ZipNode):
            for i, offer in enumerate(node.offers):
                if offer not in OFFERS:
                    problems.append((("nodes", node_id, "offers", i), f"'{offer}' is not one of {', '.join(OFFERS)}"))
    if flow.near_me and not isinstance(flow.nodes.get(flow.near_me), ZipNode):
        problems.append((("near_me",), "'near_me' must name a zip node"))
    number = flow.settings.hotline_number
    if number and not valid_number(number):
        problems.append((("settings", "hotline_number"), f"'{number}' is not a valid phone number in E.164 form"))
    return problems
