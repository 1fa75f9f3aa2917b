"""The map of a period's incidents (method rule `map`): drawn from the installed boundary
package, deterministic, a marker per place that covers no other, names that cover nothing,
described by its alt text."""

from __future__ import annotations

import hashlib
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pytest

from reportgen import geography
from reportgen.analyse import analyse
from reportgen.analyse.places import MAP_MIN_SPAN, MAP_NUMBERED, Extent, map_extent
from reportgen.model.incident import Location
from reportgen.render.charts import briefing_charts, forget_written
from reportgen.render.charts.map import ground, map_chart
from tests.support import REPO
from tests.support.analysis_corpus import ACTORS, LADDER, PERIOD, SIDES, corpus

SVG = "{http://www.w3.org/2000/svg}"
BAGHDAD = {"place": "Fakeville", "country": "IQ", "lat": 33.31, "lon": 44.37}
PLACES = {
    "i1": BAGHDAD,
    "i2": BAGHDAD | {"precision": "near"},
    "i3": {"place": "Fake border post", "country": "SY", "lat": 34.45, "lon": 40.92},
    "i4": {"place": "Fake hill", "country": "IQ", "lat": 36.19, "lon": 44.01},
    "i6": BAGHDAD | {"lat": 33.32},
    # a country's centroid is not where it happened: not on the map
    "i8": {"place": "Fakeland", "country": "IQ", "lat": 33.0, "lon": 43.5, "precision": "country"},
}


def placed_corpus():
    return [incident.model_copy(update={"location": Location(**PLACES[incident.id])})
            if incident.id in PLACES else incident for incident in corpus().values()]


@pytest.fixture(scope="module")
def analysis():
    return analyse(placed_corpus(), ACTORS, LADDER, period=PERIOD, sides=SIDES)


@pytest.fixture(scope="module")
def chart(analysis):
    return map_chart(analysis)


def ids(svg: bytes, prefix: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter() if e.get("id", "").startswith(prefix)]


def test_the_map_is_in_the_briefing_charts_and_the_same_bytes_each_time(analysis, chart):
    assert [c.name for c in briefing_charts(analysis) if c.name.startswith("map")] == [
        "map", "map-phone"]
    forget_written()  # drawn again, not the copy this process kept
    assert map_chart(analysis).svg == chart.svg
    assert b"dc:date" not in chart.svg


def test_a_marker_per_place(analysis, chart):
    """i1, i2 and i6 are within 5 km of each other in Baghdad: one place; i8 is known only to
    its country."""
    assert [[i.id for i in p.incidents] for p in analysis.places().places] == [
        ["i1", "i2", "i6"], ["i3"], ["i4"]]
    assert sorted(e.get("id") for e in ids(chart.svg, "place-")) == ["place-1", "place-2", "place-3"]


def test_borders_are_drawn(chart):
    lines = ids(chart.svg, "border-")
    assert len(lines) >= 3, "Iraq's borders with its neighbours"
    assert all(line.findall(f".//{SVG}path") for line in lines)


def test_alt_text_counts_names_and_says_what_is_not_mapped(chart):
    assert chart.alt.startswith("Map of 5 of the briefing's 9 incidents at 3 places: 4 in Iraq, "
                                "1 in Syria.")
    assert "the parties that carried them out: Fake blue side 2 attacks; Fake red side 3 " \
        "attacks." in chart.alt  # in the tempo's order of parties
    assert "Places: Fakeville, incidents 1, 2 and 6; Fake border post, incident 3; Fake hill, " \
        "incident 4." in chart.alt
    assert chart.alt.endswith("Not on the map: 4 incidents, listed under it.")


def test_no_id_reaches_the_svg(chart):
    root = ET.fromstring(chart.svg)
    assert not root.findall(f".//{SVG}text"), "text is drawn as glyph paths"
    words = " ".join(root.itertext())
    for key in [*ACTORS, *(f"i{n}" for n in range(1, 10))]:
        assert not re.search(rf"\b{re.escape(key)}\b", words), key


def test_the_map_has_a_minimum_extent():
    lone = map_extent([(44.37, 33.31)])
    assert lone.north - lone.south >= MAP_MIN_SPAN
    assert lone.contains(44.37, 33.31)


def test_no_map_without_a_place_to_mark():
    plain = analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, sides=SIDES)
    assert "map" not in [c.name for c in briefing_charts(plain)]


def test_boundaries_are_read_from_the_installed_package_and_nothing_else(analysis):
    """Drawing reads the outlines' file and matplotlib's own (its fonts), nothing else, and
    opens no socket."""
    opened, sockets, watching = [], [], [True]

    def audit(event: str, args: tuple) -> None:
        if not watching[0]:
            return
        if event == "open" and isinstance(args[0], (str, Path)):
            opened.append(Path(args[0]).resolve())
        elif event.startswith("socket."):
            sockets.append(event)

    for cached in (geography._files, geography._codes, geography._offsets, geography._shape):
        cached.cache_clear()  # read again, under the hook
    sys.addaudithook(audit)  # an audit hook cannot be removed: it stops watching instead
    try:
        map_chart(analysis)
    finally:
        watching[0] = False
    package = geography.data_file().resolve()
    allowed = (package, Path(matplotlib.__file__).parent.resolve(),
               Path(matplotlib.get_cachedir()).resolve())
    code = {".py", ".pyc"}  # a module imported on first use is code, not data
    data = [p for p in opened if p.suffix not in code and str(p) not in sys.path]
    assert sockets == []
    assert package in data
    assert [p for p in data if not any(p.is_relative_to(place) for place in allowed)] == []


MAP_SCRIPT = """
import hashlib
import math
from reportgen.analyse import analyse
from reportgen.render.charts.map import map_chart
from tests.render.test_map import placed_corpus
from tests.support.analysis_corpus import ACTORS, LADDER, PERIOD, SIDES
print(hashlib.sha256(map_chart(analyse(placed_corpus(), ACTORS, LADDER, period=PERIOD,
                                       sides=SIDES)).svg).hexdigest())
"""


@pytest.mark.slow
def test_identical_across_processes(chart, tmp_path):
    """Fresh interpreters with other hash seeds and font caches draw this process's bytes."""
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLCONFIGDIR": str(tmp_path / seed)}
        run = subprocess.run([sys.executable, "-c", MAP_SCRIPT], cwd=REPO, env=env,
                             capture_output=True, text=True, check=True)
        assert run.stdout.strip() == hashlib.sha256(chart.svg).hexdigest()


def test_border_lines_are_cut_to_the_map_reaching_one_vertex_beyond_its_edge():
    extent = Extent(38.0, 50.0, 29.0, 38.0)  # Iraq and its neighbours
    lines = ground.borders(extent)
    assert len(lines) >= 3
    for line in lines:
        assert len(line) >= 2
        assert all(extent.contains(lon, lat) for lon, lat in line[1:-1])
    ends = [point for line in lines for point in (line[0], line[-1])]
    assert any(not extent.contains(lon, lat) for lon, lat in ends), "lines reach the map's edge"


# --- a map of more incidents than it can number ------------------------------------------------

FAKE_TOWNS = [("Fake town A", "IQ", 32.0, 45.0), ("Fake town B", "SY", 34.4, 40.9),
              ("Fake town C", "IQ", 36.2, 44.0)]


def many_mapped(count: int) -> list:
    """`count` incidents copied from the corpus, each at one of three fake towns in turn."""
    base = list(corpus().values())
    return [base[n % len(base)].model_copy(update={
        "id": f"many-{n}", "location": Location(place=FAKE_TOWNS[n % 3][0], country=FAKE_TOWNS[n % 3][1],
                                               lat=FAKE_TOWNS[n % 3][2], lon=FAKE_TOWNS[n % 3][3])})
        for n in range(count)]


def test_above_map_numbered_the_map_counts_by_place_and_its_size_stays_put():
    small, large = (analyse(many_mapped(n), ACTORS, LADDER, period=PERIOD, sides=SIDES)
                    for n in (MAP_NUMBERED + 1, 6 * MAP_NUMBERED))
    assert small.places().counted and large.places().counted
    assert not analyse(many_mapped(MAP_NUMBERED), ACTORS, LADDER, period=PERIOD,
                       sides=SIDES).places().counted
    charts = [map_chart(a) for a in (small, large)]
    for chart, analysis in zip(charts, (small, large), strict=True):
        assert len(ids(chart.svg, "place-")) == 3
        total = len(analysis.incidents)
        assert f"Map of {total} of the briefing's {total} incidents at 3 places" in chart.alt
        by_country = {c: sum(1 for i in analysis.incidents if i.location.country == c) for c in ("IQ", "SY")}
        assert f"{by_country['IQ']} in Iraq, {by_country['SY']} in Syria." in chart.alt
        busiest = re.search(r"Busiest places: (.*?)\.", chart.alt).group(1).split("; ")
        expected = sorted(((t, sum(1 for i in analysis.incidents if i.location.place == t))
                           for t, *_ in FAKE_TOWNS), key=lambda pair: -pair[1])
        assert busiest == [f"{town} ({n})" for town, n in expected]
    assert len(charts[1].svg) < 1.2 * len(charts[0].svg)  # grows with places, not incidents


# --- what is drawn: markers apart, names on nothing, all in the frame ---------------------------

CROWDED = [("Fake east town", "IQ", 33.3, 44.4)] * 6 + [
    ("Fake west town", "IQ", 33.31, 44.33), ("Fake south town", "IQ", 33.25, 44.4),
    ("Fake place near Jerusalem", "IL", 31.76, 35.21), ("Fake place near Ramallah", "PS", 31.9, 35.2),
    ("Fake place near Amman", "JO", 31.95, 35.93), ("Fake far east town", "IR", 33.4, 47.9)]


def laid_out_map(towns: list[tuple], phone: bool = False):
    """The map of one incident at each of `towns`, drawn and laid out, with its renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from reportgen.render.charts import STYLE
    from reportgen.render.charts.map import PAGE_WIDTH, PHONE_WIDTH
    from reportgen.render.charts.map.draw import draw_map

    base = list(corpus().values())
    incidents = [base[n % len(base)].model_copy(update={
        "id": f"x{n}", "location": Location(place=place, country=country, lat=lat, lon=lon)})
        for n, (place, country, lat, lon) in enumerate(towns)]
    with matplotlib.rc_context(STYLE):
        analysis = analyse(incidents, ACTORS, LADDER, period=PERIOD, sides=SIDES)
        figure = draw_map(analysis, "t", PHONE_WIDTH if phone else PAGE_WIDTH, phone)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        return figure, canvas.get_renderer(), analysis


def marker_discs(figure) -> list[tuple[str, float, float, float]]:
    """(gid, x, y, radius) in pixels of each place's marker (its outer circle)."""
    axes = figure.axes[0]
    found = []
    for patch in axes.patches:
        if (patch.get_gid() or "").startswith("place-"):
            (x, y) = patch.get_transform().transform(patch.center)
            radius = patch.get_radius() * figure.dpi
            found.append((patch.get_gid(), x, y, radius))
    return found


@pytest.mark.parametrize("phone", [False, True], ids=["page", "phone"])
def test_markers_cover_no_other_and_stand_in_the_frame(phone):
    figure, renderer, analysis = laid_out_map(CROWDED, phone)
    frame = figure.axes[0].get_window_extent(renderer)
    discs = marker_discs(figure)
    assert len(discs) == len(analysis.places().places) == 7
    for n, (gid, x, y, radius) in enumerate(discs):
        assert frame.x0 <= x - radius and x + radius <= frame.x1, gid
        assert frame.y0 <= y - radius and y + radius <= frame.y1, gid
        for other, ox, oy, oradius in discs[n + 1:]:
            assert math.hypot(x - ox, y - oy) >= radius + oradius, (gid, other)


@pytest.mark.parametrize("phone", [False, True], ids=["page", "phone"])
def test_names_cover_no_marker_and_no_other_name(phone):
    figure, renderer, analysis = laid_out_map(CROWDED, phone)
    axes = figure.axes[0]
    names = [t for t in axes.texts if t.get_text() and not t.get_text().isdigit()
             and t.get_text() not in {"N"} and not t.get_text().endswith(" km")]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in names]
    for n, (text, box) in enumerate(boxes):
        for other, other_box in boxes[n + 1:]:
            assert not box.overlaps(other_box), (text, other)
        for gid, x, y, radius in marker_discs(figure):
            assert not (box.x0 < x + radius and x - radius < box.x1
                        and box.y0 < y + radius and y - radius < box.y1), (text, gid)
    shown = {t.get_text().replace("\n", " ") for t in names}
    if not phone:  # on the page every place is named; on a phone, those that fit
        assert all(any(text.startswith(p.name) for text in shown) for p in analysis.places().places)
    assert "Fake east town, Baghdad (capital)" in shown or phone, "a place at a capital says so"
    assert {"Damascus", "Beirut"} <= shown, "capitals are named"
    assert not {"Jerusalem", "Amman"} & shown, "a capital at a place is named by its marker's name"
    assert "IRAQ" in shown or phone, "countries are named where they have room"


def test_a_marker_set_apart_is_joined_to_its_place():
    figure, renderer, analysis = laid_out_map(CROWDED)
    axes = figure.axes[0]
    leaders = [a for a in axes.texts if a.get_text() == "" and a.arrow_patch is not None]
    apart = [p for p in analysis.places().places
             if abs(p.lat - 33.3) < 0.1 and abs(p.lon - 44.4) < 0.1]
    assert len(apart) == 3, "east, west and south towns are 4-6 km apart: three places"
    assert len(leaders) >= 2, "two of the three are set beside the first"
    for leader in leaders:
        assert leader.xy in {(p.lon, p.lat) for p in analysis.places().places}
