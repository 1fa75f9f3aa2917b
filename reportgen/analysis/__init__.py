"""Escalation analysis as data: rungs, chains, tempo, turning points, phases, changes.

Everything here returns plain (frozen) dataclasses that keep the incident ids behind every
figure, so a template can show a number and link to the incidents it counts. Charts are made
from the same data in `reportgen.analysis.charts` (imported separately: it loads matplotlib).

    from reportgen.analysis import analyse_report
    analysis = analyse_report(project, report, incidents, build_dir=root / "build")
    analysis.rungs["2024-02-07-baghdad-drone-strike"].explanation
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model.actor import Actor
from ..model.common import Period
from ..model.config import Phase, Report, Rung
from ..model.incident import Incident
from ..model.project import Project
from .chains import Chain, Chains, Dyad, ResponseLink, analyse_chains
from .changes import Changes, changes_since, write_issue_manifest
from .ladder import RungAssessment, assess_all
from .parties import chronological
from .phases import PhaseStats, phase_stats, unphased
from .tempo import ActorActivity, Bucket, Granularity, Tempo, actor_activity, tempo
from .turning_points import TurningPoint, turning_points

__all__ = [
    "ActorActivity",
    "Bucket",
    "Chain",
    "Chains",
    "Changes",
    "Dyad",
    "EscalationAnalysis",
    "PhaseStats",
    "ResponseLink",
    "RungAssessment",
    "Tempo",
    "TurningPoint",
    "analyse",
    "analyse_report",
    "changes_since",
    "write_issue_manifest",
]


@dataclass(frozen=True, slots=True)
class EscalationAnalysis:
    incidents: tuple[Incident, ...]
    """The analysed selection, oldest first."""
    actors: Mapping[str, Actor]
    ladder: tuple[Rung, ...]
    period: Period | None
    rungs: Mapping[str, RungAssessment]
    chains: Chains
    tempo: Tempo
    turning_points: tuple[TurningPoint, ...]
    phases: tuple[PhaseStats, ...]
    unphased: tuple[str, ...]
    activity: Mapping[str, ActorActivity]
    changes: Changes | None = None

    def rung_name(self, rung: int | None) -> str | None:
        return next((r.name for r in self.ladder if r.rung == rung), None)


def analyse(incidents: Iterable[Incident], actors: Mapping[str, Actor], ladder: Iterable[Rung],
            *, period: Period | None = None, phases: Iterable[Phase] = (),
            granularity: Granularity = "week", changes: Changes | None = None
            ) -> EscalationAnalysis:
    """Analyse a selection of incidents (already filtered for the report)."""
    ordered = tuple(chronological(incidents))
    actors, ladder, phases = dict(actors), tuple(sorted(ladder, key=lambda r: r.rung)), list(phases)
    rungs = assess_all(ordered, list(ladder), actors)
    chains = analyse_chains(ordered)
    series = tempo(ordered, actors, rungs, period, granularity)
    points = turning_points(ordered, actors, rungs)
    return EscalationAnalysis(
        incidents=ordered, actors=actors, ladder=ladder, period=period, rungs=rungs,
        chains=chains, tempo=series, turning_points=points,
        phases=phase_stats(phases, ordered, actors, rungs, chains.links, points),
        unphased=unphased(phases, ordered),
        activity=actor_activity(ordered, series),
        changes=changes,
    )


def analyse_report(project: Project, report: Report, incidents: Iterable[Incident], *,
                   build_dir: Path | None = None, since: dt.date | None = None,
                   granularity: Granularity = "week") -> EscalationAnalysis:
    """The analysis a report's briefing shows; `since` overrides `report.previous_issue`."""
    selected = list(incidents)
    since = since or report.previous_issue
    changes = None
    if since is not None:
        changes = changes_since(build_dir or project.root / "build", report, selected,
                                project.incidents, since)
    ladder = project.config.escalation_ladder if project.config else []
    return analyse(selected, project.actors, ladder, period=report.period, phases=report.phases,
                   granularity=granularity, changes=changes)
