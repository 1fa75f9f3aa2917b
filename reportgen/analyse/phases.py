"""Phases of the conflict as the report config names them, with figures for each (method rules
`tempo`, `sums` and `responses`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reportgen.analyse.chains import Response, median_days
from reportgen.analyse.ladder import RungAssessment
from reportgen.analyse.parties import acting_sides
from reportgen.analyse.tempo import sides_in
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
    """Every incident of the phase, attacks and other events."""
    by_side: Mapping[str, tuple[str, ...]]
    """The attacks by acting party."""
    others: tuple[str, ...]
    """The other events (statements, agreements): no party's attacks."""
    killed: Mapping[str, casualties.Range]
    """Per party that suffered them, as in tempo."""
    injured: Mapping[str, casualties.Range]
    top_rung: int | None
    top_rung_incidents: tuple[str, ...]
    responses: tuple[Response, ...]
    """Responses (method rule `responses`) dated in the phase."""
    turning_points: tuple[int, ...]
    """Numbers of the turning points in the phase."""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def attacks(self) -> int:
        return len(self.incidents) - len(self.others)

    @property
    def per_week(self) -> float:
        """Attacks times 7 over the phase's days, to one decimal (method rule `tempo`)."""
        return round(self.attacks * 7 / self.days, 1)

    @property
    def median_response_days(self) -> float | None:
        return median_days(self.responses)


def phase_stats(phases: Iterable[Phase], incidents: Iterable[Incident], actors: dict[str, Actor],
                rungs: Mapping[str, RungAssessment], responses: Iterable[Response],
                points: Iterable[TurningPoint]) -> tuple[PhaseStats, ...]:
    ordered, responses, points = chronological(incidents), list(responses), list(points)
    return tuple(_stats(phase, ordered, actors, rungs, responses, points) for phase in phases)


def unphased(phases: Iterable[Phase], incidents: Iterable[Incident]) -> tuple[str, ...]:
    """Incidents that fall in no phase (only meaningful when phases are defined)."""
    spans = [(p.from_, p.to) for p in phases]
    return tuple(i.id for i in chronological(incidents)
                 if spans and not any(a <= i.date <= b for a, b in spans))


def _stats(phase: Phase, ordered: list[Incident], actors: dict[str, Actor],
           rungs: Mapping[str, RungAssessment], responses: list[Response],
           points: list[TurningPoint]) -> PhaseStats:
    members = [i for i in ordered if phase.from_ <= i.date <= phase.to]
    by_side: dict[str, list[str]] = {}
    for incident in members:
        for side in acting_sides(incident, actors) if incident.is_attack else ():
            by_side.setdefault(side, []).append(incident.id)
    rated = [(rungs[i.id].rung, i.id) for i in members if rungs[i.id].rung is not None]
    top = max((rung for rung, _ in rated), default=None)
    return PhaseStats(
        name=phase.name, start=phase.from_, end=phase.to, note=phase.note,
        incidents=tuple(i.id for i in members),
        by_side={side: tuple(by_side[side]) for side in sides_in(members, actors)},
        others=tuple(i.id for i in members if not i.is_attack),
        killed=casualties.party_totals(members, "killed"),
        injured=casualties.party_totals(members, "injured"),
        top_rung=top,
        top_rung_incidents=tuple(i for rung, i in rated if rung == top),
        responses=tuple(r for r in responses if phase.from_ <= r.date <= phase.to),
        turning_points=tuple(p.number for p in points if phase.from_ <= p.date <= phase.to),
    )
