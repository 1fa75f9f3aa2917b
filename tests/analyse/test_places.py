"""Where the incidents happened, as method rule `map` defines it, worked out by hand on a fake
set that walks every clause of the rule (a second reader worked it out from the rule alone).

    n  acting            kind    point(s)                                  km from Fakeburg (1)
    1  red-brigade       attack  Fakeburg 33.000, 44.000 (city)            0
    2  blue-force        attack  Fakeburg gate 33.030, 44.000 (near)       3.34: joins 1
    3  red-brigade       other   Fakeburg 33.000, 44.040 (city)            3.73: joins 1
    4  blue-force        attack  Fake dam 33.040, 44.030 (near)            5.26: a place of its own
                                                                           (3.0 from 2: not its first)
    5  red + blue        attack  region, sites Fakeburg 33.001, 44.001    0.15: joins 1
                                 and Fake ridge 34.0, 45.0                 a place of its own
    6  red-brigade       attack  Fake valley, region, no coordinates       not on the map
    7  blue-force        other   Fakeland, country, 33.5, 44.5             not on the map
    8  red-brigade       attack  Fake town, city, no coordinates           not on the map

Fakeburg: 1, 2, 3, 5 (named Fakeburg three times, Fakeburg gate once); red 3 (1, 3, 5), blue 2
(2, 5). Fake dam: 4, blue 1. Fake ridge: 5, red 1 and blue 1. On the map: 1-5; red 2 attacks
(1, 5) and 1 other event (3), blue 3 attacks (2, 4, 5).
"""

from __future__ import annotations

import pytest

from reportgen.analyse.places import SAME_PLACE_KM, km_between, map_places, places
from reportgen.model.incident import Location
from tests.support.analysis_corpus import ACTORS, incident

ATTACK, STATEMENT = "Air/drone strike", "Change to group/activity"


def at(place: str, precision: str = "city", lat: float | None = None, lon: float | None = None,
       **extra) -> dict:
    return {"place": place, "country": "IQ", "precision": precision, "lat": lat, "lon": lon} | extra


def fake_set() -> list:
    joint = incident("p5", 5, ATTACK, "red-brigade", None, location=at(
        "Fakeburg and Fake ridge", "region", sites=[
            {"name": "Fakeburg", "lat": 33.001, "lon": 44.001},
            {"name": "Fake ridge", "lat": 34.0, "lon": 45.0}]))
    joint = joint.model_copy(update={"actors": [*joint.actors, joint.actors[0].model_copy(
        update={"actor": "blue-force"})]})
    return [
        incident("p1", 1, ATTACK, "red-brigade", None, location=at("Fakeburg", lat=33.0, lon=44.0)),
        incident("p2", 2, ATTACK, "blue-force", None,
                 location=at("Fakeburg gate", "near", 33.03, 44.0)),
        incident("p3", 3, STATEMENT, "red-brigade", None,
                 location=at("Fakeburg", lat=33.0, lon=44.04)),
        incident("p4", 4, ATTACK, "blue-force", None, location=at("Fake dam", "near", 33.04, 44.03)),
        joint,
        incident("p6", 6, ATTACK, "red-brigade", None, location=at("Fake valley", "region")),
        incident("p7", 7, STATEMENT, "blue-force", None,
                 location=at("Fakeland", "country", 33.5, 44.5)),
        incident("p8", 8, ATTACK, "red-brigade", None, location=at("Fake town")),
    ]


@pytest.fixture(scope="module")
def found():
    return map_places(fake_set(), ACTORS)


def test_the_distances_of_the_worked_example():
    assert km_between((44.0, 33.0), (44.0, 33.03)) == pytest.approx(3.34, abs=0.01)
    assert km_between((44.0, 33.0), (44.04, 33.0)) == pytest.approx(3.73, abs=0.01)
    assert km_between((44.0, 33.0), (44.03, 33.04)) == pytest.approx(5.26, abs=0.01)
    assert km_between((44.0, 33.03), (44.03, 33.04)) < SAME_PLACE_KM


def test_places_their_incidents_names_and_rings(found):
    assert [(p.name, p.lon, p.lat, [i.id for i in p.incidents], p.shares) for p in found.places] == [
        ("Fakeburg", 44.0, 33.0, ["p1", "p2", "p3", "p5"], (("red", 3), ("blue", 2))),
        ("Fake dam", 44.03, 33.04, ["p4"], (("blue", 1),)),
        ("Fake ridge", 45.0, 34.0, ["p5"], (("blue", 1), ("red", 1))),
    ]


def test_what_is_not_on_the_map_and_why(found):
    assert [(u.incident.id, u.reason) for u in found.unplaced] == [
        ("p6", "place given only as a region"), ("p7", "place given only as a country"),
        ("p8", "no coordinates recorded")]


def test_counts_by_party_count_each_incident_on_the_map_once(found):
    assert [i.id for i in found.on_map] == ["p1", "p2", "p3", "p4", "p5"]
    assert {party: dict(counts) for party, counts in found.by_party.items()} == {
        "red": {"attacks": 2, "other": 1}, "blue": {"attacks": 3}}
    assert not found.counted and found.listed == found.places


def test_a_name_is_given_where_it_was_first_given_and_ties_go_to_the_earliest():
    tie = fake_set()[:2]  # Fakeburg, then Fakeburg gate: one each
    (place,) = places(tie, ACTORS).places
    assert (place.name, place.lon, place.lat) == ("Fakeburg", 44.0, 33.0)
    later = [tie[1], tie[0]]  # the gate first: its name and point win the tie
    (place,) = places(later, ACTORS).places
    assert (place.name, place.lat) == ("Fakeburg gate", 33.03)


def test_a_large_map_joins_places_a_fiftieth_of_its_height_apart():
    """101 incidents: 6 km apart is one place (the map is 6 degrees high, a fiftieth 13.4 km);
    100 incidents: two places."""
    def spread(count: int) -> list:
        return [incident(f"q{n}", 1 + n % 28, ATTACK, "red-brigade", None, location=at(
            "Fake north" if n % 2 else "Fake south", lat=33.0 + 0.054 * (n % 2), lon=44.0))
            for n in range(count)]
    assert len(map_places(spread(100), ACTORS).places) == 2
    large = map_places(spread(101), ACTORS)
    assert large.counted and large.radius_km == pytest.approx(6.0 * 111.32 / 50, abs=0.2)
    assert [len(p.incidents) for p in large.places] == [101]


def test_a_site_known_only_to_its_region_is_not_marked():
    vague = incident("r1", 1, ATTACK, "red-brigade", None, location=at(
        "Fake area", "region", sites=[{"name": "Fake hills", "lat": 33.0, "lon": 44.0,
                                       "precision": "region"}]))
    assert Location.model_validate(vague.location.model_dump()).map_points == []
    assert [u.reason for u in places([vague], ACTORS).unplaced] == ["place given only as a region"]
