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

from .fields import LangCode, Text, _as_list, _Strict

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
