"""Turning points: the incidents where the conflict changed character, in order.

- new-rung: the incident reaches a rung higher than any earlier incident in the period (the
  first rated incident sets the baseline and is not itself a turning point);
- first-fatal: the first incident in the period where some source reports at least one killed
  among a party (a side, an actor without one, civilians, security forces): the party the
  figure names, never the incident's target;
- pause / resumption: an incident tagged `pause` or `resumption` (by convention a "Change to
  group/activity", e.g. a group announcing it suspends or resumes attacks).
One incident can be a turning point for several reasons; it then appears once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from reportgen.analyse.ladder import RungAssessment
from reportgen.analyse.parties import suffered
from reportgen.model.actor import Actor
from reportgen.model.config import Side
from reportgen.model.incident import Incident, chronological
from reportgen.model.names import party_label
from reportgen.model.text import day

Kind = Literal["new-rung", "first-fatal", "pause", "resumption"]
PAUSE_TAGS: tuple[Kind, ...] = ("pause", "resumption")


@dataclass(frozen=True, slots=True)
class TurningPoint:
    number: int
    """1-based, in date order; the charts annotate with it."""
    incident_id: str
    date: dt.date
    title: str
    kinds: tuple[Kind, ...]
    reasons: tuple[str, ...]
    rung: int | None
    parties: tuple[str, ...] = ()
    """For first-fatal: the parties (sides, actor ids, categories) with their first reported deaths."""


def turning_points(incidents: Iterable[Incident], actors: dict[str, Actor],
                   rungs: Mapping[str, RungAssessment],
                   sides: Mapping[str, Side] | None = None) -> tuple[TurningPoint, ...]:
    found: list[TurningPoint] = []
    highest: int | None = None
    fatal_seen: set[str] = set()
    placed_lower: list[Incident] = []
    for incident in chronological(incidents):
        kinds: list[Kind] = []
        reasons: list[str] = []
        assessment = rungs[incident.id]
        rung = assessment.rung
        if rung is not None:
            if highest is not None and rung > highest:
                kinds.append("new-rung")
                reasons.append(f"first incident at rung {rung} ({assessment.name}); "
                               f"the highest before was {highest}"
                               + _met_before(rung, placed_lower, rungs))
            highest = rung if highest is None else max(highest, rung)
            if any(met > rung for met in assessment.met):
                placed_lower.append(incident)
        first_fatal = _first_fatalities(incident, actors, fatal_seen)
        if first_fatal:
            kinds.append("first-fatal")
            reasons.append("first reported deaths: "
                           + ", ".join(party_label(p, actors, sides or {}) for p in first_fatal))
        for tag in PAUSE_TAGS:
            if tag in incident.tags:
                kinds.append(tag)
                reasons.append(f"announced {tag} ({incident.type})")
        if kinds:
            found.append(TurningPoint(len(found) + 1, incident.id, incident.date, incident.title,
                                      tuple(kinds), tuple(reasons), rung, tuple(first_fatal)))
    return tuple(found)


def _met_before(rung: int, placed_lower: list[Incident],
                rungs: Mapping[str, RungAssessment]) -> str:
    """Earlier incidents that met this rung's rules but an analyst placed lower: named, so that
    'first at rung 5' never silently contradicts an earlier turning point."""
    earlier = [i for i in placed_lower if rung in rungs[i.id].met]
    if not earlier:
        return ""
    named = "; ".join(f"{i.title} ({day(i.date)})" for i in earlier)
    return f" (earlier, the analyst placed below it: {named}, which met its rules)"


def _first_fatalities(incident: Incident, actors: dict[str, Actor], seen: set[str]) -> list[str]:
    new = [p for p in suffered(incident, "killed", actors) if p not in seen]
    seen.update(new)
    return new
