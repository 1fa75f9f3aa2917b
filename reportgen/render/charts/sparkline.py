"""An activity sparkline per actor: its incidents per week as the acting party and as a target,
on one scale shared by every actor."""

from __future__ import annotations

from matplotlib.figure import Figure

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.tempo import ActorActivity
from reportgen.model.text import day
from reportgen.render.charts.chart import Chart
from reportgen.render.charts.common import SMALL_FONT, _render, actor_name


def draw(analysis: EscalationAnalysis) -> list[Chart]:
    """One sparkline per actor in the selection, by id."""
    return [activity_sparkline(analysis, actor) for actor in sorted(analysis.activity)]


def activity_sparkline(analysis: EscalationAnalysis, actor_id: str) -> Chart:
    activity = analysis.activity[actor_id]
    title = f"{actor_name(analysis, actor_id)}: incidents per {analysis.tempo.granularity}"
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
    name = actor_name(analysis, activity.actor_id)
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
