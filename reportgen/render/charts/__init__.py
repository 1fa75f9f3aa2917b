"""SVG charts of an analysis, each with an alt text that says what it shows: the tempo, the
swimlane chronology, an activity sparkline per actor here, the map in `charts.map`; what they
share (style, palette, the `Chart` and its SVG) in `charts.common`.

Sides differ by hatching and lightness, rungs by marker shape and a shade that darkens with the
rung, so every chart reads in greyscale; text is sized from the figure's width, so it stays
legible when the SVG is scaled down to a phone's width. Month names are English regardless of
the locale.
"""

from __future__ import annotations

import math
import textwrap

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, Patch

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.tempo import ActorActivity, bucket_start
from reportgen.analyse.turning_points import TurningPoint
from reportgen.model.casualties import figure_text
from reportgen.model.incident import FigureRange
from reportgen.model.tally import Tally, TallyCount
from reportgen.model.text import MONTHS, counted, day, strip_bidi_controls
from reportgen.render.charts.common import (
    SMALL_FONT,
    STYLE,
    WIDTH,
    Chart,
    _render,
    _svg,
    attacks,
    forget_written,
    incidents,
    rung_style,
    side_styles,
)
from reportgen.render.charts.map import map_chart, mapped
from reportgen.render.filters import capitalize_first, lower_first

__all__ = ["STYLE", "Chart", "activity_scale", "activity_sparkline", "briefing_charts",
           "forget_written", "lane_label", "lanes", "map_chart", "side_styles",
           "swimlane_chart", "tempo_chart", "_svg"]

TALLY_MARKERS = ["D", "o", "s", "^"]
LABEL_DIAMETER = SMALL_FONT * 1.8
"""Points: a circled turning-point number; labels closer than this are spread apart."""
LANE_LABEL_CHARACTERS = 28
"""Where a swimlane's actor name wraps onto its next line (never cut)."""
MAX_LANES = 16

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


# --- all charts of a briefing -----------------------------------------------------------------

def briefing_charts(analysis: EscalationAnalysis) -> list[Chart]:
    """The tempo and swimlane charts, the map (at the page's width and at a phone's) when an
    incident has a place to mark, then a sparkline per actor in the selection; none for a
    briefing with no incidents (its marking may withhold every one), which has nothing to plot."""
    if not analysis.incidents:
        return []
    charts = [tempo_chart(analysis), swimlane_chart(analysis)]
    if mapped(analysis):
        charts += [map_chart(analysis), map_chart(analysis, phone=True)]
    charts += [activity_sparkline(analysis, actor) for actor in sorted(analysis.activity)]
    return charts
