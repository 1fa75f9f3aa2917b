"""SVG charts: valid, deterministic, readable without colour, and described by their alt text."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib import colors, font_manager

from reportgen.analyse import analyse
from reportgen.model.config import Side
from reportgen.render.charts import (
    STYLE,
    activity_sparkline,
    briefing_charts,
    side_styles,
    swimlane_chart,
    tempo_chart,
)
from reportgen.write.outputs import replace_charts
from tests.support import REPO
from tests.support.analysis_corpus import ACTORS, LADDER, PERIOD, PHASES, SIDES, corpus

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def analysis():
    return analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, phases=PHASES, sides=SIDES)


def parse(svg: bytes) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def test_tempo_chart_is_svg_with_hatching_and_no_timestamp(analysis):
    chart = tempo_chart(analysis)
    root = parse(chart.svg)
    assert root.findall(f".//{SVG}pattern"), "sides are told apart by hatching, not colour only"
    assert b"dc:date" not in chart.svg
    assert not root.findall(f".//{SVG}text"), "text is drawn as glyph paths"


def test_tempo_alt_text_gives_the_numbers(analysis):
    alt = tempo_chart(analysis).alt
    assert ("1 Jan 2001 to 4 Feb 2001 (5 weeks): 9 incidents (Fake blue side 3, Fake red side 5, "
            "actors without a side 1).") in alt
    assert "Busiest week: week of 22 Jan 2001 with 3 incidents." in alt
    assert "rung 5 (State on state), in the week of 29 Jan 2001" in alt
    assert ("Numbered turning points: 1, 4 Jan 2001, Fake incident i2 (first at rung 2); "
            "2, 10 Jan 2001, Fake incident i3 (first at rung 3; first deaths: Fake red side); ") in alt
    assert "7, 30 Jan 2001, Fake incident i9 (announced resumption)." in alt


def test_swimlane_has_a_lane_per_acting_actor_and_arrows(analysis):
    chart = swimlane_chart(analysis)
    parse(chart.svg)
    assert chart.alt.startswith(
        "Chronology by actor: one lane per acting actor (4 lanes: Fake Blue Force 3, "
        "Fake Red Brigade 3, Fake Red Front 2, Fake Lone Cell 1).")
    assert "rung 0 2 incidents, rung 1 1 incident, rung 2 2 incidents" in chart.alt
    assert "4 arrows join an incident to the response to it; median time to respond 7 days." \
        in chart.alt


def test_sparkline_alt_text(analysis):
    chart = activity_sparkline(analysis, "red-brigade")
    parse(chart.svg)
    assert chart.name == "activity-red-brigade"
    assert chart.alt == ("Fake Red Brigade, incidents per week from 1 Jan 2001 to 4 Feb 2001: "
                         "3 as the acting party (filled area), 2 as a target (dashed line). "
                         "Busiest: the week of 1 Jan 2001 with 1.")


def test_sides_differ_in_greyscale():
    styles = side_styles(["a", "b", "c", "d", "e", "f", "no side"], {}).values()

    def grey(colour: str) -> float:
        red, green, blue = colors.to_rgb(colour)
        return 0.299 * red + 0.587 * green + 0.114 * blue

    for (colour1, hatch1), (colour2, hatch2) in itertools.combinations(styles, 2):
        assert hatch1 != hatch2 or abs(grey(colour1) - grey(colour2)) > 0.2


def test_text_uses_the_font_matplotlib_ships():
    found = font_manager.findfont(font_manager.FontProperties(family=STYLE["font.family"]))
    assert Path(found).is_relative_to(Path(font_manager.__file__).parent / "mpl-data")


def test_hostile_names_stay_text(analysis):
    hostile = {**ACTORS, "red-brigade": ACTORS["red-brigade"].model_copy(
        update={"name": "$\\frac{1}{0}$ <script>alert(1)</script> & ]]>"})}
    result = analyse(corpus().values(), hostile, LADDER, period=PERIOD)
    chart = activity_sparkline(result, "red-brigade")
    root = parse(chart.svg)
    assert not root.findall(f".//{SVG}script")
    assert "<script>alert(1)</script>" in chart.alt  # the alt text is escaped by the template
    parse(swimlane_chart(result).svg)


def test_building_twice_gives_identical_files(analysis, tmp_path):
    first = replace_charts(briefing_charts(analysis), tmp_path / "one")
    second = replace_charts(briefing_charts(analysis), tmp_path / "two")
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert {p.stat().st_mode & 0o777 for p in first} == {0o644}


CHART_SCRIPT = """
import hashlib, sys
from reportgen.analyse import analyse
from reportgen.render.charts import briefing_charts
from tests.support.analysis_corpus import ACTORS, LADDER, PERIOD, PHASES, corpus
result = analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, phases=PHASES)
for chart in briefing_charts(result):
    print(chart.name, hashlib.sha256(chart.svg).hexdigest())
"""


@pytest.mark.slow
def test_identical_across_processes(tmp_path):
    """Fresh interpreters with different hash seeds (and font caches) draw the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLCONFIGDIR": str(tmp_path / seed)}
        run = subprocess.run([sys.executable, "-c", CHART_SCRIPT], cwd=REPO, env=env,
                             capture_output=True, text=True, check=True)
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0].splitlines()) == 2 + len(ACTORS)


def test_daily_tempo_chart():
    daily = analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, granularity="day")
    chart = tempo_chart(daily)
    parse(chart.svg)
    assert chart.title.startswith("Incidents per day by side")
    assert "1 Jan 2001 to 4 Feb 2001 (35 days): 9 incidents" in chart.alt
    assert "Busiest day: day of 2 Jan 2001 with 1 incident." in chart.alt


def test_a_side_is_drawn_in_the_colour_the_config_gives_it():
    styles = side_styles(["a", "b"], {"b": Side(label="Fake side b", colour="#123456")})
    assert styles["b"][0] == "#123456" and styles["a"][0] != "#123456"
    assert styles["a"][1] != styles["b"][1]  # still told apart by hatching
