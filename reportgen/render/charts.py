"""SVG charts of an analysis, each with an alt text that says what it shows.

Charts are drawn with matplotlib's object API (a `Figure` per chart, no pyplot state, so
parallel builds cannot interfere) and saved as SVG. They are deterministic: a fixed
`svg.hashsalt` makes the element ids stable, `metadata={"Date": None}` drops the timestamp, and
text is set in DejaVu Sans, the font matplotlib bundles (its own copy wins over a system copy,
so glyph shapes do not depend on the machine). Text is written as glyph paths
(`svg.fonttype: path`), not as `<text>`: the SVG is shown through `<img>`, where it cannot use
the page's fonts, and a reader's phone may have no DejaVu Sans at all; paths look the same
everywhere (browsers, WeasyPrint) at the cost of a larger file, and the alt text carries the
words for screen readers. Writing the SVG is most of a chart's cost, so a process keeps the last
charts it wrote, keyed by everything their figures hold (`_svg`): a chart whose figure comes out
the same again (a rebuild after an edit it does not show, the preview after a save) is not
written twice. Sides differ by hatching and lightness, rungs by marker shape and a
shade that darkens with the rung, so every chart reads in greyscale; text is sized from the
figure's width, so it stays legible when the SVG is scaled down to a phone's width. Month names
are English regardless of the locale.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import textwrap
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO

import matplotlib
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Polygon
from matplotlib.transforms import TransformNode, offset_copy

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.capitals import CAPITALS, Capital
from reportgen.analyse.parties import acting_sides
from reportgen.analyse.tempo import ActorActivity, bucket_start
from reportgen.analyse.turning_points import TurningPoint
from reportgen.model.casualties import figure_text
from reportgen.model.common import country_name
from reportgen.model.config import Side
from reportgen.model.incident import FigureRange, Incident
from reportgen.model.names import NOT_RECORDED
from reportgen.model.tally import Tally, TallyCount
from reportgen.model.text import MONTHS, day, strip_bidi_controls
from reportgen.render.boundaries import Extent, borders, land_and_lakes
from reportgen.render.filters import capitalize_first, lower_first

WIDTH = 6.0
"""Inches. A chart is shown at the text's width, on a phone down to about 340 px: 3.5 in."""
FONT = WIDTH * 1.7
"""Points: about 10 pt at full width, still 8 px on a 375 px screen (the SVG scales as a whole)."""
SMALL_FONT = FONT * 0.85
STYLE = {
    "svg.hashsalt": "reportgen",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": FONT,
    "text.parse_math": False,
    "text.usetex": False,
    "hatch.linewidth": 0.6,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": FONT,
    "axes.labelsize": SMALL_FONT,
    "xtick.labelsize": SMALL_FONT,
    "ytick.labelsize": SMALL_FONT,
    "legend.fontsize": SMALL_FONT,
    "legend.frameon": False,
}
SIDE_STYLES = [("#1f3b73", ""), ("#f2b36b", "////"), ("#7f7f7f", "xxxx"), ("#ffffff", "\\\\\\\\"),
               ("#bcd4e6", "||||"), ("#4d4d4d", "++")]
NOT_RECORDED_STYLE = ("#e6e6e6", "----")  # dots would cost ~250 kB of tiny circles
RUNG_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "p", "h", "<", ">"]
RUNG_SHADES = matplotlib.colormaps["viridis"]
"""Light (low rungs) to dark (high): its lightness rises steadily, so shades stay in order in
greyscale, and marker shape and size tell the rungs apart as well."""
TALLY_MARKERS = ["D", "o", "s", "^"]
LABEL_DIAMETER = SMALL_FONT * 1.8
"""Points: a circled turning-point number; labels closer than this are spread apart."""
LANE_LABEL_CHARACTERS = 28
"""Where a swimlane's actor name wraps onto its next line (never cut)."""
MAX_LANES = 16


@dataclass(frozen=True, slots=True)
class Chart:
    name: str
    """File stem: tempo, swimlane, activity-<actor id>."""
    title: str
    svg: bytes
    alt: str
    key: str = ""
    """How to read its marks, for the caption (the map's differs with how many it shows)."""


def incidents(count: int) -> str:
    return f"{count} incident" + "s" * (count != 1)


def attacks(count: int) -> str:
    return f"{count} attack" + "s" * (count != 1)


def side_styles(sides: Iterable[str], declared: Mapping[str, Side]) -> dict[str, tuple[str, str]]:
    """(colour, hatch) per side: the colour the config gives the side, else the palette's."""
    named = [s for s in sides if s != NOT_RECORDED]
    styles = {}
    for n, side in enumerate(named):
        colour, hatch = SIDE_STYLES[n % len(SIDE_STYLES)]
        own = declared[side].colour if side in declared else None
        styles[side] = (own or colour, hatch)
    return styles | {NOT_RECORDED: NOT_RECORDED_STYLE}


def rung_style(analysis: EscalationAnalysis, rung: int | None) -> tuple[str, object, float]:
    """(marker, colour, area in pt²) of a rung, the same in every chart: a shape per rung, and
    a shade and size that grow with it (an unrated incident is a small grey dot)."""
    if rung is None:
        return ".", "0.5", 20
    rungs = [r.rung for r in analysis.ladder] or [rung]
    low, high = min(rungs), max(rungs)
    share = (rung - low) / max(high - low, 1)
    return RUNG_MARKERS[rung % len(RUNG_MARKERS)], RUNG_SHADES(0.95 - 0.9 * share), 24 + 36 * share


SVG_CACHE = 64
"""Charts a process keeps (about 30 kB each, a map up to 300 kB)."""
_written: OrderedDict[bytes, bytes] = OrderedDict()
_written_lock = threading.Lock()


def _svg(figure: Figure, title: str, alt: str) -> bytes:
    """The figure's SVG; the same bytes as last time when an identical figure was written
    lately, without writing it again."""
    key = _figure_key(figure, title, alt)
    with _written_lock:
        svg = _written.pop(key, None) if key else None
    if svg is None:
        buffer = BytesIO()
        figure.savefig(buffer, format="svg", metadata={
            "Date": None, "Title": title, "Description": strip_bidi_controls(alt)})
        svg = buffer.getvalue()
    if key:
        with _written_lock:
            _written[key] = svg
            while len(_written) > SVG_CACHE:
                _written.popitem(last=False)
    return svg


def forget_written() -> None:
    """Drop the charts this process keeps: the next of each is written anew (the tests that
    hold writing a chart to the same bytes every time draw it twice this way)."""
    with _written_lock:
        _written.clear()


class _FigureState(pickle.Pickler):
    """Pickles every artist of a figure as its SVG is made from them, except a transform's
    `_parents`: back-references keyed by id(), which differ between two identical figures."""

    def reducer_override(self, obj):
        if isinstance(obj, TransformNode):
            state = {k: v for k, v in obj.__getstate__().items() if k != "_parents"}
            return object.__new__, (type(obj),), state
        return NotImplemented


def _figure_key(figure: Figure, title: str, alt: str) -> bytes | None:
    """A digest of the figure, its metadata and the settings it is drawn under (a few ms; the
    SVG takes 30 to 400); None for a figure that cannot be pickled (a formatter that is a
    lambda, say), which is then written every time."""
    buffer = BytesIO()
    try:
        _FigureState(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
            (figure, title, alt, dict(matplotlib.rcParams)))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(buffer.getvalue()).digest()


def _render(draw, *args) -> tuple[bytes, str]:
    """Run a drawing function under the fixed style; it returns (figure, title, alt)."""
    with matplotlib.rc_context(STYLE):
        figure, title, alt = draw(*args)
        return _svg(figure, title, alt), alt


# --- (1) weekly tempo: incidents by side, official counts, highest rung -------------------------

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
            + (f"; crosses mark {others} other event{'s' * (others != 1)} (statements, "
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
                    + (f", left blank in the {quiet} {unit}{'s' * (quiet != 1)} without a rated "
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


# --- (2) swimlane chronology by actor ---------------------------------------------------------

def swimlane_chart(analysis: EscalationAnalysis) -> Chart:
    title = "Chronology by actor: incidents by escalation rung, arrows for responses"
    svg, alt = _render(_draw_swimlane, analysis, title)
    return Chart("swimlane", title, svg, alt)


def lanes(analysis: EscalationAnalysis) -> list[str]:
    """Acting actors, the busiest MAX_LANES of them, grouped by side then by name."""
    counts = {actor: activity.acting_total for actor, activity in analysis.activity.items()
              if activity.acting_total}
    busiest = sorted(counts, key=lambda a: (-counts[a], a))[:MAX_LANES]

    def order(actor: str):
        known = analysis.actors.get(actor)
        return (known.side or "~" if known else "~", _name(analysis, actor).casefold(), actor)
    return sorted(busiest, key=order)


def _name(analysis: EscalationAnalysis, actor: str) -> str:
    return strip_bidi_controls(analysis.party_name(actor))


def lane_label(analysis: EscalationAnalysis, actor: str) -> str:
    """An actor's whole name on as few lines as LANE_LABEL_CHARACTERS allows, of even length
    (a long word stays whole on its own line): the lane's label, never cut."""
    name = _name(analysis, actor)
    lines = len(_wrap(name, LANE_LABEL_CHARACTERS))
    width = next(w for w in range(max(1, len(name) // max(lines, 1)), LANE_LABEL_CHARACTERS + 1)
                 if len(_wrap(name, w)) <= lines)
    return "\n".join(_wrap(name, width))


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def _draw_swimlane(analysis: EscalationAnalysis, title: str):
    shown = lanes(analysis)
    row = {actor: n for n, actor in enumerate(reversed(shown))}
    labels = [lane_label(analysis, actor) for actor in reversed(shown)]
    lines = max((label.count("\n") + 1 for label in labels), default=1)
    lane = max(0.3, 0.15 * lines + 0.06)  # inches: room for the lane's label lines
    figure = Figure(figsize=(WIDTH, 1.5 + lane * max(len(shown), 1)), layout="constrained")
    axes = figure.add_subplot()
    where: dict[str, tuple[float, float]] = {}
    by_rung: dict[int | None, list[tuple[float, float]]] = {}
    crowd: dict[tuple[int, object], int] = {}
    for incident in analysis.incidents:
        for actor in incident.acting_actor_ids():
            if actor not in row:
                continue
            seen = crowd[(row[actor], incident.date)] = crowd.get((row[actor], incident.date), -1) + 1
            offset = (0, 0.2, -0.2, 0.4, -0.4)[seen % 5]
            point = (_ordinal(incident.date), row[actor] + offset)
            where.setdefault(incident.id, point)
            by_rung.setdefault(analysis.rungs[incident.id].rung, []).append(point)
    handles = _rung_markers(axes, analysis, by_rung)
    for link in analysis.chains.links:
        if link.action in where and link.response in where:
            axes.add_patch(FancyArrowPatch(where[link.action], where[link.response],
                                           arrowstyle="-|>", mutation_scale=7, color="0.35",
                                           linewidth=0.6, shrinkA=4, shrinkB=4,
                                           connectionstyle="arc3,rad=0.15"))
    if analysis.chains.links:
        handles.append(Line2D([], [], color="0.35", linewidth=0.6, marker=">", markersize=3,
                              label="Responds to"))
    axes.set_yticks(range(len(shown)), labels)
    axes.set_ylim(-0.7, max(len(shown), 1) - 0.3)
    for n in range(len(shown)):
        axes.axhline(n, color="0.85", linewidth=0.5, zorder=0)
    _date_axis(axes, analysis)
    rows = math.ceil(len(handles) / 6)
    figure.legend(handles=handles, loc="outside lower center",
                  ncol=max(1, math.ceil(len(handles) / max(rows, 1))))
    return figure, title, _swimlane_alt(analysis, shown)


def _ordinal(date) -> float:
    return float(date.toordinal())


def _rung_markers(axes, analysis: EscalationAnalysis, by_rung) -> list:
    handles = []
    for rung in sorted(by_rung, key=lambda r: -1 if r is None else r):
        points = by_rung[rung]
        marker, colour, size = rung_style(analysis, rung)
        axes.scatter([x for x, _ in points], [y for _, y in points], marker=marker, s=size,
                     facecolor=colour, edgecolor="black", linewidth=0.5, zorder=3)
        handles.append(Line2D([], [], linestyle="", marker=marker, markersize=math.sqrt(size),
                              markerfacecolor=colour, markeredgecolor="black",
                              markeredgewidth=0.5,
                              label="Unrated" if rung is None else f"Rung {rung}"))
    return handles


def _date_axis(axes, analysis: EscalationAnalysis) -> None:
    period = analysis.period
    dates = [i.date for i in analysis.incidents]
    if period is None and not dates:
        return
    first = period.from_ if period else min(dates)
    last = period.to if period else max(dates)
    axes.set_xlim(_ordinal(first) - 2, _ordinal(last) + 2)
    ticks = _month_starts(first, last)
    monthly = len(ticks) >= 3
    if not monthly:
        ticks = [first.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)
                 if first.fromordinal(n).weekday() == 0]
    ticks = ticks[:: max(1, math.ceil(len(ticks) / 12))]
    labels, year = [], None
    for tick in ticks:
        label = MONTHS[tick.month - 1] if monthly else f"{tick.day} {MONTHS[tick.month - 1]}"
        labels.append(f"{label}\n{tick.year}" if tick.year != year else label)
        year = tick.year
    axes.set_xticks([_ordinal(t) for t in ticks], labels)


def _month_starts(first, last) -> list:
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        start = first.replace(year=year, month=month, day=1)
        if first <= start <= last:
            found.append(start)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _swimlane_alt(analysis: EscalationAnalysis, shown: list[str]) -> str:
    if not shown:
        return "Chronology by actor: no incident names an acting actor."
    counts = {actor: analysis.activity[actor].acting_total for actor in shown}
    hidden = len([a for a in analysis.activity.values() if a.acting_total]) - len(shown)
    text = [f"Chronology by actor: one lane per acting actor ({len(shown)} lanes: "
            + ", ".join(f"{_name(analysis, a)} {counts[a]}" for a in shown) + ")"
            + (f", {hidden} less active actors not shown" if hidden > 0 else "") + "."]
    rated: dict[int, int] = {}
    for assessment in analysis.rungs.values():
        if assessment.rung is not None:
            rated[assessment.rung] = rated.get(assessment.rung, 0) + 1
    if rated:
        text.append("Marker shape and shade give the escalation rung: " + ", ".join(
            f"rung {r} {incidents(n)}" for r, n in sorted(rated.items())) + ".")
    links = analysis.chains.links
    if links:
        median = analysis.chains.median_response_days
        arrows = "1 arrow joins" if len(links) == 1 else f"{len(links)} arrows join"
        text.append(f"{arrows} an incident to the response to it; median time to respond "
                    f"{median:g} day{'s' * (median != 1)}.")
    return " ".join(text)


# --- (3) per-actor activity sparkline ---------------------------------------------------------

def activity_sparkline(analysis: EscalationAnalysis, actor_id: str) -> Chart:
    activity = analysis.activity[actor_id]
    title = f"{_name(analysis, actor_id)}: incidents per {analysis.tempo.granularity}"
    svg, alt = _render(_draw_sparkline, analysis, activity, title)
    return Chart(f"activity-{actor_id}", title, svg, alt)


def activity_scale(analysis: EscalationAnalysis) -> int:
    """The busiest bucket of any actor, acting or targeted: every profile's sparkline shares
    this scale, so a taller line is a busier actor, not a different axis."""
    return max([1, *(len(ids) for activity in analysis.activity.values()
                     for ids in (*activity.acting, *activity.targeted))])


def _draw_sparkline(analysis: EscalationAnalysis, activity: ActorActivity, title: str):
    """When the actor acted (filled) and was targeted (dashed) over the period: dated at both
    ends, with the shared scale's top marked, so a reader sees when and how much at a glance."""
    acting = [len(ids) for ids in activity.acting]
    targeted = [len(ids) for ids in activity.targeted]
    scale = activity_scale(analysis)
    figure = Figure(figsize=(2.6, 0.9), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(acting)))
    axes.fill_between(positions, acting, step="mid", color="#1f3b73", linewidth=0)
    axes.step(positions, targeted, where="mid", color="black", linestyle="--", linewidth=0.8)
    axes.set_ylim(0, scale * 1.1)
    axes.set_yticks([0, scale])
    axes.axhline(scale, color="0.8", linewidth=0.5, zorder=0)
    axes.set_xlim(-0.5, max(len(acting) - 0.5, 0.5))
    if activity.starts:
        last = analysis.tempo.buckets[-1].end
        axes.set_xticks([-0.5, len(acting) - 0.5], [day(activity.starts[0]), day(last)])
        axes.get_xticklabels()[0].set_horizontalalignment("left")
        axes.get_xticklabels()[-1].set_horizontalalignment("right")
    axes.tick_params(length=2, pad=1.5, labelsize=SMALL_FONT * 0.9)
    return figure, title, _sparkline_alt(analysis, activity, scale)


def _sparkline_alt(analysis: EscalationAnalysis, activity: ActorActivity, scale: int) -> str:
    unit = analysis.tempo.granularity
    name = _name(analysis, activity.actor_id)
    if not activity.starts:
        return f"{name}: no activity in the period."
    text = [f"{name}, incidents per {unit} from {day(activity.starts[0])} to "
            f"{day(analysis.tempo.buckets[-1].end)}: {activity.acting_total} as the acting "
            f"party (filled area), {activity.targeted_total} as a target (dashed line), on a "
            f"scale of 0 to {scale} per {unit} shared by every actor."]
    acting = [len(ids) for ids in activity.acting]
    if max(acting, default=0):
        peak = acting.index(max(acting))
        text.append(f"Busiest: the {unit} of {day(activity.starts[peak])} with {acting[peak]}.")
    return " ".join(text)


# --- (4) map of the period's incidents --------------------------------------------------------

MAP_WIDTH = 4.6
"""Inches: narrower than the other charts, so the map's labels stay legible on a phone."""
MAP_MARGIN = 1.5
"""Degrees of map around the outermost incidents at least (8% of their spread on a wide map)."""
MAP_MIN_SPAN = 6.0
"""Degrees north to south at least (about 670 km): a map of one city still shows its region."""
MAP_RATIO = 0.75
"""Height over width of the mapped area, in kilometres."""
KM_PER_DEGREE = 111.32
"""Along a meridian; along a parallel, times the cosine of the latitude."""
SITE_RADIUS = 0.02
"""Incidents closer than this share of the map's height are drawn as one site."""
SEA, GROUND, COAST, BORDER = "#dbe6ee", "#fbfaf6", "0.55", "0.3"
HALO = [patheffects.withStroke(linewidth=2.4, foreground="white")]
DEGREE_LABELS = (0.5, 0.35)
"""Inches the degree labels take beside the map and below it."""
LEGEND_ROW = 0.17
"""Inches per line of the legend."""
ROW = 15
"""Points between the markers of one site, set in a row beside it (`_row_way`)."""
MAP_NUMBERED = 100
"""Mapped incidents a map draws one by one, numbered; above, one marker per place and side, its
area the count: a thousand numbered markers are unreadable, and their SVG outgrows the PDF."""
COUNT_AREA = 18.0
"""pt² of a counted marker per incident at its place (the largest is capped at COUNT_LARGEST)."""
COUNT_LARGEST = 400.0
COUNT_ROW = 24
"""Points between a counted site's markers (the largest is 20 points across)."""
COUNT_RADIUS = 0.07
"""A counted map's sites are coarser than SITE_RADIUS: their markers must not overlap."""
LEGEND_LINE = 26
"""Characters per line of a map legend entry: two columns fit the map's width."""


@dataclass(frozen=True, slots=True)
class Site:
    """Where one or more incidents happened, with their markers in chronological order."""

    lon: float
    lat: float
    incidents: tuple[Incident, ...]


def map_chart(analysis: EscalationAnalysis) -> Chart:
    if map_counts(analysis):
        title = "Map of the period's incidents: how many at each place"
        key = ("Colour: the party that carried them out; size: how many happened at the place "
               "(the number beside the marker).")
    else:
        title = "Map of the period's incidents, numbered as in the chronology"
        key = ("Colour: the party that carried it out; shape and size: the rung; several at one "
               "place stand in a row.")
    svg, alt = _render(_draw_map, analysis, title)
    return Chart("map", title, svg, alt, key)


def map_counts(analysis: EscalationAnalysis) -> bool:
    """Whether the map counts incidents by place instead of numbering each (MAP_NUMBERED)."""
    return len(mapped(analysis)) > MAP_NUMBERED


def mapped(analysis: EscalationAnalysis) -> list[Incident]:
    """The incidents the map can place (`Location.map_point`), oldest first."""
    return [i for i in analysis.incidents if i.location.map_point is not None]


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


def _shrink(extent: Extent) -> float:
    return math.cos(math.radians((extent.south + extent.north) / 2))


def sites(incidents: Iterable[Incident], extent: Extent, share: float = SITE_RADIUS) -> list[Site]:
    """Incidents grouped by where they happened: each joins the first site within `share` of
    the map's height (several strikes on one base stay apart and readable)."""
    radius = share * (extent.north - extent.south)
    shrink = _shrink(extent)
    groups: list[tuple[float, float, list[Incident]]] = []
    for incident in incidents:
        lon, lat = incident.location.map_point
        for site_lon, site_lat, members in groups:
            if abs(site_lat - lat) <= radius and abs(site_lon - lon) * shrink <= radius:
                members.append(incident)
                break
        else:
            groups.append((lon, lat, [incident]))
    return [Site(lon, lat, tuple(members)) for lon, lat, members in groups]


def capitals_in(extent: Extent, incidents: Iterable[Incident]) -> list[Capital]:
    """The capitals in the extent; on a map wider than a region, only those of the countries
    the incidents happened in, or they would crowd it."""
    codes = sorted(CAPITALS) if extent.regional else sorted({i.location.country for i in incidents})
    return [city for code in codes for city in CAPITALS.get(code, ())
            if extent.contains(city.lon, city.lat)]


def _draw_map(analysis: EscalationAnalysis, title: str):
    """An equirectangular map, as high as its extent needs at MAP_WIDTH, and its legend."""
    shown = mapped(analysis)
    extent = map_extent(i.location.map_point for i in shown)
    shrink = _shrink(extent)
    beside, below = DEGREE_LABELS
    height = (MAP_WIDTH - beside) * (extent.north - extent.south) / (
        (extent.east - extent.west) * shrink)
    figure = Figure(figsize=(MAP_WIDTH, height), layout="constrained")
    axes = figure.add_subplot()
    axes.set_autoscale_on(False)
    axes.set_xlim(extent.west, extent.east)
    axes.set_ylim(extent.south, extent.north)
    axes.set_aspect(1 / shrink)
    axes.set_facecolor(SEA)
    axes.spines[:].set_visible(True)
    _draw_ground(axes, extent)
    capitals = capitals_in(extent, shown)
    _draw_capitals(axes, capitals, shrink)
    counted = map_counts(analysis)
    placed = sites(shown, extent, COUNT_RADIUS if counted else SITE_RADIUS)
    draw_sites = _draw_counts if counted else _draw_sites
    handles, row = draw_sites(figure, axes, analysis, placed)
    _graticule(axes, extent)
    _scale_bar(axes, extent)
    axes.annotate("N", (0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction",
                  textcoords="axes fraction", ha="center", va="top", fontsize=8,
                  fontweight="bold", path_effects=HALO,
                  arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.8})
    handles += _map_furniture(capitals, row)
    labels = [textwrap.fill((h[0] if isinstance(h, tuple) else h).get_label(), LEGEND_LINE)
              for h in handles]
    figure.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=8.5,
                  columnspacing=1.0, handletextpad=0.4)
    half = math.ceil(len(labels) / 2)
    lines = max(sum(label.count("\n") + 1 for label in column)
                for column in (labels[:half], labels[half:]))
    figure.set_figheight(height + below + LEGEND_ROW * lines)
    return figure, title, _map_alt(analysis, shown, placed, capitals, counted)


def _draw_ground(axes, extent: Extent) -> None:
    """Land over sea, lakes over land (GSHHG levels alternate), then the borders on top."""
    for level, polygon in land_and_lakes(extent):
        axes.add_patch(Polygon(polygon, closed=True, facecolor=GROUND if level % 2 else SEA,
                               edgecolor=COAST, linewidth=0.4, zorder=1))
    for n, line in enumerate(borders(extent), start=1):
        axes.plot(line[:, 0], line[:, 1], color=BORDER, linewidth=0.8, zorder=2, gid=f"border-{n}")


def _draw_capitals(axes, capitals: list[Capital], shrink: float) -> None:
    for city, (xytext, ha, va) in zip(capitals, _label_places(axes, capitals, shrink), strict=True):
        axes.plot([city.lon], [city.lat], marker="o", markersize=5.5, markerfacecolor="white",
                  markeredgecolor="black", markeredgewidth=0.8, zorder=4)
        axes.plot([city.lon], [city.lat], marker="o", markersize=1.8, color="black", zorder=4)
        axes.annotate(city.name, (city.lon, city.lat), xytext=xytext, textcoords="offset points",
                      ha=ha, va=va, fontsize=8, style="italic", path_effects=HALO, zorder=6)


LABEL_PLACES = (((0, -5), "center", "top"), ((0, 5), "center", "bottom"),
                ((5, 0), "left", "center"), ((-5, 0), "right", "center"),
                ((4, 4), "left", "bottom"), ((-4, 4), "right", "bottom"),
                ((4, -4), "left", "top"), ((-4, -4), "right", "top"))
"""Where a capital's name goes, in order of preference: below it, above, right, left, then
the corners."""
LABEL_EM, LABEL_HEIGHT = 4.4, 9.0
"""Points per letter (8-point italic, a little over the mean) and per line of a capital's name."""
CAPITAL_DOT = 3.0
"""Points from a capital's centre to the edge of its marker (5.5 points across, and its line)."""


def _label_places(axes, capitals: list[Capital], shrink: float) -> list[tuple]:
    """Each capital's label place: of LABEL_PLACES, the first where its name, by estimated size,
    covers the least of the capitals' markers, of the names placed before it and of what lies
    outside the frame (Jerusalem, Ramallah and Amman are a few points apart on a regional map)."""
    (west, east), (south, north) = axes.get_xlim(), axes.get_ylim()
    per_degree = _points_per_degree(axes)
    frame = (west * per_degree, south * per_degree / shrink, east * per_degree, north * per_degree / shrink)
    points = [(city.lon * per_degree, city.lat * per_degree / shrink) for city in capitals]
    taken = [(x - CAPITAL_DOT, y - CAPITAL_DOT, x + CAPITAL_DOT, y + CAPITAL_DOT) for x, y in points]
    found = []
    for city, (x, y) in zip(capitals, points, strict=True):
        width = LABEL_EM * len(city.name)
        boxes = [_label_box(x, y, width, place) for place in LABEL_PLACES]
        costs = [_area(box) - _shared(box, frame) + sum(_shared(box, other) for other in taken)
                 for box in boxes]
        best = costs.index(min(costs))
        taken.append(boxes[best])
        found.append(LABEL_PLACES[best])
    return found


def _label_box(x: float, y: float, width: float, place: tuple) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) in points of a name of `width` put at `place` from (x, y)."""
    (dx, dy), ha, va = place
    left = {"center": x + dx - width / 2, "left": x + dx, "right": x + dx - width}[ha]
    bottom = {"top": y + dy - LABEL_HEIGHT, "bottom": y + dy,
              "center": y + dy - LABEL_HEIGHT / 2}[va]
    return left, bottom, left + width, bottom + LABEL_HEIGHT


def _shared(box: tuple[float, float, float, float], other: tuple[float, float, float, float]) -> float:
    """The area (points squared) two boxes (left, bottom, right, top) share."""
    width = min(box[2], other[2]) - max(box[0], other[0])
    height = min(box[3], other[3]) - max(box[1], other[1])
    return max(width, 0) * max(height, 0)


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _draw_sites(figure, axes, analysis: EscalationAnalysis,
                placed: list[Site]) -> tuple[list, str | None]:
    """A marker per incident (colour: acting side; shape and size: rung), numbered; the
    incidents of a site in a row to its right (left near the east edge), joined to it by a
    line. Returns the legend's
    side and rung entries, for what the map shows, and the row's entry (None: no row)."""
    styles = side_styles(_map_parties(analysis), analysis.sides)
    keys = analysis.map_keys
    sides, rungs = set(), set()
    for site in placed:
        crowded = len(site.incidents) > 1
        way = _row_way(axes, site, ROW * (len(site.incidents) + 1))
        if crowded:
            _row_line(axes, site, way * ROW * len(site.incidents))
        for n, incident in enumerate(site.incidents):
            side = _map_side(analysis, incident)
            rung = analysis.rungs[incident.id].rung
            sides.add(side)
            rungs.add(rung)
            marker, _, size = rung_style(analysis, rung)
            shift = way * ROW * (n + 1) if crowded else 0
            axes.scatter([site.lon], [site.lat], marker=marker, s=size * 1.8,
                         facecolor=styles[side][0], edgecolor="black", linewidth=0.6, zorder=7,
                         gid=f"marker-{keys[incident.id]}",
                         transform=offset_copy(axes.transData, figure, x=shift, units="points"))
            axes.annotate(str(keys[incident.id]), (site.lon, site.lat),
                          xytext=(shift, 6) if crowded else (5, 5), textcoords="offset points",
                          ha="center" if crowded else "left", va="bottom", fontsize=9,
                          fontweight="bold", path_effects=HALO, zorder=8)
    handles = _side_handles(analysis, styles, sides)
    for rung in sorted(rungs, key=lambda r: -1 if r is None else r):
        marker, _, size = rung_style(analysis, rung)
        label, name = ("unrated", None) if rung is None else (f"rung {rung}", analysis.rung_name(rung))
        handles.append(Line2D([], [], linestyle="", marker=marker, markersize=math.sqrt(size * 1.8),
                              markerfacecolor="white", markeredgecolor="black",
                              markeredgewidth=0.6, label=f"{label}: {name}" if name else label))
    rows = any(len(site.incidents) > 1 for site in placed)
    return handles, "several incidents at one place" if rows else None


def _draw_counts(figure, axes, analysis: EscalationAnalysis,
                 placed: list[Site]) -> tuple[list, str | None]:
    """A circle per site and acting side, its area the number of incidents, the number beside
    it; a site's sides in a row to its right (left near the east edge). Returns the legend's
    side and size entries, and the row's entry (None: no row)."""
    styles = side_styles(_map_parties(analysis), analysis.sides)
    counts = [Counter(_map_side(analysis, i) for i in site.incidents) for site in placed]
    largest = max(n for by_side in counts for n in by_side.values())
    scale = min(COUNT_AREA, COUNT_LARGEST / largest)
    for site, by_side in zip(placed, counts, strict=True):
        shown = [side for side in styles if side in by_side]
        crowded = len(shown) > 1
        way = _row_way(axes, site, COUNT_ROW * (len(shown) + 1))
        if crowded:
            _row_line(axes, site, way * COUNT_ROW * len(shown))
        for n, side in enumerate(shown):
            shift = way * COUNT_ROW * (n + 1) if crowded else 0
            axes.scatter([site.lon], [site.lat], marker="o", s=_count_area(by_side[side], scale),
                         facecolor=styles[side][0], edgecolor="black", linewidth=0.6, zorder=7,
                         alpha=0.85, transform=offset_copy(axes.transData, figure, x=shift,
                                                           units="points"))
            axes.annotate(str(by_side[side]), (site.lon, site.lat), xytext=(shift + 4, 4),
                          textcoords="offset points", ha="left", va="bottom", fontsize=7,
                          path_effects=HALO, zorder=8)
    sides = {side for by_side in counts for side in by_side}
    handles = _side_handles(analysis, styles, sides)
    for n in sorted({1, max(1, round(largest / 2)), largest}):
        handles.append(Line2D([], [], linestyle="", marker="o",
                              markersize=math.sqrt(_count_area(n, scale)), markerfacecolor="white",
                              markeredgecolor="black", markeredgewidth=0.6,
                              label=incidents(n) + " at one place"))
    rows = any(len(by_side) > 1 for by_side in counts)
    return handles, "several sides at one place" if rows else None


def _count_area(count: int, scale: float) -> float:
    """pt² of a counted marker: `scale` per incident, never smaller than a legible dot."""
    return max(count * scale, 12)


def _side_handles(analysis: EscalationAnalysis, styles: dict, sides: set[str]) -> list:
    """The legend's entry of each side the map shows, in the sides' order."""
    return [Line2D([], [], linestyle="", marker="o", markersize=7,
                   markerfacecolor=styles[side][0], markeredgecolor="black",
                   markeredgewidth=0.6, label=analysis.party_name(side))
            for side in styles if side in sides]


def _row_way(axes, site: Site, length: float) -> int:
    """1 when a row of `length` points (its markers and the last one's number) fits between
    the site and the map's east edge, else -1: the row goes west, not out of the frame."""
    room = (axes.get_xlim()[1] - site.lon) * _points_per_degree(axes)
    return 1 if room >= length else -1


def _points_per_degree(axes) -> float:
    """Points of the map per degree of longitude (the axes are as wide as the figure less the
    degree labels beside them; a degree of latitude is this divided by `_shrink`)."""
    west, east = axes.get_xlim()
    return (MAP_WIDTH - DEGREE_LABELS[0]) * 72 / (east - west)


def _row_line(axes, site: Site, length: float) -> None:
    """The dot on a site and the line (`length` points, west when negative) to the row of its
    markers."""
    axes.annotate("", (site.lon, site.lat), xytext=(length, 0),
                  textcoords="offset points", zorder=6,
                  arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 0.6,
                              "shrinkA": 0, "shrinkB": 0})
    axes.plot([site.lon], [site.lat], marker="o", markersize=2.5, color="black", zorder=6)


def _map_parties(analysis: EscalationAnalysis) -> list[str]:
    """The parties the map colours by: those of the tempo's attacks, then those that acted
    only in other events (a statement, an agreement), which the map shows too."""
    found = list(analysis.tempo.sides)
    for incident in analysis.incidents:
        side = _map_side(analysis, incident)
        if side not in found:
            found.append(side)
    return found


def _map_side(analysis: EscalationAnalysis, incident: Incident) -> str:
    """The side a marker is coloured by: the acting side, the first in name order when an
    incident was carried out by several (a marker has one colour)."""
    return acting_sides(incident, analysis.actors)[0]


def _map_furniture(capitals: list[Capital], row: str | None) -> list:
    """The border, capital and row entries of the legend; `row` labels the row of a site's
    markers, None when no site has one."""
    handles = [Line2D([], [], color=BORDER, linewidth=0.8, label="international border")]
    if capitals:
        handles.append((Line2D([], [], linestyle="", marker="o", markersize=5.5,
                               markerfacecolor="white", markeredgecolor="black",
                               markeredgewidth=0.8, label="capital"),
                        Line2D([], [], linestyle="", marker="o", markersize=1.8, color="black")))
    if row:
        handles.append(Line2D([], [], color="black", linewidth=0.6, marker="o", markersize=2.5,
                              markevery=[0], label=row))
    return handles


def _graticule(axes, extent: Extent) -> None:
    """Dotted lines at round degrees, at most about eight across, labelled at the edges."""
    span = max(extent.east - extent.west, extent.north - extent.south)
    step = next((n for n in (1, 2, 5, 10, 20) if span / n <= 8), 30)
    lons = range(math.ceil(extent.west / step) * step, math.floor(extent.east) + 1, step)
    lats = range(math.ceil(extent.south / step) * step, math.floor(extent.north) + 1, step)
    axes.set_xticks(list(lons), [f"{abs(v)}°{'E' if v >= 0 else 'W'}" for v in lons])
    axes.set_yticks(list(lats), [f"{abs(v)}°{'N' if v >= 0 else 'S'}" for v in lats])
    axes.tick_params(labelsize=7, length=2)
    axes.grid(color="0.55", linewidth=0.3, linestyle=":")
    axes.set_axisbelow(False)


def _scale_bar(axes, extent: Extent) -> None:
    """A bar of a round number of kilometres, about a quarter of the map wide, true at its
    own latitude (lower left)."""
    lat = extent.south + 0.06 * (extent.north - extent.south)
    per_degree = KM_PER_DEGREE * math.cos(math.radians(lat))
    wide = (extent.east - extent.west) * per_degree
    km = max((n for n in (10, 25, 50, 100, 200, 250, 500, 1000, 2000) if n <= wide / 4),
             default=10)
    start = extent.west + 0.05 * (extent.east - extent.west)
    axes.plot([start, start + km / per_degree], [lat, lat], color="black", linewidth=2.2,
              solid_capstyle="butt", path_effects=HALO, zorder=9)
    axes.annotate(f"{km} km", (start + km / per_degree / 2, lat), xytext=(0, 3),
                  textcoords="offset points", ha="center", va="bottom", fontsize=7,
                  path_effects=HALO, zorder=9)


def _map_alt(analysis: EscalationAnalysis, shown: list[Incident], placed: list[Site],
             capitals: list[Capital], counted: bool) -> str:
    countries = Counter(country_name(i.location.country) for i in shown)
    sides = Counter(_map_side(analysis, i) for i in shown)
    text = [f"Map of {len(shown)} of the period's {incidents(len(analysis.incidents))}, "
            + ("counted by place: " if counted else "numbered as in the chronology: ") + ", ".join(
                f"{n} in {country}" for country, n in sorted(countries.items())) + ".",
            "Marker colour gives the acting party (" + ", ".join(
                f"{analysis.party_name(side)} {sides[side]}" for side in _map_parties(analysis)
                if side in sides) + "), "
            + ("size the number of incidents at the place." if counted
               else "shape and size the escalation rung.")]
    text += _busiest_alt(placed, capitals) if counted else _numbered_alt(analysis, shown, placed, capitals)
    if capitals:
        text.append("Capitals marked: " + ", ".join(c.name for c in capitals) + ".")
    left_out = len(analysis.incidents) - len(shown)
    if left_out:
        text.append(f"Not on the map: {incidents(left_out)} whose place has no coordinates "
                    "or is known only to the country.")
    return " ".join(text)


BUSIEST = 5
"""Places a counted map's description names, the busiest first."""


def _busiest_alt(placed: list[Site], capitals: list[Capital]) -> list[str]:
    busiest = sorted(placed, key=lambda site: -len(site.incidents))[:BUSIEST]
    return ["Busiest places: " + "; ".join(
        f"{_site_name(site.incidents[0], capitals)} ({len(site.incidents)})" for site in busiest) + "."]


def _numbered_alt(analysis: EscalationAnalysis, shown: list[Incident], placed: list[Site],
                  capitals: list[Capital]) -> list[str]:
    keys = analysis.map_keys
    text = []
    rated = [i for i in shown if analysis.rungs[i.id].rung is not None]
    if rated:
        top = max(analysis.rungs[i.id].rung for i in rated)
        name = analysis.rung_name(top)
        at_top: dict[str, list[int]] = {}
        for incident in rated:
            if analysis.rungs[incident.id].rung == top:
                at_top.setdefault(_site_name(incident, capitals), []).append(keys[incident.id])
        text.append(f"Highest rung on the map: rung {top}" + (f" ({name})" if name else "")
                    + ", " + "; ".join(f"{_numbers(numbers)} at {place}"
                                       for place, numbers in at_top.items()) + ".")
    for site in placed:
        if len(site.incidents) > 1:
            numbers = _numbers([keys[i.id] for i in site.incidents])
            names = list(dict.fromkeys(_site_name(i, capitals) for i in site.incidents))
            text.append(f"{numbers[0].upper()}{numbers[1:]} "
                        + (f"happened at one place, {names[0]}." if len(names) == 1 else
                           f"are drawn together, their places being close: {_and(names)}."))
    return text


def _and(words: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _numbers(numbers: list[int]) -> str:
    """[1, 2, 6] -> 'numbers 1, 2 and 6'."""
    return f"number {numbers[0]}" if len(numbers) == 1 else "numbers " + _and(list(map(str, numbers)))


def _site_name(incident: Incident, capitals: list[Capital]) -> str:
    """The capital the incident is at (within the site radius of a 6-degree map), else its
    place as recorded."""
    lon, lat = incident.location.map_point
    near = SITE_RADIUS * MAP_MIN_SPAN
    city = next((c for c in capitals if abs(c.lat - lat) <= near and abs(c.lon - lon) <= near),
                None)
    return city.name if city else incident.location.place


# --- all charts of a briefing -----------------------------------------------------------------

def briefing_charts(analysis: EscalationAnalysis) -> list[Chart]:
    """The tempo and swimlane charts, the map when an incident has a place to mark, then a
    sparkline per actor in the selection; none for a
    briefing with no incidents (its marking may withhold every one), which has nothing to plot."""
    if not analysis.incidents:
        return []
    charts = [tempo_chart(analysis), swimlane_chart(analysis)]
    if mapped(analysis):
        charts.append(map_chart(analysis))
    charts += [activity_sparkline(analysis, actor) for actor in sorted(analysis.activity)]
    return charts
