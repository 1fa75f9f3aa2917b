"""The map of a period's incidents: drawn from the installed boundary package, deterministic,
one numbered marker per placed incident, described by its alt text."""

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

from reportgen.analyse import analyse
from reportgen.model.incident import Location
from reportgen.render import boundaries
from reportgen.render.charts import (
    MAP_MIN_SPAN,
    MAP_NUMBERED,
    briefing_charts,
    forget_written,
    map_chart,
    map_counts,
    map_extent,
    sites,
)
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
    assert "map" in [c.name for c in briefing_charts(analysis)]
    forget_written()  # drawn again, not the copy this process kept
    assert map_chart(analysis).svg == chart.svg
    assert b"dc:date" not in chart.svg


def test_a_marker_per_incident_with_a_place_numbered_as_in_the_chronology(analysis, chart):
    assert list(analysis.map_keys.items()) == [(f"i{n}", n) for n in range(1, 10)]
    markers = sorted(e.get("id") for e in ids(chart.svg, "marker-"))
    assert markers == ["marker-1", "marker-2", "marker-3", "marker-4", "marker-6"]


def test_borders_are_drawn(chart):
    lines = ids(chart.svg, "border-")
    assert len(lines) >= 3, "Iraq's borders with its neighbours"
    assert all(line.findall(f".//{SVG}path") for line in lines)


def test_alt_text_counts_names_and_says_what_is_not_mapped(chart):
    assert chart.alt.startswith("Map of 5 of the period's 9 incidents, numbered as in the "
                                "chronology: 4 in Iraq, 1 in Syria.")
    assert "acting party (Fake blue side 2, Fake red side 3)" in chart.alt
    assert "Highest rung on the map: rung 4 (Leaders or capital), number 6 at Baghdad." in chart.alt
    assert "Numbers 1, 2 and 6 happened at one place, Baghdad." in chart.alt
    assert "Capitals marked: Baghdad" in chart.alt
    assert chart.alt.endswith("Not on the map: 4 incidents whose place has no coordinates or is "
                              "known only to the country.")


def test_no_id_reaches_the_svg(chart):
    root = ET.fromstring(chart.svg)
    assert not root.findall(f".//{SVG}text"), "text is drawn as glyph paths"
    words = " ".join(root.itertext())
    for key in [*ACTORS, *(f"i{n}" for n in range(1, 10))]:
        assert not re.search(rf"\b{re.escape(key)}\b", words), key


def test_nearby_incidents_share_a_site_and_the_map_has_a_minimum_extent(analysis):
    placed = [i for i in analysis.incidents if i.location.map_point]
    extent = map_extent(i.location.map_point for i in placed)
    assert [[i.id for i in site.incidents] for site in sites(placed, extent)] == [
        ["i1", "i2", "i6"], ["i3"], ["i4"]]
    lone = map_extent([(44.37, 33.31)])
    assert lone.north - lone.south >= MAP_MIN_SPAN
    assert lone.contains(44.37, 33.31)


def test_no_map_without_a_place_to_mark():
    plain = analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, sides=SIDES)
    assert "map" not in [c.name for c in briefing_charts(plain)]


def test_boundaries_are_read_from_the_installed_package_and_nothing_else(analysis):
    """Drawing reads the boundary package's files and matplotlib's own (its fonts), nothing
    else, and opens no socket."""
    opened, sockets, watching = [], [], [True]

    def audit(event: str, args: tuple) -> None:
        if not watching[0]:
            return
        if event == "open" and isinstance(args[0], (str, Path)):
            opened.append(Path(args[0]).resolve())
        elif event.startswith("socket."):
            sockets.append(event)

    boundaries.shapes.cache_clear()
    sys.addaudithook(audit)  # an audit hook cannot be removed: it stops watching instead
    try:
        map_chart(analysis)
    finally:
        watching[0] = False
    package = boundaries.data_dir().resolve()
    allowed = (package, Path(matplotlib.__file__).parent.resolve(),
               Path(matplotlib.get_cachedir()).resolve())
    code = {".py", ".pyc"}  # a module imported on first use is code, not data
    data = [p for p in opened if p.suffix not in code and str(p) not in sys.path]
    assert sockets == []
    assert any(path.is_relative_to(package) for path in data)
    assert [p for p in data if not any(p.is_relative_to(place) for place in allowed)] == []


MAP_SCRIPT = """
import hashlib
import math
from reportgen.analyse import analyse
from reportgen.render.charts import map_chart
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


def test_a_wide_map_marks_only_the_capitals_of_the_incidents_countries():
    far = placed_corpus()
    far[0] = far[0].model_copy(update={"location": Location(
        place="Fake Capitol", country="US", lat=38.9, lon=-77.04)})
    wide = map_chart(analyse(far, ACTORS, LADDER, period=PERIOD, sides=SIDES))
    assert "Capitals marked: Baghdad, Damascus, Washington." in wide.alt
    assert "5 of the period's 9 incidents, numbered as in the chronology: 3 in Iraq, 1 in Syria, " \
        "1 in United States." in wide.alt


def test_border_lines_are_cut_to_the_map_reaching_one_vertex_beyond_its_edge():
    extent = boundaries.Extent(38.0, 50.0, 29.0, 38.0)  # Iraq and its neighbours
    lines = boundaries.borders(extent)
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
    assert map_counts(small) and map_counts(large)
    assert not map_counts(analyse(many_mapped(MAP_NUMBERED), ACTORS, LADDER, period=PERIOD, sides=SIDES))
    charts = [map_chart(a) for a in (small, large)]
    for chart, analysis in zip(charts, (small, large), strict=True):
        assert chart.title == "Map of the period's incidents: how many at each place"
        assert "size: how many happened at the place" in chart.key
        assert not ids(chart.svg, "marker-")  # no marker per incident, so no number either
        total = len(analysis.incidents)
        assert f"Map of {total} of the period's {total} incidents, counted by place" in chart.alt
        by_country = {c: sum(1 for i in analysis.incidents if i.location.country == c) for c in ("IQ", "SY")}
        assert f"{by_country['IQ']} in Iraq, {by_country['SY']} in Syria." in chart.alt
        busiest = re.search(r"Busiest places: (.*?)\.", chart.alt).group(1).split("; ")
        expected = sorted(((t, sum(1 for i in analysis.incidents if i.location.place == t))
                           for t, *_ in FAKE_TOWNS), key=lambda pair: -pair[1])
        assert busiest == [f"{town} ({n})" for town, n in expected]
    assert len(charts[1].svg) < 1.2 * len(charts[0].svg)  # grows with places, not incidents


# --- what is drawn stays in the frame, and names apart ------------------------------------------

CROWDED = [("Fake east town", "IQ", 33.3, 44.4)] * 6 + [
    ("Fake place near Jerusalem", "IL", 31.76, 35.21), ("Fake place near Ramallah", "PS", 31.9, 35.2),
    ("Fake place near Amman", "JO", 31.95, 35.93)]


def laid_out_map(towns: list[tuple]):
    """The map of one incident at each of `towns`, drawn and laid out, with its renderer."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from reportgen.render.charts import STYLE, _draw_map

    base = list(corpus().values())
    incidents = [base[n % len(base)].model_copy(update={
        "id": f"x{n}", "location": Location(place=place, country=country, lat=lat, lon=lon)})
        for n, (place, country, lat, lon) in enumerate(towns)]
    with matplotlib.rc_context(STYLE):
        figure, _, _ = _draw_map(analyse(incidents, ACTORS, LADDER, period=PERIOD, sides=SIDES), "t")
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        return figure, canvas.get_renderer()


def test_a_row_of_markers_near_the_east_edge_stays_in_the_frame_and_capital_names_apart():
    figure, renderer = laid_out_map(CROWDED)
    axes = figure.axes[0]
    frame = axes.get_window_extent(renderer)
    markers = [each for each in axes.collections if (each.get_gid() or "").startswith("marker-")]
    assert len(markers) == len(CROWDED)
    for marker in markers:
        (x, y), = marker.get_offset_transform().transform(marker.get_offsets())
        radius = math.sqrt(marker.get_sizes()[0]) / 2 * figure.dpi / 72
        assert frame.x0 <= x - radius and x + radius <= frame.x1, marker.get_gid()
    names = [text for text in axes.texts if text.get_text() in {"Jerusalem", "Ramallah", "Amman", "Baghdad"}]
    assert len(names) == 4
    boxes = [name.get_window_extent(renderer) for name in names]
    for n, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[n + 1:]), names[n].get_text()
