"""Where a US ZIP code is, and how far apart two places are, from data shipped offline.

Rules this module keeps:
- No network, ever. The centre of every US ZIP code comes from the `zipcodes` package's
  list, copied into `zip_centres.csv.gz` beside this module (about 43,000 codes, 300 kB)
  by `python -m hotline.flow.places`; a test keeps the copy in step with the package.
  The package itself is not loaded at run time: it builds a dict of every field of every
  code, 37 MB in each worker, where the hotline only needs two numbers per code (1 MB).
- A ZIP code is five digits that the list knows; anything else is "not a ZIP code".
- Distances are straight-line (great-circle) miles between ZIP code centres: good enough
  to sort services by nearness and to say "about 2 miles", not a travel route.
"""

from __future__ import annotations

import gzip
import math
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_FIVE_DIGITS = re.compile(r"^\d{5}$")
EARTH_RADIUS_MILES = 3958.8
CENTRES = Path(__file__).with_name("zip_centres.csv.gz")


@dataclass(frozen=True)
class Place:
    zip_code: str
    lat: float
    lon: float


@cache
def _centres() -> tuple[array, array, array]:
    """(ZIP codes as sorted integers, latitudes, longitudes), read once."""
    codes, lats, lons = array("l"), array("d"), array("d")
    with gzip.open(CENTRES, "rt", encoding="ascii") as rows:
        next(rows)  # the header
        for row in rows:
            code, lat, lon = row.split(",")
            codes.append(int(code))
            lats.append(float(lat))
            lons.append(float(lon))
    return codes, lats, lons


def locate(zip_code: str) -> Place | None:
    """The centre of a known US ZIP code, or None for anything else."""
    if not _FIVE_DIGITS.match(zip_code or ""):
        return None
    codes, lats, lons = _centres()
    number = int(zip_code)
    i = bisect_left(codes, number)
    if i == len(codes) or codes[i] != number:
        return None
    return Place(zip_code, lats[i], lons[i])


def miles(a: Place, b: Place) -> float:
    """Great-circle distance in miles (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(h)))


def centres_from_package() -> list[str]:
    """The lines of `zip_centres.csv.gz` as the installed `zipcodes` package gives them."""
    import zipcodes

    rows = sorted((entry["zip_code"], entry["lat"], entry["long"]) for entry in zipcodes.filter_by()
                  if entry.get("lat") and entry.get("long"))
    return ["zip,lat,lon", *(",".join(row) for row in rows)]


if __name__ == "__main__":
    # mtime=0: the same package version always gives the same bytes.
    with open(CENTRES, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(("\n".join(centres_from_package()) + "\n").encode("ascii"))
    print(f"wrote {CENTRES}")
