"""Where a US ZIP code is, and how far apart two places are, from data shipped offline.

Rules this module keeps:
- No network, ever: coordinates come from the `zipcodes` package, which carries the US
  ZIP code list (with each code's centre) inside itself. Nothing is fetched at run time.
- A ZIP code is five digits that the dataset knows; anything else is "not a ZIP code".
- Distances are straight-line (great-circle) miles between ZIP code centres: good enough
  to sort services by nearness and to say "about 2 miles", not a travel route.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import zipcodes

_FIVE_DIGITS = re.compile(r"^\d{5}$")
EARTH_RADIUS_MILES = 3958.8


@dataclass(frozen=True)
class Place:
    zip_code: str
    lat: float
    lon: float


def locate(zip_code: str) -> Place | None:
    """The centre of a known US ZIP code, or None for anything else."""
    if not _FIVE_DIGITS.match(zip_code or ""):
        return None
    found = zipcodes.matching(zip_code)
    if not found or not found[0].get("lat") or not found[0].get("long"):
        return None
    return Place(zip_code, float(found[0]["lat"]), float(found[0]["long"]))


def miles(a: Place, b: Place) -> float:
    """Great-circle distance in miles (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))
