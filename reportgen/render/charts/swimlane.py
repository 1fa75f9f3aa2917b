"""The swimlane chronology: one lane per actor that carried out incidents, each incident a
marker whose shape and shade give its rung, arrows joining an action to the response to it."""

from __future__ import annotations

import math
import textwrap

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch

from reportgen.analyse import EscalationAnalysis
from reportgen.model.text import MONTHS
from reportgen.render.charts.chart import Chart
from reportgen.render.charts.common import (
    WIDTH,
    _render,
    actor_name,
    incidents,
    rung_style,
)

LANE_LABEL_CHARACTERS = 28
"""Where a swimlane's actor name wraps onto its next line (never cut)."""
MAX_LANES = 16


def draw(analysis: EscalationAnalysis) -> list[Chart]:
    return [swimlane_chart(analysis)]


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
        return (known.side or "~" if known else "~", actor_name(analysis, actor).casefold(), actor)
    return sorted(busiest, key=order)


def lane_label(analysis: EscalationAnalysis, actor: str) -> str:
    """An actor's whole name on as few lines as LANE_LABEL_CHARACTERS allows, of even length
    (a long word stays whole on its own line): the lane's label, never cut."""
    name = actor_name(analysis, actor)
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
            + ", ".join(f"{actor_name(analysis, a)} {counts[a]}" for a in shown) + ")"
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
