"""The one source of geography: the outlines `check` tests coordinates against are the lines the
map draws (rule in `reportgen/geography.py`)."""

from __future__ import annotations

import numpy as np
import pytest

from reportgen import geography
from reportgen.analyse.places import Extent
from reportgen.render.charts.map import ground

REGION = Extent(34.0, 50.0, 28.0, 38.5)
"""Iraq, Syria, Jordan and their neighbours: where the example's incidents are."""


def _vertices(code: str) -> set[tuple[int, int]]:
    return {tuple(v) for ring in geography.outline(code)
            for v in np.rint(ring * ground.PRECISION).astype(np.int64).tolist()}


@pytest.mark.parametrize(("place", "lat", "lon", "code"), [
    ("Baghdad", 33.31, 44.37, "IQ"), ("Deir ez-Zor", 35.33, 40.14, "SY"),
    ("Amman", 31.95, 35.93, "JO"), ("Erbil", 36.19, 44.01, "IQ"), ("Tehran", 35.69, 51.39, "IR")])
def test_a_city_is_in_its_own_country_and_not_in_a_neighbour(place, lat, lon, code):
    assert geography.near(geography.outline(code), lat, lon), place
    for other in {"IQ", "SY", "JO", "IR"} - {code}:
        assert not geography.near(geography.outline(other), lat, lon), (place, other)


def test_an_enclave_is_not_in_the_country_around_it():
    """Lesotho is a hole in South Africa's outline: the even-odd rule takes its middle out."""
    maseru_hinterland = (-29.5, 28.25)
    assert not geography.near(geography.outline("ZA"), *maseru_hinterland)
    assert geography.near(geography.outline("LS"), *maseru_hinterland)


def test_the_margin_is_measured_from_the_outline():
    """Abu Kamal lies on Syria's side, a few kilometres from Iraq: within the margin of Iraq,
    not within a tenth of it."""
    iraq = geography.outline("IQ")
    assert geography.near(iraq, 34.45, 40.92)
    assert not geography.near(iraq, 34.45, 40.92, margin=0.0)


def test_a_code_with_no_outline_has_none():
    assert geography.outline("BV") == ()  # Bouvet Island: no shape of its own in the file
    assert not geography.near((), 0.0, 0.0)


def test_every_drawn_border_runs_along_two_countries_outlines():
    """Each vertex of a border the map draws is a vertex of two outlines the check uses, and
    the whole border between Iraq and Syria is drawn: drawing and checking share one line."""
    owners = [{tuple(v) for ring in rings
               for v in np.rint(ring * ground.PRECISION).astype(np.int64).tolist()}
              for rings in ground._shapes(REGION)]  # every shape on the map, coded or not
    lines = ground.borders(REGION)
    for line in lines:
        for vertex in np.rint(line[1:-1] * ground.PRECISION).astype(np.int64).tolist():
            assert sum(tuple(vertex) in found for found in owners) >= 2
    iraq_syria = _vertices("IQ") & _vertices("SY")
    drawn = {tuple(v) for line in lines
             for v in np.rint(line * ground.PRECISION).astype(np.int64).tolist()}
    assert iraq_syria and iraq_syria <= drawn


def test_a_coast_is_drawn_where_only_one_country_has_the_line():
    """The Gulf's shore at Kuwait is a coast, not a border."""
    coasts = ground.coasts(REGION)
    kuwait = _vertices("KW")
    assert any(tuple(v) in kuwait for line in coasts
               for v in np.rint(line * ground.PRECISION).astype(np.int64).tolist())
    borders = {tuple(v) for line in ground.borders(REGION)
               for v in np.rint(line[1:-1] * ground.PRECISION).astype(np.int64).tolist()}
    coast_inner = {tuple(v) for line in coasts
                   for v in np.rint(line[1:-1] * ground.PRECISION).astype(np.int64).tolist()}
    assert len(coast_inner - borders) > 100


def test_the_land_is_cut_to_the_map():
    for polygon in ground.land(REGION):
        assert polygon[:, 0].min() >= REGION.west - 1e-9
        assert polygon[:, 0].max() <= REGION.east + 1e-9
        assert polygon[:, 1].min() >= REGION.south - 1e-9
        assert polygon[:, 1].max() <= REGION.north + 1e-9


def test_a_country_name_is_never_placed_in_an_enclave():
    """On a map centred on Lesotho, South Africa's name goes on South Africa: the name's
    search counts a point inside the outline by the same even-odd rule `check` uses."""
    from reportgen.render.charts.map.country_names import name_point

    extent = Extent(26.8, 29.8, -30.9, -28.4)  # Lesotho in the middle: OR-ed rings put ZA there
    lon, lat = name_point("ZA", extent)
    assert geography.near(geography.outline("ZA"), lat, lon, margin=0.0)
    assert not geography.near(geography.outline("LS"), lat, lon, margin=0.0)


def test_inside_takes_many_points_at_once_as_one_at_a_time():
    rings = geography.outline("ZA")
    points = np.array([(lon, lat) for lon in np.linspace(16, 33, 40) for lat in np.linspace(-35, -22, 30)])
    together = geography.inside(rings, points)
    assert together.tolist() == [bool(geography.inside(rings, point[None])[0]) for point in points]
    assert 0 < together.sum() < len(points)
