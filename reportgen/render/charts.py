"""SVG charts of an analysis, each with an alt text that says what it shows.

Charts are drawn with matplotlib's object API (a `Figure` per chart, no pyplot state, so
parallel builds cannot interfere) and saved as SVG. They are deterministic: a fixed
`svg.hashsalt` makes the element ids stable, `metadata={"Date": None}` drops the timestamp, and
text is set in DejaVu Sans, the font matplotlib bundles (its own copy wins over a system copy,
so glyph shapes do not depend on the machine). Text is written as glyph paths
(`svg.fonttype: path`), not as `<text>`: the SVG is shown through `<img>`, where it cannot use
the page's fonts, and a reader's phone may have no DejaVu Sans at all; paths look the same
everywhere (browsers, WeasyPrint) at the cost of a larger file, and the alt text carries the
words for screen readers. Sides differ by hatching and lightness, rungs by marker shape, so
every chart reads in greyscale. Month names are English regardless of the locale.
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO

import matplotlib
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch, Polygon
from matplotlib.transforms import offset_copy

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.capitals import CAPITALS, Capital
from reportgen.analyse.parties import acting_sides
from reportgen.analyse.tempo import ActorActivity, bucket_start
from reportgen.analyse.turning_points import TurningPoint
from reportgen.model.casualties import figure_text
from reportgen.model.common import country_name
from reportgen.model.config import Side
from reportgen.model.incident import Incident
from reportgen.model.names import NO_SIDE
from reportgen.model.text import MONTHS, day, strip_bidi_controls
from reportgen.render.boundaries import Extent, borders, land_and_lakes
from reportgen.render.filters import lower_first

STYLE = {
    "svg.hashsalt": "reportgen",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "text.parse_math": False,
    "text.usetex": False,
    "hatch.linewidth": 0.6,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
}
SIDE_STYLES = [("#1f3b73", ""), ("#f2b36b", "////"), ("#7f7f7f", "xxxx"), ("#ffffff", "\\\\\\\\"),
               ("#bcd4e6", "||||"), ("#4d4d4d", "++")]
NO_SIDE_STYLE = ("#e6e6e6", "----")  # dots would cost ~250 kB of tiny circles
RUNG_MARKERS = ["o", "s", "^", "D", "v", "p", "h", "*", "X", "P", "<", ">"]
MAX_LANES = 16
WIDTH = 7.0


@dataclass(frozen=True, slots=True)
class Chart:
    name: str
    """File stem: tempo, swimlane, activity-<actor id>."""
    title: str
    svg: bytes
    alt: str


def incidents(count: int) -> str:
    return f"{count} incident" + "s" * (count != 1)


def side_styles(sides: Iterable[str], declared: Mapping[str, Side]) -> dict[str, tuple[str, str]]:
    """(colour, hatch) per side: the colour the config gives the side, else the palette's."""
    named = [s for s in sides if s != NO_SIDE]
    styles = {}
    for n, side in enumerate(named):
        colour, hatch = SIDE_STYLES[n % len(SIDE_STYLES)]
        own = declared[side].colour if side in declared else None
        styles[side] = (own or colour, hatch)
    return styles | {NO_SIDE: NO_SIDE_STYLE}


def _svg(figure: Figure, title: str, alt: str) -> bytes:
    buffer = BytesIO()
    figure.savefig(buffer, format="svg",
                   metadata={"Date": None, "Title": title, "Description": strip_bidi_controls(alt)})
    return buffer.getvalue()


def _render(draw, *args) -> tuple[bytes, str]:
    """Run a drawing function under the fixed style; it returns (figure, title, alt)."""
    with matplotlib.rc_context(STYLE):
        figure, title, alt = draw(*args)
        return _svg(figure, title, alt), alt


# --- (1) weekly tempo by side, highest rung, turning points -----------------------------------

def tempo_chart(analysis: EscalationAnalysis) -> Chart:
    title = f"Incidents per {analysis.tempo.granularity} by side, with the highest escalation rung"
    svg, alt = _render(_draw_tempo, analysis, title)
    return Chart("tempo", title, svg, alt)


def _draw_tempo(analysis: EscalationAnalysis, title: str):
    series = analysis.tempo
    buckets = series.buckets
    figure = Figure(figsize=(WIDTH, 3.4), layout="constrained")
    axes = figure.add_subplot()
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
                             label=analysis.party_name(side)))
    axes.set_ylabel(f"incidents per {series.granularity}")
    axes.set_ylim(0, max(bottom, default=0) * 1.25 + 1)
    axes.yaxis.get_major_locator().set_params(integer=True)
    _bucket_ticks(axes, buckets)
    handles += _rung_line(axes, analysis)
    handles += _mark_turning_points(axes, analysis)
    handles += _mark_tallies(axes, analysis)
    figure.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 3))
    return figure, title, _tempo_alt(analysis)


def _bucket_ticks(axes, buckets) -> None:
    step = max(1, math.ceil(len(buckets) / 12))
    ticks = list(range(0, len(buckets), step))
    labels, year = [], None
    for index in ticks:
        start = buckets[index].start
        label = f"{start.day} {MONTHS[start.month - 1]}"
        labels.append(f"{label}\n{start.year}" if start.year != year else label)
        year = start.year
    axes.set_xticks(ticks, labels)
    axes.set_xlim(-0.6, max(len(buckets) - 0.4, 0.6))


def _rung_line(axes, analysis: EscalationAnalysis) -> list:
    if not analysis.ladder:
        return []
    rung_axes = axes.twinx()
    rung_axes.spines["right"].set_visible(True)
    points = [(n, b.top_rung) for n, b in enumerate(analysis.tempo.buckets) if b.top_rung is not None]
    rung_axes.plot([n for n, _ in points], [r for _, r in points], color="black", linestyle="--",
                   linewidth=0.9, marker="s", markersize=3.5, markerfacecolor="white")
    rungs = [r.rung for r in analysis.ladder]
    rung_axes.set_ylim(min(rungs) - 0.5, max(rungs) + 1.5)
    rung_axes.set_yticks(rungs)
    rung_axes.set_ylabel(f"highest rung that {analysis.tempo.granularity}")
    return [Line2D([], [], color="black", linestyle="--", marker="s", markersize=3.5,
                   markerfacecolor="white", label="highest rung")]


def _mark_turning_points(axes, analysis: EscalationAnalysis) -> list:
    index = {b.start: n for n, b in enumerate(analysis.tempo.buckets)}
    grouped: dict[int, list[str]] = {}
    for point in analysis.turning_points:
        slot = index.get(bucket_start(point.date, analysis.tempo.granularity))
        if slot is not None:
            grouped.setdefault(slot, []).append(str(point.number))
    top = axes.get_ylim()[1]
    for slot, numbers in sorted(grouped.items()):
        axes.axvline(slot, color="0.3", linestyle=":", linewidth=0.7)
        axes.annotate(",".join(numbers), (slot, top), xytext=(0, -2), textcoords="offset points",
                      ha="center", va="top", fontsize=6.5,
                      bbox={"boxstyle": "circle,pad=0.25", "facecolor": "white",
                            "edgecolor": "black", "linewidth": 0.5})
    if not grouped:
        return []
    return [Line2D([], [], color="0.3", linestyle=":", label="turning point (numbered)")]


def _mark_tallies(axes, analysis: EscalationAnalysis) -> list:
    """An official count written above the week it was given for, never drawn as bars: the
    bars are the curated incidents, the numbers what a named body counted."""
    index = {bucket.start: n for n, bucket in enumerate(analysis.tempo.buckets)}
    marked = False
    for tally in analysis.tallies:
        for count in tally.counts:
            slot = index.get(bucket_start(count.date, analysis.tempo.granularity))
            if slot is None:
                continue
            axes.annotate(figure_text(count.count), (slot, 0.8), xycoords=("data", "axes fraction"),
                          ha="center", va="bottom", fontsize=6, style="italic", color="0.25")
            axes.plot([slot], [0.78], transform=axes.get_xaxis_transform(), marker="v",
                      markersize=3, color="0.25", linestyle="none")
            marked = True
    if not marked:
        return []
    return [Line2D([], [], color="0.25", marker="v", markersize=3, linestyle="none",
                   label="official count (see text)")]


def _tempo_alt(analysis: EscalationAnalysis) -> str:
    series = analysis.tempo
    if not series.buckets:
        return "Bar chart of incidents by side: no incidents in the period."
    unit = series.granularity
    first, last = series.buckets[0].start, series.buckets[-1].end
    counts = {side: sum(len(b.by_side.get(side, ())) for b in series.buckets)
              for side in series.sides}
    total = sum(b.count for b in series.buckets)
    text = [f"Bar chart of incidents per {unit} by acting side, {day(first)} to {day(last)} "
            f"({len(series.buckets)} {unit}s): {incidents(total)}"
            + (" (" + ", ".join(f"{analysis.party_name(side)} {n}" for side, n in counts.items())
               + ")." if counts else ".")]
    peak = series.peak
    if peak:
        text.append(f"Busiest {unit}: {unit} of {day(peak.start)} with {incidents(peak.count)}.")
    top = series.top_rung
    if top is not None:
        when = next(b for b in series.buckets if b.top_rung == top)
        text.append(f"The line shows the highest escalation rung each {unit}; it first reaches "
                    f"its peak, rung {top} ({analysis.rung_name(top)}), in the {unit} of "
                    f"{day(when.start)}.")
    for tally in analysis.tallies:
        text.append(f"Numbers above the bars: {tally.counted_by}'s running count of "
                    f"{lower_first(tally.title)}: " + ", ".join(
                        f"{figure_text(c.count)} by {day(c.date)}" for c in tally.counts) + ".")
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


def _name(analysis: EscalationAnalysis, actor: str, limit: int = 34) -> str:
    known = analysis.actors.get(actor)
    name = strip_bidi_controls(known.name) if known else actor
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _draw_swimlane(analysis: EscalationAnalysis, title: str):
    shown = lanes(analysis)
    row = {actor: n for n, actor in enumerate(reversed(shown))}
    figure = Figure(figsize=(WIDTH, 1.3 + 0.34 * max(len(shown), 1)), layout="constrained")
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
                              label="responds to"))
    axes.set_yticks(range(len(shown)), [_name(analysis, a) for a in reversed(shown)])
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


def _rung_look(analysis: EscalationAnalysis, rung: int | None) -> tuple[str, str, float, str]:
    """(marker, grey, size, label) of a rung: shape, shade and size grow up the ladder, so a
    rung reads without colour (swimlane, map)."""
    if rung is None:
        return ".", "0.5", 20, "unrated"
    rungs = [r.rung for r in analysis.ladder]
    low, high = (min(rungs), max(rungs)) if rungs else (0, 1)
    share = (rung - low) / max(high - low, 1)
    return (RUNG_MARKERS[rung % len(RUNG_MARKERS)], str(round(0.9 - 0.8 * share, 2)),
            22 + 28 * share, f"rung {rung}")


def _rung_markers(axes, analysis: EscalationAnalysis, by_rung) -> list:
    handles = []
    for rung in sorted(by_rung, key=lambda r: -1 if r is None else r):
        points = by_rung[rung]
        marker, grey, size, label = _rung_look(analysis, rung)
        axes.scatter([x for x, _ in points], [y for _, y in points], marker=marker, s=size,
                     facecolor=grey, edgecolor="black", linewidth=0.5, zorder=3)
        handles.append(Line2D([], [], linestyle="", marker=marker, markersize=math.sqrt(size),
                              markerfacecolor=grey, markeredgecolor="black",
                              markeredgewidth=0.5, label=label))
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
            + ", ".join(f"{_name(analysis, a, 60)} {counts[a]}" for a in shown) + ")"
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
    title = f"{_name(analysis, actor_id, 200)}: incidents per {analysis.tempo.granularity}"
    svg, alt = _render(_draw_sparkline, analysis, activity, title)
    return Chart(f"activity-{actor_id}", title, svg, alt)


def _draw_sparkline(analysis: EscalationAnalysis, activity: ActorActivity, title: str):
    acting = [len(ids) for ids in activity.acting]
    targeted = [len(ids) for ids in activity.targeted]
    figure = Figure(figsize=(2.4, 0.55))
    axes = figure.add_axes((0.02, 0.12, 0.96, 0.8))
    positions = list(range(len(acting)))
    axes.fill_between(positions, acting, step="mid", color="#1f3b73", linewidth=0)
    axes.step(positions, targeted, where="mid", color="black", linestyle="--", linewidth=0.8)
    if acting and max(acting):
        peak = acting.index(max(acting))
        axes.plot([peak], [acting[peak]], marker="o", markersize=3, color="black")
    axes.set_ylim(0, max([1, *acting, *targeted]) * 1.15)
    axes.set_xlim(-0.5, max(len(acting) - 0.5, 0.5))
    axes.set_axis_off()
    return figure, title, _sparkline_alt(analysis, activity)


def _sparkline_alt(analysis: EscalationAnalysis, activity: ActorActivity) -> str:
    unit = analysis.tempo.granularity
    name = _name(analysis, activity.actor_id, 200)
    if not activity.starts:
        return f"{name}: no activity in the period."
    text = [f"{name}, incidents per {unit} from {day(activity.starts[0])} to "
            f"{day(analysis.tempo.buckets[-1].end)}: {activity.acting_total} as the acting "
            f"party (filled area), {activity.targeted_total} as a target (dashed line)."]
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
"""Points between the markers of one site, set in a row to the right of it."""
LEGEND_LINE = 26
"""Characters per line of a map legend entry: two columns fit the map's width."""


@dataclass(frozen=True, slots=True)
class Site:
    """Where one or more incidents happened, with their markers in chronological order."""

    lon: float
    lat: float
    incidents: tuple[Incident, ...]


def map_chart(analysis: EscalationAnalysis) -> Chart:
    title = "Map of the period's incidents, numbered as in the chronology"
    svg, alt = _render(_draw_map, analysis, title)
    return Chart("map", title, svg, alt)


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


def sites(incidents: Iterable[Incident], extent: Extent) -> list[Site]:
    """Incidents grouped by where they happened: each joins the first site within
    SITE_RADIUS of the map's height (several strikes on one base stay apart and readable)."""
    radius = SITE_RADIUS * (extent.north - extent.south)
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
    _draw_capitals(axes, capitals)
    placed = sites(shown, extent)
    handles = _draw_sites(figure, axes, analysis, placed)
    _graticule(axes, extent)
    _scale_bar(axes, extent)
    axes.annotate("N", (0.95, 0.97), xytext=(0.95, 0.86), xycoords="axes fraction",
                  textcoords="axes fraction", ha="center", va="top", fontsize=8,
                  fontweight="bold", path_effects=HALO,
                  arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.8})
    handles += _map_furniture(capitals, placed)
    labels = [textwrap.fill((h[0] if isinstance(h, tuple) else h).get_label(), LEGEND_LINE)
              for h in handles]
    figure.legend(handles, labels, loc="outside lower center", ncol=2, fontsize=8.5,
                  columnspacing=1.0, handletextpad=0.4)
    half = math.ceil(len(labels) / 2)
    lines = max(sum(label.count("\n") + 1 for label in column)
                for column in (labels[:half], labels[half:]))
    figure.set_figheight(height + below + LEGEND_ROW * lines)
    return figure, title, _map_alt(analysis, shown, placed, capitals)


def _draw_ground(axes, extent: Extent) -> None:
    """Land over sea, lakes over land (GSHHG levels alternate), then the borders on top."""
    for level, polygon in land_and_lakes(extent):
        axes.add_patch(Polygon(polygon, closed=True, facecolor=GROUND if level % 2 else SEA,
                               edgecolor=COAST, linewidth=0.4, zorder=1))
    for n, line in enumerate(borders(extent), start=1):
        axes.plot(line[:, 0], line[:, 1], color=BORDER, linewidth=0.8, zorder=2, gid=f"border-{n}")


def _draw_capitals(axes, capitals: list[Capital]) -> None:
    for city in capitals:
        axes.plot([city.lon], [city.lat], marker="o", markersize=5.5, markerfacecolor="white",
                  markeredgecolor="black", markeredgewidth=0.8, zorder=4)
        axes.plot([city.lon], [city.lat], marker="o", markersize=1.8, color="black", zorder=4)
        axes.annotate(city.name, (city.lon, city.lat), xytext=(0, -5), textcoords="offset points",
                      ha="center", va="top", fontsize=8, style="italic", path_effects=HALO,
                      zorder=6)


def _draw_sites(figure, axes, analysis: EscalationAnalysis, placed: list[Site]) -> list:
    """A marker per incident (colour: acting side; shape and size: rung), numbered; the
    incidents of a site in a row to its right, joined to it by a line. Returns the legend's
    side and rung entries, for what the map shows."""
    styles = side_styles(analysis.tempo.sides, analysis.sides)
    keys = analysis.map_keys
    sides, rungs = set(), set()
    for site in placed:
        crowded = len(site.incidents) > 1
        if crowded:
            axes.annotate("", (site.lon, site.lat), xytext=(ROW * len(site.incidents), 0),
                          textcoords="offset points", zorder=6,
                          arrowprops={"arrowstyle": "-", "color": "black", "linewidth": 0.6,
                                      "shrinkA": 0, "shrinkB": 0})
            axes.plot([site.lon], [site.lat], marker="o", markersize=2.5, color="black", zorder=6)
        for n, incident in enumerate(site.incidents):
            side = _map_side(analysis, incident)
            rung = analysis.rungs[incident.id].rung
            sides.add(side)
            rungs.add(rung)
            marker, _, size, _ = _rung_look(analysis, rung)
            shift = ROW * (n + 1) if crowded else 0
            axes.scatter([site.lon], [site.lat], marker=marker, s=size * 1.8,
                         facecolor=styles[side][0], edgecolor="black", linewidth=0.6, zorder=7,
                         gid=f"marker-{keys[incident.id]}",
                         transform=offset_copy(axes.transData, figure, x=shift, units="points"))
            axes.annotate(str(keys[incident.id]), (site.lon, site.lat),
                          xytext=(shift, 6) if crowded else (5, 5), textcoords="offset points",
                          ha="center" if crowded else "left", va="bottom", fontsize=9,
                          fontweight="bold", path_effects=HALO, zorder=8)
    handles = [Line2D([], [], linestyle="", marker="o", markersize=7,
                      markerfacecolor=styles[side][0], markeredgecolor="black",
                      markeredgewidth=0.6, label=analysis.party_name(side))
               for side in styles if side in sides]
    for rung in sorted(rungs, key=lambda r: -1 if r is None else r):
        marker, _, size, label = _rung_look(analysis, rung)
        name = analysis.rung_name(rung)
        handles.append(Line2D([], [], linestyle="", marker=marker, markersize=math.sqrt(size * 1.8),
                              markerfacecolor="white", markeredgecolor="black",
                              markeredgewidth=0.6, label=f"{label}: {name}" if name else label))
    return handles


def _map_side(analysis: EscalationAnalysis, incident: Incident) -> str:
    """The side a marker is coloured by: the acting side, the first in name order when an
    incident was carried out by several (a marker has one colour)."""
    return acting_sides(incident, analysis.actors)[0]


def _map_furniture(capitals: list[Capital], placed: list[Site]) -> list:
    handles = [Line2D([], [], color=BORDER, linewidth=0.8, label="international border")]
    if capitals:
        handles.append((Line2D([], [], linestyle="", marker="o", markersize=5.5,
                               markerfacecolor="white", markeredgecolor="black",
                               markeredgewidth=0.8, label="capital"),
                        Line2D([], [], linestyle="", marker="o", markersize=1.8, color="black")))
    if any(len(site.incidents) > 1 for site in placed):
        handles.append(Line2D([], [], color="black", linewidth=0.6, marker="o", markersize=2.5,
                              markevery=[0], label="several incidents at one place"))
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
             capitals: list[Capital]) -> str:
    keys = analysis.map_keys
    countries = Counter(country_name(i.location.country) for i in shown)
    sides = Counter(_map_side(analysis, i) for i in shown)
    text = [f"Map of {len(shown)} of the period's {incidents(len(analysis.incidents))}, "
            "numbered as in the chronology: " + ", ".join(
                f"{n} in {country}" for country, n in sorted(countries.items())) + ".",
            "Marker colour gives the acting side (" + ", ".join(
                f"{analysis.party_name(side)} {sides[side]}" for side in analysis.tempo.sides
                if side in sides) + "), shape and size the escalation rung."]
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
            text.append(f"{numbers[0].upper()}{numbers[1:]} happened at one place, "
                        f"{_site_name(site.incidents[0], capitals)}.")
    if capitals:
        text.append("Capitals marked: " + ", ".join(c.name for c in capitals) + ".")
    left_out = len(analysis.incidents) - len(shown)
    if left_out:
        text.append(f"Not on the map: {incidents(left_out)} whose place has no coordinates "
                    "or is known only to the country.")
    return " ".join(text)


def _numbers(numbers: list[int]) -> str:
    """[1, 2, 6] -> 'numbers 1, 2 and 6'."""
    if len(numbers) == 1:
        return f"number {numbers[0]}"
    return f"numbers {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


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
