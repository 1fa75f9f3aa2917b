"""SVG charts: valid, deterministic, readable without colour, and described by their alt text."""

from __future__ import annotations

import itertools
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pytest
from matplotlib import colors, font_manager
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.ticker import FuncFormatter

from reportgen.analyse import analyse
from reportgen.model.casualties import figure_text
from reportgen.model.config import Side
from reportgen.model.names import NOT_RECORDED
from reportgen.pipeline import make_briefing, open_project
from reportgen.processes import worker_pool
from reportgen.render.charts import (
    STYLE,
    briefing_charts,
    common,
    forget_written,
    side_styles,
    sparkline,
    tempo,
)
from reportgen.render.charts.sparkline import activity_scale, activity_sparkline
from reportgen.render.charts.swimlane import lane_label, lanes, swimlane_chart
from reportgen.render.charts.tempo import tempo_chart
from reportgen.render.filters import capitalize_first
from reportgen.write.outputs import replace_charts
from tests.support import REPO
from tests.support.analysis_corpus import ACTORS, LADDER, PERIOD, PHASES, SIDES, corpus
from tests.support.briefings import FIXTURE, TODAY

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def analysis():
    return analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, phases=PHASES, sides=SIDES)


def parse(svg: bytes) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def drawn(draw, *args):
    """The figure a chart's drawing function makes (under the charts' style)."""
    with matplotlib.rc_context(STYLE):
        figure, _, _ = draw(*args)
    return figure


def text_lines(svg: bytes) -> list[str]:
    """The lines of text a chart shows: matplotlib writes each line drawn as glyph paths
    after a comment holding its text."""
    return [line.strip() for line in re.findall(r"<!-- (.*?) -->", svg.decode(), re.S)]


def project_analyses(root):
    project = open_project(root, today=TODAY)
    return [make_briefing(project, report).analysis for report in project.config.reports]


def test_tempo_chart_is_svg_with_hatching_and_no_timestamp(analysis):
    chart = tempo_chart(analysis)
    root = parse(chart.svg)
    assert root.findall(f".//{SVG}pattern"), "sides are told apart by hatching, not colour only"
    assert b"dc:date" not in chart.svg
    assert not root.findall(f".//{SVG}text"), "text is drawn as glyph paths"


def test_tempo_alt_text_gives_the_numbers(analysis):
    alt = tempo_chart(analysis).alt
    assert alt.startswith(
        "Charts sharing one time axis, 1 Jan 2001 to 4 Feb 2001 (5 weeks). Top: bars of "
        "attacks per week by the party that carried them out: 7 attacks (Fake blue side 3, "
        "Fake red side 3, Fake Lone Cell 1); crosses mark 2 other events (statements, "
        "agreements), no party's attacks.")
    assert "Busiest week: week of 1 Jan 2001 with 2 attacks." in alt
    assert ("Bottom: the highest escalation rung each week, left blank in the 1 week without a "
            "rated incident; it first reaches its peak, rung 5 (State on state), in the week of "
            "29 Jan 2001.") in alt
    assert "running count" not in alt  # no tallies in this analysis, no panel for them
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
    assert "4 arrows join an incident to the response to it; median time to respond 6 days." \
        in chart.alt


def test_sparkline_alt_text(analysis):
    chart = activity_sparkline(analysis, "red-brigade")
    parse(chart.svg)
    assert chart.name == "activity-red-brigade"
    assert chart.alt == ("Fake Red Brigade, incidents per week from 1 Jan 2001 to 4 Feb 2001: "
                         "3 as the acting party (filled area), 2 as a target (dashed line), on "
                         "a scale of 0 to 2 per week shared by every actor. "
                         "Busiest: the week of 1 Jan 2001 with 1.")


def test_sparklines_are_dated_and_share_one_scale(analysis):
    scale = activity_scale(analysis)
    assert scale == max(len(ids) for a in analysis.activity.values()
                        for ids in (*a.acting, *a.targeted))
    for actor, activity in analysis.activity.items():
        axes = drawn(sparkline._draw_sparkline, analysis, activity, "").axes[0]
        assert [t.get_text() for t in axes.get_xticklabels()] == ["1 Jan 2001", "4 Feb 2001"]
        assert list(axes.get_yticks()) == [0, scale], actor
        assert axes.get_ylim()[1] > scale



def test_sparklines_drawn_on_one_figure_are_each_the_chart_drawn_alone(analysis):
    """The actors' sparklines share a figure per frame, laid out once: each is byte for byte
    the chart its actor's own figure makes, also when the process kept the first of them (kept,
    it is not written, so not laid out: the next cannot use its frame)."""
    actors = sorted(analysis.activity)
    forget_written()
    alone = [activity_sparkline(analysis, actor) for actor in actors]
    forget_written()
    assert sparkline.draw(analysis) == alone
    forget_written()
    activity_sparkline(analysis, actors[0])
    assert sparkline.draw(analysis) == alone

def test_sides_differ_in_greyscale():
    styles = side_styles(["a", "b", "c", "d", "e", "f", NOT_RECORDED], {}).values()

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
    forget_written()  # drawn again, not the copy this process kept
    second = replace_charts(briefing_charts(analysis), tmp_path / "two")
    assert [p.name for p in first] == [p.name for p in second]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert {p.stat().st_mode & 0o777 for p in first} == {0o644}


@pytest.mark.slow  # starts worker processes: CI runs it
def test_charts_drawn_in_worker_processes_are_the_same_bytes_in_order(analysis):
    forget_written()
    here = briefing_charts(analysis)
    with worker_pool(2) as pool:
        assert briefing_charts(analysis, pool=pool) == here


def test_a_chart_drawn_again_is_the_one_drawn_afresh(analysis):
    kept = [chart.svg for chart in briefing_charts(analysis)]
    again = [chart.svg for chart in briefing_charts(analysis)]
    forget_written()
    assert again == kept == [chart.svg for chart in briefing_charts(analysis)]


def line_figure(colour: str = "black", width: float = 1.0) -> Figure:
    figure = Figure(figsize=(2, 1), layout="constrained")
    figure.add_subplot().plot([0, 1], [0, 1], color=colour, linewidth=width)
    return figure


def test_a_figure_that_differs_in_any_artist_or_setting_is_written_anew():
    """The charts a process keeps are found by everything their figures hold: never one for a
    figure that differs in a single property, its metadata, or a setting it is drawn under."""
    with matplotlib.rc_context(STYLE):
        svg = common._svg(line_figure(), "Title", "Alt")
        assert common._svg(line_figure(), "Title", "Alt") == svg
        differing = [common._svg(line_figure(colour="0.5"), "Title", "Alt"),
                     common._svg(line_figure(width=1.01), "Title", "Alt"),
                     common._svg(line_figure(), "Another title", "Alt"),
                     common._svg(line_figure(), "Title", "Another alt")]
        with matplotlib.rc_context({"svg.hashsalt": "another salt"}):
            differing.append(common._svg(line_figure(), "Title", "Alt"))
    assert len({svg, *differing}) == 1 + len(differing)


def test_a_figure_that_cannot_be_pickled_is_written_every_time():
    def figure(label: str) -> Figure:
        drawn = line_figure()
        drawn.axes[0].xaxis.set_major_formatter(FuncFormatter(lambda value, _: label))
        return drawn

    with matplotlib.rc_context(STYLE):
        first, second = common._svg(figure("one"), "Title", "Alt"), common._svg(figure("two"), "Title", "Alt")
    assert first != second


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
    assert chart.title.startswith("Attacks per day by party")
    assert "1 Jan 2001 to 4 Feb 2001 (35 days). Top: bars of attacks per day" in chart.alt
    assert "Busiest day: day of 2 Jan 2001 with 1 attack." in chart.alt


def test_a_side_is_drawn_in_the_colour_the_config_gives_it():
    styles = side_styles(["a", "b"], {"b": Side(label="Fake side b", colour="#123456")})
    assert styles["b"][0] == "#123456" and styles["a"][0] != "#123456"
    assert styles["a"][1] != styles["b"][1]  # still told apart by hatching


def test_tempo_is_aligned_panels_with_one_axis_each(analysis):
    figure = drawn(tempo._draw_tempo, analysis, "")
    bars, rungs = figure.axes  # no tallies here: two panels, no twin axis
    assert bars.get_shared_x_axes().joined(bars, rungs)
    assert bars.get_title(loc="left").startswith("Attacks per week")
    assert rungs.get_title(loc="left").startswith("Highest escalation rung")
    assert [t.get_text() for t in rungs.get_xticklabels()][0] == "1 Jan\n2001"
    assert [round(t) for t in rungs.get_yticks()] == [r.rung for r in analysis.ladder]


def test_an_empty_week_is_a_gap_in_the_rung_line(analysis):
    empty = [n for n, b in enumerate(analysis.tempo.buckets) if b.top_rung is None]
    assert empty == [2]  # 15-21 Jan has no incident
    rungs = drawn(tempo._draw_tempo, analysis, "").axes[-1]
    (line,) = [line for line in rungs.get_lines() if line.get_linestyle() == "-"]
    heights = list(line.get_ydata())
    assert math.isnan(heights[2]) and not any(math.isnan(h) for n, h in enumerate(heights) if n != 2)
    marked = sorted(x for points in rungs.collections for x, _ in points.get_offsets())
    assert marked == [0, 1, 3, 4]


def test_each_turning_point_has_its_own_label(analysis):
    figure = drawn(tempo._draw_tempo, analysis, "")
    labels = [t for t in figure.axes[0].texts if isinstance(t, Annotation)]
    assert [t.get_text() for t in labels] == [str(p.number) for p in analysis.turning_points]
    assert len(analysis.turning_points) > len({p.date.isocalendar()[1]
                                               for p in analysis.turning_points})  # some share a week
    figure.draw_without_rendering()
    boxes = [t.get_bbox_patch().get_window_extent() for t in labels]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))


def test_spread_labels_keep_their_place_unless_they_would_overlap():
    assert tempo._spread([1.0, 5.0], 1.0, 0, 10) == [1.0, 5.0]
    spread = tempo._spread([4.0, 2.0, 4.0, 4.0], 1.0, 0, 10)
    assert spread[1] == 2.0 and sorted(spread[i] for i in (0, 2, 3)) == [3.0, 4.0, 5.0]
    assert tempo._spread([0.0, 0.0], 1.0, 0, 10) == [0.0, 1.0]  # kept within the axes


def test_official_counts_have_their_own_panel_as_points():
    for result in project_analyses(FIXTURE):
        if not result.tallies:
            continue
        figure = drawn(tempo._draw_tempo, result, "")
        counts = figure.axes[1]
        (tally,) = result.tallies
        assert counts.get_title(loc="left").startswith(f"Official count ({tally.counted_by})")
        points = [line for line in counts.get_lines() if line.get_marker() != "None"]
        assert points and all(line.get_linestyle() == "None" for line in points)  # never joined
        assert [t.get_text() for t in counts.texts] == [figure_text(c.count) for c in tally.counts]
        assert "Below: Blue Force Command's running count of attacks on Blue Force bases" \
            in tempo_chart(result).alt
        return
    pytest.fail("the fixture project has a report with a tally")


def test_swimlane_labels_are_whole_names_wrapped(analysis):
    long_name = "Fake Combined Joint Task Force of the Blue Alliance – Operation Endless Name"
    named = {**ACTORS, "blue-force": ACTORS["blue-force"].model_copy(update={"name": long_name})}
    result = analyse(corpus().values(), named, LADDER, period=PERIOD, sides=SIDES)
    lines = text_lines(swimlane_chart(result).svg)
    assert not any("…" in line for line in lines)
    for actor in lanes(result):
        label = lane_label(result, actor).split("\n")
        assert " ".join(label) == result.party_name(actor)
        at = lines.index(label[0])
        assert lines[at:at + len(label)] == label
    assert len(lane_label(result, "blue-force").split("\n")) > 1


def test_rungs_differ_in_shape_and_in_greyscale_order(analysis):
    styles = [common.rung_style(analysis, r.rung) for r in analysis.ladder]
    assert len({marker for marker, _, _ in styles}) == len(styles)

    def grey(colour) -> float:
        red, green, blue = colors.to_rgb(colour)
        return 0.299 * red + 0.587 * green + 0.114 * blue

    shades = [grey(colour) for _, colour, _ in styles]
    assert shades == sorted(shades, reverse=True)  # higher rungs darker
    assert min(a - b for a, b in itertools.pairwise(shades)) > 0.05


@pytest.mark.parametrize("root", [pytest.param(REPO, marks=pytest.mark.slow), FIXTURE],
                         ids=["example", "fixture"])  # the example: 6 s, in CI
def test_chart_text_shows_display_labels_never_ids(root):
    """Every line of text in every chart (legends, titles, lanes, ticks) speaks of sides and
    actors by their labels: no side, actor or incident id that is not also part of a label."""
    for result in project_analyses(root):
        labels = [result.party_name(key) for key in (*result.actors, *result.sides, NOT_RECORDED)]
        ids = {*result.sides, *result.actors, *(i.id for i in result.incidents), NOT_RECORDED}
        drawn_charts = briefing_charts(result)
        forget_written()  # drawn again, not the copies this process kept
        assert [c.svg for c in drawn_charts] == [c.svg for c in briefing_charts(result)]
        shown = "\n".join(line for chart in drawn_charts for line in text_lines(chart.svg))
        assert capitalize_first(result.party_name(result.tempo.sides[0])) in shown  # legend

        def said(key: str, text: str) -> bool:
            return re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", text) is not None
        leaked = {key for key in ids if said(key, shown) and not any(said(key, t) for t in labels)}
        assert not leaked, leaked
