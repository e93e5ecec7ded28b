"""`flows/alerts.yaml`: the areas a programme sends alerts to, and its rules for sending.

Rules this module keeps:
- Pure: plain data in, a frozen `AlertsPlan` out; no Redis, Flask or clock. The file is
  read and checked with the flows (same `file:line: message` problems, same reload: an
  edit with errors is never served).
- An area is a list of ZIP codes or a centre (a ZIP code or latitude and longitude) and a
  radius in miles. A ZIP code in more than one area belongs to the first one listed (the
  check warns). A texter's ZIP code is kept only as the area it falls in.
- Area names are the programme's own words ("San Francisco") and are not translated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ..flow.loader import Problem, _read, _validate
from ..flow.places import Place, locate, miles

ALERTS_FILE = "alerts.yaml"
AreaId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ZipCode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
ClockTime = Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
EVERYWHERE = "*"  # a subscriber who named no area: every alert reaches them


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class Area(_Strict):
    """One area: `zips`, or `centre` and `radius_miles`."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    zips: tuple[ZipCode, ...] = ()
    #: A ZIP code ("94612") or [latitude, longitude].
    centre: ZipCode | tuple[float, float] | None = None
    radius_miles: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _one_shape(self):
        circle = self.centre is not None or self.radius_miles is not None
        if self.zips and circle:
            raise ValueError("give an area either 'zips' or 'centre' and 'radius_miles', not both")
        if not self.zips and (self.centre is None or self.radius_miles is None):
            raise ValueError("an area needs 'zips' (a list of ZIP codes), or 'centre' and 'radius_miles'")
        return self


class QuietHours(_Strict):
    """Local times (24-hour "HH:MM") between which alerts not marked urgent wait."""

    start: ClockTime = "21:00"
    end: ClockTime = "08:00"


class AlertsFile(_Strict):
    """`flows/alerts.yaml`."""

    #: The programme's time zone: quiet hours and scheduled times are read in it.
    timezone: str = "America/Los_Angeles"
    #: About how many alerts a month a subscriber should expect (said when they join).
    per_month: int = Field(default=4, ge=1, le=60)
    quiet_hours: QuietHours = QuietHours()
    areas: dict[AreaId, Area] = Field(min_length=1)


@dataclass(frozen=True)
class AlertsPlan:
    timezone: str
    per_month: int
    quiet_start: dt.time
    quiet_end: dt.time
    areas: MappingProxyType  # area id -> Area, in file order
    by_zip: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    circles: tuple[tuple[str, Place, float], ...] = ()

    def area_of(self, zip_code: str) -> str | None:
        """The id of the area a known ZIP code is in, or None (unknown, or outside every area)."""
        if zip_code in self.by_zip:
            return self.by_zip[zip_code]
        place = locate(zip_code)
        if place is None:
            return None
        for area_id, centre, radius in self.circles:
            if miles(place, centre) <= radius:
                return area_id
        return None

    def name(self, area_id: str) -> str:
        area = self.areas.get(area_id)
        return area.name if area else area_id

    def quiet(self, now: dt.datetime) -> bool:
        """Is `now` (aware) within the quiet hours, in the programme's time zone?"""
        local = now.astimezone(ZoneInfo(self.timezone)).time()
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        return start <= local or local < end if start > end else start <= local < end

    def quiet_ends(self, now: dt.datetime) -> dt.datetime:
        """The first moment at or after `now` that is outside the quiet hours (aware, UTC)."""
        if not self.quiet(now):
            return now
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        end = dt.datetime.combine(local.date(), self.quiet_end, tzinfo=zone)
        if end <= local:
            end = dt.datetime.combine(local.date() + dt.timedelta(days=1), self.quiet_end, tzinfo=zone)
        return end.astimezone(dt.UTC)


def load_plan(flows_dir: str | Path) -> tuple[AlertsPlan | None, list[Problem]]:
    """The plan in `flows_dir/alerts.yaml` (None if there is no such file, or it has errors)
    and every problem found in it."""
    path = Path(flows_dir) / ALERTS_FILE
    if not path.is_file():
        return None, []
    problems: list[Problem] = []
    doc = _read(path, problems)
    parsed = _validate(doc, AlertsFile, problems) if doc else None
    if parsed is None:
        return None, problems

    def bad(where: tuple, message: str, level: str = "error") -> None:
        problems.append(Problem(doc.file, doc.line_of(where), message, level))

    try:
        ZoneInfo(parsed.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        bad(("timezone",), f"'{parsed.timezone}' is not a time zone; write one like America/Los_Angeles")
    by_zip: dict[str, str] = {}
    circles = []
    for area_id, area in parsed.areas.items():
        for i, code in enumerate(area.zips):
            if locate(code) is None:
                bad(("areas", area_id, "zips", i), f"area '{area_id}': {code} is not a US ZIP code")
            elif code in by_zip:
                bad(("areas", area_id, "zips", i), f"area '{area_id}': {code} is already in area "
                    f"'{by_zip[code]}', and belongs to that one (the first listed)", "warning")
            else:
                by_zip[code] = area_id
        if area.centre is not None:
            centre = locate(area.centre) if isinstance(area.centre, str) else Place("", *area.centre)
            if centre is None:
                bad(("areas", area_id, "centre"), f"area '{area_id}': the centre {area.centre} is not a US ZIP code")
            elif not (-90 <= centre.lat <= 90 and -180 <= centre.lon <= 180):
                bad(("areas", area_id, "centre"), f"area '{area_id}': the centre must be [latitude, longitude], "
                    "like [37.80, -122.27]")
            else:
                circles.append((area_id, centre, area.radius_miles))
    if any(p.level == "error" for p in problems):
        return None, problems
    plan = AlertsPlan(
        parsed.timezone, parsed.per_month,
        dt.time.fromisoformat(parsed.quiet_hours.start), dt.time.fromisoformat(parsed.quiet_hours.end),
        MappingProxyType(dict(parsed.areas)), MappingProxyType(by_zip), tuple(circles),
    )
    return plan, problems
