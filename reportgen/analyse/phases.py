"""Phases of the conflict as the report config names them, with figures for each."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reportgen.analyse.chains import ResponseLink
from reportgen.analyse.ladder import RungAssessment
from reportgen.analyse.parties import acting_sides
from reportgen.analyse.turning_points import TurningPoint
from reportgen.model import casualties
from reportgen.model.actor import Actor
from reportgen.model.config import Phase
from reportgen.model.incident import Incident, chronological


@dataclass(frozen=True, slots=True)
class PhaseStats:
    name: str
    start: dt.date
    end: dt.date
    note: str | None
    incidents: tuple[str, ...]
    by_side: Mapping[str, tuple[str, ...]]
    killed: Mapping[str, casualties.Range]
    """Per party that suffered them, as in tempo."""
    injured: Mapping[str, casualties.Range]
    top_rung: int | None
    top_rung_incidents: tuple[str, ...]
    responses: tuple[ResponseLink, ...]
    """Links whose response falls in the phase."""
    turning_points: tuple[int, ...]
    """Numbers of the turning points in the phase."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def per_week(self) -> float:
        return round(len(self.incidents) * 7 / self.days, 1)

    @property
    def median_response_days(self) -> float | None:
        days = [link.days for link in self.responses]
        return statistics.median(days) if days else None


def phase_stats(phases: Iterable[Phase], incidents: Iterable[Incident], actors: dict[str, Actor],
                rungs: Mapping[str, RungAssessment], links: Iterable[ResponseLink],
                points: Iterable[TurningPoint]) -> tuple[PhaseStats, ...]:
    ordered, links, points = chronological(incidents), list(links), list(points)
    dates = {incident.id: incident.date for incident in ordered}
    return tuple(_stats(phase, ordered, actors, rungs, links, points, dates) for phase in phases)


def unphased(phases: Iterable[Phase], incidents: Iterable[Incident]) -> tuple[str, ...]:
    """Incidents that fall in no phase (only meaningful when phases are defined)."""
    spans = [(p.from_, p.to) for p in phases]
    return tuple(i.id for i in chronological(incidents)
                 if spans and not any(a <= i.date <= b for a, b in spans))


def _stats(phase: Phase, ordered: list[Incident], actors: dict[str, Actor],
           rungs: Mapping[str, RungAssessment], links: list[ResponseLink],
           points: list[TurningPoint], dates: dict[str, dt.date]) -> PhaseStats:
    members = [i for i in ordered if phase.from_ <= i.date <= phase.to]
    by_side: dict[str, list[str]] = {}
    for incident in members:
        for side in acting_sides(incident, actors):
            by_side.setdefault(side, []).append(incident.id)
    rated = [(rungs[i.id].rung, i.id) for i in members if rungs[i.id].rung is not None]
    top = max((rung for rung, _ in rated), default=None)
    return PhaseStats(
        name=phase.name, start=phase.from_, end=phase.to, note=phase.note,
        incidents=tuple(i.id for i in members),
        by_side={side: tuple(ids) for side, ids in sorted(by_side.items())},
        killed=casualties.party_totals(members, "killed"),
        injured=casualties.party_totals(members, "injured"),
        top_rung=top,
        top_rung_incidents=tuple(i for rung, i in rated if rung == top),
        responses=tuple(k for k in links if phase.from_ <= dates[k.response] <= phase.to),
        turning_points=tuple(p.number for p in points if phase.from_ <= p.date <= phase.to),
    )
