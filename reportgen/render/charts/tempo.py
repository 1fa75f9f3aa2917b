"""The tempo chart: attacks per week (or month) by the party that carried them out, the official
running counts beside them, and the highest escalation rung reached, with the turning points
marked on one time axis."""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.tempo import bucket_start
from reportgen.analyse.turning_points import TurningPoint
from reportgen.model.casualties import figure_text
from reportgen.model.incident import FigureRange
from reportgen.model.tally import Tally, TallyCount
from reportgen.model.text import MONTHS, counted, day
from reportgen.render.charts.chart import Chart
from reportgen.render.charts.common import (
    SMALL_FONT,
    WIDTH,
    _render,
    attacks,
    rung_style,
    side_styles,
)
from reportgen.render.filters import capitalize_first, lower_first

TALLY_MARKERS = ["D", "o", "s", "^"]
LABEL_DIAMETER = SMALL_FONT * 1.8
"""Points: a circled turning-point number; labels closer than this are spread apart."""


def draw(analysis: EscalationAnalysis) -> list[Chart]:
    return [tempo_chart(analysis)]


def tempo_chart(analysis: EscalationAnalysis) -> Chart:
    unit = analysis.tempo.granularity
    title = f"Attacks per {unit} by party" + (f" and the highest escalation rung each {unit}"
                                                if analysis.ladder else "")
    svg, alt = _render(_draw_tempo, analysis, title)
    return Chart("tempo", title, svg, alt)


def _draw_tempo(analysis: EscalationAnalysis, title: str):
    """Aligned panels sharing the time axis, one y-axis each: the curated incidents by side,
    then the official counts (if any fall in the period), then the highest rung."""
    tallied = _tally_points(analysis)
    panels = [(_side_panel, 1.6)] + ([(_tally_panel, 0.9)] if tallied else []) + (
        [(_rung_panel, 1.3)] if analysis.ladder else [])  # (drawing, height in inches)
    heights = [height for _, height in panels]
    figure = Figure(figsize=(WIDTH, 0.9 + sum(heights)), layout="constrained")
    grid = figure.subplots(len(panels), 1, sharex=True, squeeze=False,
                           gridspec_kw={"height_ratios": heights})
    handles = []
    for (panel, _), axes in zip(panels, grid[:, 0], strict=True):
        handles += panel(axes, analysis)
    _bucket_ticks(grid[-1, 0], analysis.tempo.buckets)
    handles += _mark_turning_points(grid[:, 0], analysis)
    figure.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 2))
    return figure, title, _tempo_alt(analysis)


def _side_panel(axes, analysis: EscalationAnalysis) -> list:
    series = analysis.tempo
    buckets = series.buckets
    styles = side_styles(series.sides, analysis.sides)
    positions = list(range(len(buckets)))
    bottom = [0] * len(buckets)
    handles = []
    for side in series.sides:
        heights = [len(b.by_side.get(side, ())) for b in buckets]
        colour, hatch = styles[side]
        axes.bar(positions, heights, bottom=bottom, width=0.8, color=colour, hatch=hatch,
                 edgecolor="black", linewidth=0.4)
        bottom = [a + b for a, b in zip(bottom, heights, strict=True)]
        handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor="black", linewidth=0.4,
                             label=capitalize_first(analysis.party_name(side))))
    others = [len(b.others) for b in buckets]
    if any(others):  # never stacked on a party's bars: no party's attacks (method rule `attacks`)
        shown = [(x, n) for x, n in zip(positions, others, strict=True) if n]
        axes.scatter([x for x, _ in shown], [n for _, n in shown], marker="x", color="black",
                     s=22, linewidths=1, zorder=4)
        handles.append(Line2D([], [], marker="x", color="black", linestyle="none",
                              label="Other events (statements, agreements)"))
        bottom = [max(a, b) for a, b in zip(bottom, others, strict=True)]
    axes.set_title(f"Attacks per {series.granularity}, by the party that carried them out",
                   loc="left")
    axes.set_ylim(0, max(bottom, default=0) * 1.2 + 1.4)  # headroom: turning-point numbers
    axes.yaxis.get_major_locator().set_params(integer=True)
    return handles


def _tally_points(analysis: EscalationAnalysis) -> list[tuple[Tally, int, TallyCount]]:
    """The official counts given within a drawn bucket: (tally, bucket index, count)."""
    index = {bucket.start: n for n, bucket in enumerate(analysis.tempo.buckets)}
    return [(tally, index[start], count) for tally in analysis.tallies for count in tally.counts
            if (start := bucket_start(count.date, analysis.tempo.granularity)) in index]


def _drawn_tallies(analysis: EscalationAnalysis, points) -> list[Tally]:
    return [tally for tally in analysis.tallies if any(t is tally for t, _, _ in points)]


def _tally_panel(axes, analysis: EscalationAnalysis) -> list:
    """Each official count as a labelled point at the bucket it was given for, never joined
    into a line: they are dated statements (revised, partly "at least"), not a series."""
    points = _tally_points(analysis)
    tallies = _drawn_tallies(analysis, points)
    for n, tally in enumerate(tallies):
        marker = TALLY_MARKERS[n % len(TALLY_MARKERS)]
        mine = [(slot, count) for t, slot, count in points if t is tally]
        axes.plot([slot for slot, _ in mine], [_value(c.count) for _, c in mine], marker=marker,
                  markersize=4.5, color="black", markerfacecolor="white", linestyle="none",
                  label=f"{tally.counted_by}: {lower_first(tally.title)}")
        for slot, count in mine:
            axes.annotate(figure_text(count.count), (slot, _value(count.count)), xytext=(0, 4),
                          textcoords="offset points", ha="center", va="bottom",
                          fontsize=SMALL_FONT)
    axes.set_ylim(0, max(_value(c.count) for _, _, c in points) * 1.45 + 1)
    axes.yaxis.get_major_locator().set_params(integer=True)
    bodies = ", ".join(dict.fromkeys(tally.counted_by for tally in tallies))
    axes.set_title(f"Official count ({bodies}), running total as given", loc="left")
    if len(tallies) > 1:  # one tally is named by the title; several need a key
        axes.legend(loc="upper left", fontsize=SMALL_FONT)
    return []


def _value(count: int | FigureRange) -> int:
    """Where a count is drawn: a range at its lower end ("at least 150" at 150)."""
    if isinstance(count, FigureRange):
        return count.min if count.min is not None else count.max
    return count


def _rung_panel(axes, analysis: EscalationAnalysis) -> list:
    """The highest rung per bucket: a line broken at buckets without a rated incident (NaN),
    never drawn across them, with a marker per bucket in the rung's shade and shape."""
    buckets = analysis.tempo.buckets
    tops = [math.nan if b.top_rung is None else b.top_rung for b in buckets]
    axes.plot(range(len(buckets)), tops, color="0.35", linewidth=0.8)
    for n, bucket in enumerate(buckets):
        if bucket.top_rung is not None:
            marker, colour, size = rung_style(analysis, bucket.top_rung)
            axes.scatter([n], [bucket.top_rung], marker=marker, s=size, facecolor=colour,
                         edgecolor="black", linewidth=0.5, zorder=3)
    rungs = [r.rung for r in analysis.ladder]
    axes.set_ylim(min(rungs) - 0.6, max(rungs) + 0.6)
    axes.set_yticks(rungs)
    axes.grid(axis="y", color="0.9", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.set_title(f"Highest escalation rung that {analysis.tempo.granularity} (blank: no "
                   "rated incident)", loc="left")
    return []


def _bucket_ticks(axes, buckets) -> None:
    step = max(1, math.ceil(len(buckets) / 10))
    ticks = list(range(0, len(buckets), step))
    labels, year = [], None
    for index in ticks:
        start = buckets[index].start
        label = f"{start.day} {MONTHS[start.month - 1]}"
        labels.append(f"{label}\n{start.year}" if start.year != year else label)
        year = start.year
    axes.set_xticks(ticks, labels)
    axes.set_xlim(-0.6, max(len(buckets) - 0.4, 0.6))


def _mark_turning_points(panels, analysis: EscalationAnalysis) -> list:
    """A dotted line through every panel at each turning point's bucket, and its number at the
    top of the first panel: one label per point, spread apart where points are close (several
    in one bucket, or neighbouring buckets) with a leader to where it belongs."""
    index = {b.start: n for n, b in enumerate(analysis.tempo.buckets)}
    placed = [(point, index[start]) for point in analysis.turning_points
              if (start := bucket_start(point.date, analysis.tempo.granularity)) in index]
    if not placed:
        return []
    for slot in sorted({slot for _, slot in placed}):
        for axes in panels:
            axes.axvline(slot, color="0.3", linestyle=":", linewidth=0.7, zorder=0)
    top = panels[0]
    low, high = top.get_xlim()
    width = top.get_position().width * WIDTH  # inches, as laid out so far
    gap = LABEL_DIAMETER / 72 / max(width, 1) * (high - low)
    spread = _spread([slot for _, slot in placed], gap, low + gap / 2, high - gap / 2)
    for (point, slot), x in zip(placed, spread, strict=True):
        top.annotate(str(point.number), (slot, 0.84), xycoords=("data", "axes fraction"),
                     xytext=(x, 0.93), textcoords=("data", "axes fraction"), ha="center",
                     va="center", fontsize=SMALL_FONT,
                     bbox={"boxstyle": "circle,pad=0.2", "facecolor": "white",
                           "edgecolor": "black", "linewidth": 0.5},
                     arrowprops={"arrowstyle": "-", "color": "0.3", "linewidth": 0.5,
                                 "shrinkA": 0, "shrinkB": 0})
    return [Line2D([], [], color="0.3", linestyle=":", label="Turning point (numbered)")]


def _spread(positions: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label positions at least `gap` apart, each as near its own position as the others allow:
    labels that would overlap form a group, centred on its members' mean and spaced by `gap`;
    groups that then overlap merge, until none do. Kept within [low, high] where they fit."""
    groups: list[tuple[float, list[float]]] = []  # (first label's position, members)
    for position in sorted(positions):
        groups.append((position, [position]))
        while len(groups) > 1:
            (start, members), (next_start, more) = groups[-2], groups[-1]
            if next_start - (start + gap * (len(members) - 1)) >= gap:
                break
            members = members + more
            groups[-2:] = [(sum(members) / len(members) - gap * (len(members) - 1) / 2, members)]
    spread = []
    for start, members in groups:
        start = min(max(start, low), max(high - gap * (len(members) - 1), low))
        spread += [start + gap * n for n in range(len(members))]
    order = sorted(range(len(positions)), key=lambda n: positions[n])
    result = [0.0] * len(positions)
    for rank, n in enumerate(order):
        result[n] = spread[rank]
    return result


def _tempo_alt(analysis: EscalationAnalysis) -> str:
    series = analysis.tempo
    if not series.buckets:
        return "Bar chart of incidents by side: no incidents in the period."
    unit = series.granularity
    first, last = series.buckets[0].start, series.buckets[-1].end
    counts = {side: sum(len(b.by_side.get(side, ())) for b in series.buckets)
              for side in series.sides}
    total = sum(b.count for b in series.buckets)
    others = sum(len(b.others) for b in series.buckets)
    text = [f"Charts sharing one time axis, {day(first)} to {day(last)} "
            f"({len(series.buckets)} {unit}s). Top: bars of attacks per {unit} by the party that "
            f"carried them out: {attacks(total)}"
            + (" (" + ", ".join(f"{analysis.party_name(side)} {n}" for side, n in counts.items())
               + ")" if counts else "")
            + (f"; crosses mark {counted(others, 'other event')} (statements, "
               "agreements), no party's attacks." if others else ".")]
    peak = series.peak
    if peak:
        text.append(f"Busiest {unit}: {unit} of {day(peak.start)} with {attacks(peak.count)}.")
    tallied = _tally_points(analysis)
    for tally in _drawn_tallies(analysis, tallied):
        text.append(f"Below: {tally.counted_by}'s running count of {lower_first(tally.title)}, "
                    "as separate points: " + ", ".join(
                        f"{figure_text(c.count)} by {day(c.date)}"
                        for t, _, c in tallied if t is tally) + ".")
    top = series.top_rung
    if analysis.ladder and top is not None:
        when = next(b for b in series.buckets if b.top_rung == top)
        quiet = sum(1 for b in series.buckets if b.top_rung is None)
        text.append(f"Bottom: the highest escalation rung each {unit}"
                    + (f", left blank in the {counted(quiet, unit)} without a rated "
                       "incident" if quiet else "")
                    + f"; it first reaches its peak, rung {top} ({analysis.rung_name(top)}), in "
                      f"the {unit} of {day(when.start)}.")
    if analysis.turning_points:
        text.append("Numbered turning points: " + "; ".join(
            f"{p.number}, {day(p.date)}, {p.title} ({_what_turned(analysis, p)})"
            for p in analysis.turning_points) + ".")
    return " ".join(text)


def _what_turned(analysis: EscalationAnalysis, point: TurningPoint) -> str:
    """A few words per kind, for the alt text (the briefing's table gives the full reasons)."""
    words = {
        "new-rung": f"first at rung {point.rung}",
        "first-fatal": "first deaths: " + ", ".join(analysis.party_name(p) for p in point.parties),
        "pause": "announced pause",
        "resumption": "announced resumption",
    }
    return "; ".join(words[kind] for kind in point.kinds)
