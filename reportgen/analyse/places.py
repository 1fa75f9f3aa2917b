"""Where the incidents happened: the places the map marks and the incidents it cannot (method
rule `map`). Pure data, so that the map, its list and its description cannot disagree."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reportgen.analyse.parties import acting_sides
from reportgen.model.actor import Actor
from reportgen.model.common import GeoPrecision
from reportgen.model.incident import Incident

SAME_PLACE_KM = 5
"""Incidents less than this far apart are one place on the map (a base and its gate, a city's
centre and its airport's far side are not)."""
MAP_NUMBERED = 100
"""Incidents on a map above which places are grouped more coarsely and only the busiest are
listed: a list of hundreds of numbers helps no reader."""
KM_PER_DEGREE = 111.32
"""Along a meridian; along a parallel, times the cosine of the latitude."""
MAP_LISTED = 20
"""Places the list under a map of more than MAP_NUMBERED incidents gives, the busiest first."""
COUNTED_SHARE = 1 / 50
"""On a map of more than MAP_NUMBERED incidents, places closer than this share of the map's
height are one place: their markers would otherwise cover each other."""
MAP_MARGIN = 1.5
"""Degrees of map around the outermost places at least (8% of their spread on a wide map)."""
MAP_MIN_SPAN = 6.0
"""Degrees north to south at least (about 670 km): a map of one city still shows its region."""
MAP_RATIO = 0.75
"""Height over width of the mapped area, in kilometres."""


@dataclass(frozen=True, slots=True)
class Place:
    """One marker of the map: where one or more incidents happened."""

    name: str
    lon: float
    lat: float
    incidents: tuple[Incident, ...]
    """Oldest first, each once."""
    shares: tuple[tuple[str, int], ...]
    """(party, incidents it carried out here), largest first: the marker's ring."""


@dataclass(frozen=True, slots=True)
class Unplaced:
    """An incident the map cannot mark, and why, in the reader's words."""

    incident: Incident
    reason: str


@dataclass(frozen=True, slots=True)
class Places:
    places: tuple[Place, ...]
    """Busiest first, then oldest."""
    unplaced: tuple[Unplaced, ...]
    on_map: tuple[Incident, ...]
    """Incidents marked at least once, oldest first."""
    radius_km: float
    """How close two incidents are to be one place."""
    by_party: Mapping[str, Counter]
    """Party -> Counter({"attacks": n, "other": m}) of the incidents on the map."""

    @property
    def counted(self) -> bool:
        """Whether the map only counts incidents by place (too many to list by number)."""
        return len(self.on_map) > MAP_NUMBERED

    @property
    def shared(self) -> bool:
        """Whether an incident on the map counts for two parties (the counts by party then add
        up to more than the incidents on it)."""
        return sum(sum(counts.values()) for counts in self.by_party.values()) > len(self.on_map)

    @property
    def repeated(self) -> bool:
        """Whether an incident is marked at two places (the markers' numbers then add up to
        more than the incidents on the map)."""
        return sum(len(place.incidents) for place in self.places) > len(self.on_map)

    @property
    def listed(self) -> tuple[Place, ...]:
        """The places the list under the map gives: all, or the busiest on a counted map."""
        return self.places[:MAP_LISTED] if self.counted else self.places

    @property
    def extent(self) -> Extent:
        return map_extent((lon, lat) for incident in self.on_map
                          for _, lon, lat in incident.location.map_points)


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Kilometres between two (lon, lat) points, near enough for places a few km apart (a
    degree of longitude shrinks with the cosine of the latitude)."""
    shrink = math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot((a[0] - b[0]) * shrink, a[1] - b[1]) * KM_PER_DEGREE


@dataclass(frozen=True, slots=True)
class Extent:
    """The area a map shows, in degrees."""

    west: float
    east: float
    south: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    @property
    def shrink(self) -> float:
        """A degree of longitude over a degree of latitude, at the map's middle."""
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def height_km(self) -> float:
        return (self.north - self.south) * KM_PER_DEGREE


def map_extent(points: Iterable[tuple[float, float]]) -> Extent:
    """The (lon, lat) points' box with a margin, at least MAP_MIN_SPAN high, widened to the
    map's proportions (an equirectangular map: a degree of longitude is cos(latitude) of a
    degree of latitude)."""
    lons, lats = zip(*points, strict=True)
    margin = max(MAP_MARGIN, 0.08 * max(max(lats) - min(lats), max(lons) - min(lons)))
    south, north = _span(min(lats) - margin, max(lats) + margin, MAP_MIN_SPAN)
    shrink = math.cos(math.radians((south + north) / 2))
    west, east = _span(min(lons) - margin / shrink, max(lons) + margin / shrink, 0)
    if north - south < (east - west) * shrink * MAP_RATIO:
        south, north = _span(south, north, (east - west) * shrink * MAP_RATIO)
    else:
        west, east = _span(west, east, (north - south) / MAP_RATIO / shrink)
    return Extent(west, east, max(south, -85.0), min(north, 85.0))


def _span(low: float, high: float, least: float) -> tuple[float, float]:
    grow = max(least - (high - low), 0) / 2
    return low - grow, high + grow


def map_places(incidents: Iterable[Incident], actors: Mapping[str, Actor]) -> Places:
    """The places of the briefing's map (method rule `map`): incidents less than
    SAME_PLACE_KM apart are one place, or less than COUNTED_SHARE of the map's height on a map
    of more than MAP_NUMBERED incidents."""
    incidents = list(incidents)
    points = [(lon, lat) for i in incidents for _, lon, lat in i.location.map_points]
    on_map = sum(1 for i in incidents if i.location.map_points)
    radius = SAME_PLACE_KM
    if on_map > MAP_NUMBERED:
        radius = max(radius, COUNTED_SHARE * map_extent(points).height_km)
    return places(incidents, actors, radius)


def places(incidents: Iterable[Incident], actors: Mapping[str, Actor],
           radius_km: float = SAME_PLACE_KM) -> Places:
    """Group the incidents' points into places: a point joins the first place (in date order)
    whose first point lies less than `radius_km` from it."""
    incidents = list(incidents)
    groups: list[list[tuple[str, float, float, Incident]]] = []
    for incident in incidents:
        for name, lon, lat in incident.location.map_points:
            group = next((g for g in groups if km_between(g[0][1:3], (lon, lat)) < radius_km), None)
            if group is None:
                groups.append([(name, lon, lat, incident)])
            elif all(member[3] is not incident for member in group):
                group.append((name, lon, lat, incident))
    found = [_place(group, actors) for group in groups]
    found.sort(key=lambda place: -len(place.incidents))
    on_map = tuple(i for i in incidents if i.location.map_points)
    return Places(tuple(found), tuple(Unplaced(i, _reason(i)) for i in incidents
                                      if not i.location.map_points),
                  on_map, radius_km, _by_party(on_map, actors))


def _place(group: list[tuple[str, float, float, Incident]], actors: Mapping[str, Actor]) -> Place:
    """A place named as most of its incidents name it (the earliest of equals), marked where
    that name was first given."""
    names = Counter(name for name, *_ in group)
    name = max(names, key=lambda n: (names[n], -[m[0] for m in group].index(n)))
    _, lon, lat, _ = next(member for member in group if member[0] == name)
    shares = Counter(side for *_, incident in group for side in acting_sides(incident, actors))
    return Place(name, lon, lat, tuple(member[3] for member in group),
                 tuple(sorted(shares.items(), key=lambda item: -item[1])))


def _reason(incident: Incident) -> str:
    """Why the map leaves the incident out, in the rule's words."""
    return {GeoPrecision.REGION: "place given only as a region",
            GeoPrecision.COUNTRY: "place given only as a country"}.get(
        incident.location.precision, "no coordinates recorded")


def _by_party(on_map: Iterable[Incident], actors: Mapping[str, Actor]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for incident in on_map:
        for side in acting_sides(incident, actors):
            counts.setdefault(side, Counter())["attacks" if incident.is_attack else "other"] += 1
    return counts
