"""Where a country can be: its outline, to notice coordinates that cannot be in it.

The outlines are the GeoJSON ones the `countryinfo` package ships (MIT; drawn from Natural
Earth by johan/world.geo.json), read from the installed package, never fetched. They are
simplified, and coordinates are often a city centre, so a point within `MARGIN` of the outline
counts as in the country: a point this reports is clearly elsewhere (another country, swapped,
at sea far off the coast). The test is against the outline itself, not a box around it: a box
around Iraq holds Deir ez-Zor, in Syria. Countries countryinfo has no outline for (Bahrain,
Palestine, Singapore and most small islands among them) are not checked.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from countryinfo import CountryInfo, CountryNotFoundError

MARGIN = 0.25
"""Degrees (about 28 km north-south; east-west scaled by the latitude) a point may lie outside
the outline and still count as in the country."""


@functools.cache
def country_rings(code: str) -> tuple[np.ndarray, ...]:
    """The outer rings of an ISO 3166-1 alpha-2 country's outline, each an (n, 2) array of
    (lon, lat); empty when its outline is unknown."""
    try:
        outline = CountryInfo(code).geo_json()
    except CountryNotFoundError:
        return ()
    return tuple(np.asarray(polygon[0], dtype=float) for feature in outline.get("features", [])
                 for polygon in _polygons(feature.get("geometry") or {}) if len(polygon[0]) > 2)


def near(rings: tuple[np.ndarray, ...], lat: float, lon: float, margin: float = MARGIN) -> bool:
    """Whether the point is inside one of the rings or within `margin` degrees of one."""
    return any(_inside(ring, lon, lat) or _distance(ring, lon, lat) <= margin for ring in rings)


def _inside(ring: np.ndarray, x: float, y: float) -> bool:
    """Even-odd rule: a ray from the point crosses the ring's edges an odd number of times."""
    xi, yi = ring[:, 0], ring[:, 1]
    xj, yj = np.roll(xi, 1), np.roll(yi, 1)
    straddles = (yi > y) != (yj > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = x < (xj - xi) * (y - yi) / (yj - yi) + xi
    return bool(np.count_nonzero(straddles & crossing) % 2)


def _distance(ring: np.ndarray, x: float, y: float) -> float:
    """The shortest distance from the point to the ring's edges, in degrees of latitude
    (longitudes shrunk by the cosine of the latitude, so a degree means the same both ways)."""
    scale = math.cos(math.radians(y))
    points = ring * (scale, 1.0)
    start, end = points[:-1], points[1:]
    edge = end - start
    here = np.array((x * scale, y))
    length = np.einsum("ij,ij->i", edge, edge)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.clip(np.einsum("ij,ij->i", here - start, edge) / length, 0.0, 1.0)
    share = np.nan_to_num(share)
    closest = start + edge * share[:, None]
    return float(np.min(np.hypot(*(here - closest).T)))


def _polygons(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["coordinates"]
    return []
