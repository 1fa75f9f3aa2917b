"""The ground a map is drawn on: land, coasts and borders cut to its extent, all from the
country outlines `check` uses (`reportgen.geography`), so the lines a reader sees are the
lines coordinates are checked against.

A border is a stretch of outline two shapes share (Natural Earth's outlines meet vertex for
vertex); a coast is a stretch only one has. Everything is cut to the map's extent, so a map of
Iraq does not carry all of Eurasia's coast in its SVG.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np
from matplotlib.path import Path as Outline
from matplotlib.transforms import Bbox

from reportgen import geography
from reportgen.analyse.places import Extent

PRECISION = 1e6
"""Vertices are compared at a millionth of a degree (about 10 cm): the file's own precision."""


def land(extent: Extent) -> list[np.ndarray]:
    """The rings of every shape on the map, cut to its extent, to fill as land."""
    box = Bbox([[extent.west, extent.south], [extent.east, extent.north]])
    cut = []
    for rings in _shapes(extent):
        for ring in rings:
            clipped = Outline(ring, closed=True).clip_to_bbox(box, inside=True)
            if len(clipped.vertices) >= 3:
                cut.append(clipped.vertices)
    return cut


def borders(extent: Extent) -> list[np.ndarray]:
    """The stretches of outline two shapes share, cut to the map (one vertex beyond its edge
    on each side, so a line still reaches the edge)."""
    return [piece for line in _stretches(extent, shared=True) for piece in _cut(line, extent)]


def coasts(extent: Extent) -> list[np.ndarray]:
    """The stretches of outline one shape alone has (its coast), cut to the map likewise."""
    return [piece for line in _stretches(extent, shared=False) for piece in _cut(line, extent)]


def _shapes(extent: Extent) -> list[geography.Rings]:
    return geography.shapes_within(extent.west, extent.east, extent.south, extent.north)


def _stretches(extent: Extent, shared: bool) -> Iterator[np.ndarray]:
    """Each run of consecutive edges of a ring that is (or is not) shared with another shape."""
    rings = [ring for rings in _shapes(extent) for ring in rings]
    keys = [_edge_keys(ring) for ring in rings]
    count = Counter(key for ring_keys in keys for key in ring_keys)
    for ring, ring_keys in zip(rings, keys, strict=True):
        wanted = np.array([(count[key] > 1) == shared for key in ring_keys], dtype=bool)
        for start, stop in _runs(wanted):
            yield ring[start:stop + 1]


def _edge_keys(ring: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Each edge as its two ends in either order, at PRECISION."""
    ends = np.rint(ring * PRECISION).astype(np.int64)
    first, second = ends[:-1], ends[1:]
    swap = (first[:, 0] > second[:, 0]) | ((first[:, 0] == second[:, 0])
                                           & (first[:, 1] > second[:, 1]))
    low = np.where(swap[:, None], second, first)
    high = np.where(swap[:, None], first, second)
    return list(map(tuple, np.hstack((low, high)).tolist()))


def _cut(line: np.ndarray, extent: Extent) -> Iterator[np.ndarray]:
    """The pieces of a line inside the extent, each reaching one vertex beyond it."""
    lons, lats = line[:, 0], line[:, 1]
    inside = ((lons >= extent.west) & (lons <= extent.east)
              & (lats >= extent.south) & (lats <= extent.north))
    for start, stop in _runs(inside):
        start, stop = max(start - 1, 0), min(stop + 1, len(line))
        if stop - start >= 2:
            yield line[start:stop]


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each stretch of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
