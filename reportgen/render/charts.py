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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from io import BytesIO

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.tempo import ActorActivity, bucket_start
from reportgen.analyse.turning_points import TurningPoint
from reportgen.model.casualties import figure_text
from reportgen.model.config import Side
from reportgen.model.names import NO_SIDE
from reportgen.model.text import MONTHS, day, strip_bidi_controls
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


def _rung_markers(axes, analysis: EscalationAnalysis, by_rung) -> list:
    rungs = [r.rung for r in analysis.ladder]
    low, high = (min(rungs), max(rungs)) if rungs else (0, 1)
    handles = []
    for rung in sorted(by_rung, key=lambda r: -1 if r is None else r):
        points = by_rung[rung]
        if rung is None:
            marker, grey, size, label = ".", "0.5", 20, "unrated"
        else:
            share = (rung - low) / max(high - low, 1)
            marker = RUNG_MARKERS[rung % len(RUNG_MARKERS)]
            grey, size = str(round(0.9 - 0.8 * share, 2)), 22 + 28 * share
            label = f"rung {rung}"
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


# --- all charts of a briefing -----------------------------------------------------------------

def briefing_charts(analysis: EscalationAnalysis) -> list[Chart]:
    """The tempo and swimlane charts, then a sparkline per actor in the selection; none for a
    briefing with no incidents (its marking may withhold every one), which has nothing to plot."""
    if not analysis.incidents:
        return []
    charts = [tempo_chart(analysis), swimlane_chart(analysis)]
    charts += [activity_sparkline(analysis, actor) for actor in sorted(analysis.activity)]
    return charts
