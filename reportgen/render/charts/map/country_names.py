"""Where a country's name goes on the map: the point of its part of the map farthest from its
border and from the map's edge (a cartographer's "pole of inaccessibility", found on a grid),
from the same country outlines, and the same tests of inside and of distance, as the check of an
incident's coordinates (`reportgen.geography`): an enclave is not its surrounding country's."""

from __future__ import annotations

import numpy as np

from reportgen.analyse.places import Extent
from reportgen.geography import edge_distance, inside, outline

GRID = 28
"""Points tried across the map (and three quarters as many down it)."""
INSET = 0.04
"""Share of the map's width and height kept clear at its edges."""
def name_point(code: str, extent: Extent) -> tuple[float, float] | None:
    """(lon, lat) for the country's name, or None when none of it lies on the map (or its
    outline is unknown)."""
    rings = [ring for ring in outline(code) if _crosses(ring, extent)]
    if not rings:
        return None
    width, height = extent.east - extent.west, extent.north - extent.south
    lons = np.linspace(extent.west + INSET * width, extent.east - INSET * width, GRID)
    lats = np.linspace(extent.south + INSET * height, extent.north - INSET * height,
                       max(3, GRID * 3 // 4))
    grid = np.array([(lon, lat) for lat in lats for lon in lons])
    within = inside(rings, grid)
    if not within.any():
        return None
    candidates = grid[within]
    shrink = extent.shrink
    clearance = np.minimum.reduce([
        *(_edge_distance(ring, candidates, extent) for ring in rings),
        (candidates[:, 0] - extent.west) * shrink, (extent.east - candidates[:, 0]) * shrink,
        candidates[:, 1] - extent.south, extent.north - candidates[:, 1]])
    lon, lat = candidates[int(np.argmax(clearance))]
    return float(lon), float(lat)


def _crosses(ring: np.ndarray, extent: Extent) -> bool:
    return bool(ring[:, 0].max() >= extent.west and ring[:, 0].min() <= extent.east
                and ring[:, 1].max() >= extent.south and ring[:, 1].min() <= extent.north)


def _edge_distance(ring: np.ndarray, points: np.ndarray, extent: Extent) -> np.ndarray:
    """Each point's distance to the ring's nearest edge on the map, in degrees of latitude.
    An edge off the map is farther from any point on it than the map's edge, which the
    clearance counts anyway, so only the edges that reach into the map are measured (on a
    map of a region, a few hundred of a large country's thousands)."""
    start, end = ring[:-1], ring[1:]
    on_map = ((np.minimum(start[:, 0], end[:, 0]) <= extent.east)
              & (np.maximum(start[:, 0], end[:, 0]) >= extent.west)
              & (np.minimum(start[:, 1], end[:, 1]) <= extent.north)
              & (np.maximum(start[:, 1], end[:, 1]) >= extent.south))
    return edge_distance(start[on_map], end[on_map], points, extent.shrink)
