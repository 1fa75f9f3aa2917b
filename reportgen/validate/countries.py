"""Where a country can be: boxes around its outline, to notice coordinates that cannot be in it.

The outlines are the GeoJSON ones the `countryinfo` package ships (MIT; drawn from Natural
Earth by johan/world.geo.json), read from the installed package, never fetched. They are
simplified, and coordinates are often a city centre, so each box is widened by `MARGIN`: a
point this reports is clearly elsewhere (another country, swapped, at sea far off the coast).
One box per polygon of the outline, so Alaska and Hawaii count for the United States without
the Pacific between them. Countries countryinfo has no outline for (Bahrain, Palestine,
Singapore and most small islands among them) have no boxes and are not checked.
"""

from __future__ import annotations

import functools

from countryinfo import CountryInfo, CountryNotFoundError

MARGIN = 0.5
"""Degrees added on every side of a box (about 55 km north-south)."""

Box = tuple[float, float, float, float]
"""South, north, west and east edges, in degrees."""


@functools.cache
def country_boxes(code: str) -> tuple[Box, ...]:
    """The boxes of an ISO 3166-1 alpha-2 country; empty when its outline is unknown."""
    try:
        outline = CountryInfo(code).geo_json()
    except CountryNotFoundError:
        return ()
    return tuple(_box(polygon[0]) for feature in outline.get("features", [])
                 for polygon in _polygons(feature.get("geometry") or {}))


def contains(boxes: tuple[Box, ...], lat: float, lon: float) -> bool:
    return any(south <= lat <= north and west <= lon <= east for south, north, west, east in boxes)


def _polygons(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _box(ring: list) -> Box:
    """The outer ring's extent, widened by the margin."""
    lons = [point[0] for point in ring]
    lats = [point[1] for point in ring]
    return min(lats) - MARGIN, max(lats) + MARGIN, min(lons) - MARGIN, max(lons) + MARGIN
