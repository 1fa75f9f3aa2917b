"""The ground a map is drawn on: land, coasts and borders cut to its extent, all from the
country outlines `check` uses (`reportgen.geography`), so the lines a reader sees are the
lines coordinates are checked against.

A border is a stretch of outline two shapes share (Natural Earth's outlines meet vertex for
vertex); a coast is a stretch only one has. Everything is cut to the map's extent, so a map of
Iraq does not carry all of Eurasia's coast in its SVG.
"""

from __future__ import annotations

import functools
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
    return _lines(extent)[0]


def coasts(extent: Extent) -> list[np.ndarray]:
    """The stretches of outline one shape alone has (its coast), cut to the map likewise."""
    return _lines(extent)[1]


@functools.lru_cache(maxsize=8)
def _shapes(extent: Extent) -> tuple[geography.Rings, ...]:
    """The shapes that reach into the map (a page's map and a phone's share an extent, so one
    look serves both)."""
    return tuple(geography.shapes_within(extent.west, extent.east, extent.south, extent.north))


@functools.lru_cache(maxsize=8)
def _lines(extent: Extent) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(borders, coasts): each piece of outline on the map split into runs of edges that
    another shape has too (a border) or that its shape alone has (a coast; a spike that goes
    out and back along one edge stays a coast). An edge is its two ends in either order,
    compared at PRECISION."""
    pieces = [(number, piece) for number, rings in enumerate(_shapes(extent))
              for ring in rings for piece in _cut(ring, extent)]
    if not pieces:
        return [], []
    ends = [np.rint(piece * PRECISION).astype(np.int64) for _, piece in pieces]
    edges = np.concatenate([np.hstack((end[:-1], end[1:])) for end in ends])
    owner = np.concatenate([np.full(len(piece) - 1, number) for number, piece in pieces])
    first, second = edges[:, :2], edges[:, 2:]
    swap = (first[:, 0] > second[:, 0]) | ((first[:, 0] == second[:, 0])
                                           & (first[:, 1] > second[:, 1]))
    keys = np.where(swap[:, None], edges[:, [2, 3, 0, 1]], edges)
    _, edge = np.unique(keys, axis=0, return_inverse=True)
    edge = edge.reshape(-1)
    once_a_shape = np.unique(np.column_stack((edge, owner)), axis=0)[:, 0]
    shared = np.bincount(once_a_shape, minlength=edge.max() + 1)[edge] > 1
    found: tuple[list[np.ndarray], list[np.ndarray]] = ([], [])
    offset = 0
    for _, piece in pieces:
        flags = shared[offset:offset + len(piece) - 1]
        offset += len(piece) - 1
        for kind, wanted in ((0, flags), (1, ~flags)):
            found[kind].extend(piece[start:stop + 1] for start, stop in _runs(wanted))
    return found


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
