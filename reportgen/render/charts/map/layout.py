"""Where the map's markers and names go, in points on the drawn map: no marker covers another,
no name covers a marker or another name, nothing leaves the frame.

Greedy, as cartographers' label placers are: the markers first, busiest first, each at its
place when it covers no marker placed before it, else at the nearest free spot around it (the
map joins it to its place by a line); then each name at the first of its candidate positions
that covers nothing placed before it, or at the least covered one when every position is
taken (a required name) or not at all (an optional one, such as a country's). Everything is a
box (left, bottom, right, top); a marker's box is its circle's square.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Box = tuple[float, float, float, float]

MARKER_GAP = 1.5
"""Points between two markers set side by side."""
RINGS = 4
"""Rings of spots tried around a crowded place before a marker is left at its place."""
SPOTS = 12
"""Spots per ring, every 30 degrees, starting east."""
LABEL_GAP = 2.0
"""Points between a marker's edge and its name."""
STEP_OUT = 6.0
"""Points a name moves out from its marker when every spot beside it is taken: still close
enough to be read as its name."""
MARKER_WEIGHT = 20.0
"""How much worse a name over a marker is than a name over another name: a covered number
cannot be read, a covered name can still be guessed."""


@dataclass(frozen=True, slots=True)
class Disc:
    """A marker: its place (x, y) and radius, in points."""

    x: float
    y: float
    radius: float


@dataclass(frozen=True, slots=True)
class Label:
    """A name to place beside an anchor (x, y) of radius `clear` (its marker's), `width` by
    `height` points; an optional one is dropped rather than covering anything."""

    x: float
    y: float
    width: float
    height: float
    clear: float = 0.0
    optional: bool = False
    centred: bool = False
    """Try the anchor itself first (a country's name sits on its middle)."""


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a name goes: the point its text is aligned to (ha, va, as matplotlib takes
    them), and its box."""

    x: float
    y: float
    box: Box
    ha: str
    va: str
    covered: float
    """Points² of the box over what was placed before it (0: nothing)."""


def shared(box: Box, other: Box) -> float:
    """The area two boxes share."""
    width = min(box[2], other[2]) - max(box[0], other[0])
    height = min(box[3], other[3]) - max(box[1], other[1])
    return max(width, 0.0) * max(height, 0.0)


def outside(box: Box, frame: Box) -> float:
    """The area of `box` outside `frame`."""
    return (box[2] - box[0]) * (box[3] - box[1]) - shared(box, frame)


def disc_box(disc: Disc) -> Box:
    return disc.x - disc.radius, disc.y - disc.radius, disc.x + disc.radius, disc.y + disc.radius


def place_markers(discs: list[Disc], frame: Box) -> list[tuple[float, float]]:
    """Each marker's centre: at its place if it covers no marker placed before it (the list is
    busiest first), else the nearest free spot on rings around it, inside the frame."""
    placed: list[Disc] = []
    for disc in discs:
        centre = next((spot for spot in _spots(disc) if _free(spot, disc.radius, placed, frame)),
                      (disc.x, disc.y))
        placed.append(Disc(*centre, disc.radius))
    return [(d.x, d.y) for d in placed]


def _spots(disc: Disc):
    yield disc.x, disc.y
    for ring in range(1, RINGS + 1):
        distance = ring * (2 * disc.radius + MARKER_GAP)
        for n in range(SPOTS * ring):
            angle = 2 * math.pi * n / (SPOTS * ring)
            yield disc.x + distance * math.cos(angle), disc.y + distance * math.sin(angle)


def _free(centre: tuple[float, float], radius: float, placed: list[Disc], frame: Box) -> bool:
    x, y = centre
    if outside((x - radius, y - radius, x + radius, y + radius), frame) > 0:
        return False
    return all(math.hypot(x - d.x, y - d.y) >= radius + d.radius + MARKER_GAP for d in placed)


def place_labels(labels: list[Label], markers: list[Box], marks: list[Box],
                 frame: Box) -> list[Spot | None]:
    """Each name's spot, in order: the first free one, else (for a required name) the one
    covering least, a marker weighing MARKER_WEIGHT times another mark. `marks` (the capitals'
    dots, the scale, the arrow) gains each name placed."""
    taken = [(box, MARKER_WEIGHT) for box in markers] + [(box, 1.0) for box in marks]
    found = []
    for label in labels:
        spots = [_spot(label, offset, ha, va, taken, frame) for offset, ha, va in _positions(label)]
        best = next((s for s in spots if s.covered == 0), None)
        if best is None and not label.optional:
            best = min(spots, key=lambda s: s.covered)
        if best is not None:
            taken.append((best.box, 1.0))
        found.append(best)
    return found


def _positions(label: Label):
    """(offset from the anchor, ha, va) in order of preference: right, left, above, below, then
    the corners; then the same STEP_OUT further, never farther, where a name would seem to
    belong to another marker."""
    if label.centred:
        yield (0.0, 0.0), "center", "center"
        yield (0.0, label.height), "center", "center"
        yield (0.0, -label.height), "center", "center"
    for near in (label.clear + LABEL_GAP, label.clear + LABEL_GAP + STEP_OUT):
        corner = near * 0.71
        yield (near, 0.0), "left", "center"
        yield (-near, 0.0), "right", "center"
        yield (0.0, near), "center", "bottom"
        yield (0.0, -near), "center", "top"
        yield (corner, corner), "left", "bottom"
        yield (-corner, corner), "right", "bottom"
        yield (corner, -corner), "left", "top"
        yield (-corner, -corner), "right", "top"


def _spot(label: Label, offset: tuple[float, float], ha: str, va: str,
          taken: list[tuple[Box, float]], frame: Box) -> Spot:
    x, y = label.x + offset[0], label.y + offset[1]
    left = {"left": x, "right": x - label.width, "center": x - label.width / 2}[ha]
    bottom = {"bottom": y, "top": y - label.height, "center": y - label.height / 2}[va]
    box = (left, bottom, left + label.width, bottom + label.height)
    covered = sum(weight * shared(box, other) for other, weight in taken) + 10 * outside(box, frame)
    return Spot(x, y, box, ha, va, covered)
