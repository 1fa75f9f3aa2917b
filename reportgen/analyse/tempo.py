"""Tempo (method rule `tempo`): attacks per ISO week (or day) by party, other events on their
own, casualties per party, and the top rung per period.

An attack (`Incident.is_attack`) counts for the party that carried it out (`parties.py`); every
other incident (a statement, an agreement) counts among `others`, never for a party. Casualties
count for the party that suffered them, each party apart. Every period between the first and
last day appears, empty or not, so week-over-week changes compare neighbours. An incident dated
only to the week or month (`date_precision`) counts in the bucket of its recorded date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from reportgen.analyse.ladder import RungAssessment
from reportgen.analyse.parties import acting_sides
from reportgen.model import casualties
from reportgen.model.actor import Actor
from reportgen.model.common import Period
from reportgen.model.incident import Incident, chronological
from reportgen.model.names import NOT_RECORDED

Granularity = Literal["week", "day"]


@dataclass(frozen=True, slots=True)
class Bucket:
    """One week (Monday to Sunday) or one day."""

    start: dt.date
    end: dt.date
    label: str
    incidents: tuple[str, ...]
    """Every incident of the bucket, attacks and other events."""
    by_side: Mapping[str, tuple[str, ...]]
    """The attacks by acting party (a side, or an actor without one)."""
    others: tuple[str, ...]
    """The other events: statements, announcements, agreements; no party's attacks."""
    killed: Mapping[str, casualties.Range]
    """Killed per party that suffered them (`casualties.party_totals`: never two parties in one number)."""
    injured: Mapping[str, casualties.Range]
    change: int | None
    """Attacks compared with the previous bucket; None for the first."""
    top_rung: int | None
    top_rung_incidents: tuple[str, ...]

    @property
    def count(self) -> int:
        """Attacks in the bucket: what tempo measures."""
        return len(self.incidents) - len(self.others)


@dataclass(frozen=True, slots=True)
class Tempo:
    granularity: Granularity
    sides: tuple[str, ...]
    buckets: tuple[Bucket, ...]

    @property
    def peak(self) -> Bucket | None:
        """The busiest bucket (the earliest of equals); None when nothing happened."""
        busiest = max(self.buckets, key=lambda b: b.count, default=None)
        return busiest if busiest and busiest.count else None

    @property
    def top_rung(self) -> int | None:
        return max((b.top_rung for b in self.buckets if b.top_rung is not None), default=None)


def bucket_start(day: dt.date, granularity: Granularity) -> dt.date:
    return day - dt.timedelta(days=day.weekday()) if granularity == "week" else day


def bucket_label(start: dt.date, granularity: Granularity) -> str:
    if granularity == "day":
        return start.isoformat()
    year, week, _ = start.isocalendar()
    return f"{year}-W{week:02d}"


def sides_in(incidents: Iterable[Incident], actors: dict[str, Actor]) -> tuple[str, ...]:
    """The parties that carried out attacks: sides first, then actors without one, each
    alphabetically; NOT_RECORDED last."""
    found = {side for incident in incidents if incident.is_attack
             for side in acting_sides(incident, actors)}
    sides = {actor.side for actor in actors.values() if actor.side}
    return tuple(sorted(found, key=lambda key: (key == NOT_RECORDED, key not in sides, key)))


def tempo(incidents: Iterable[Incident], actors: dict[str, Actor],
          rungs: Mapping[str, RungAssessment], period: Period | None = None,
          granularity: Granularity = "week") -> Tempo:
    ordered = chronological(incidents)
    sides = sides_in(ordered, actors)
    if period is None and not ordered:
        return Tempo(granularity, sides, ())
    first = period.from_ if period else ordered[0].date
    last = period.to if period else ordered[-1].date
    step = dt.timedelta(days=7 if granularity == "week" else 1)
    grouped: dict[dt.date, list[Incident]] = {}
    for incident in ordered:
        grouped.setdefault(bucket_start(incident.date, granularity), []).append(incident)
    buckets: list[Bucket] = []
    start = bucket_start(first, granularity)
    while start <= last:
        previous = buckets[-1].count if buckets else None
        buckets.append(_bucket(start, start + step - dt.timedelta(days=1), granularity,
                               grouped.get(start, []), sides, actors, rungs, previous))
        start += step
    return Tempo(granularity, sides, tuple(buckets))


def _bucket(start: dt.date, end: dt.date, granularity: Granularity, members: list[Incident],
            sides: tuple[str, ...], actors: dict[str, Actor],
            rungs: Mapping[str, RungAssessment], previous: int | None) -> Bucket:
    by_side: dict[str, list[str]] = {side: [] for side in sides}
    for incident in members:
        for side in acting_sides(incident, actors) if incident.is_attack else ():
            by_side[side].append(incident.id)
    rated = [(rungs[i.id].rung, i.id) for i in members if rungs[i.id].rung is not None]
    top = max((rung for rung, _ in rated), default=None)
    return Bucket(
        start=start, end=end, label=bucket_label(start, granularity),
        incidents=tuple(i.id for i in members),
        by_side={side: tuple(ids) for side, ids in by_side.items()},
        others=tuple(i.id for i in members if not i.is_attack),
        killed=casualties.party_totals(members, "killed"),
        injured=casualties.party_totals(members, "injured"),
        change=None if previous is None else sum(i.is_attack for i in members) - previous,
        top_rung=top,
        top_rung_incidents=tuple(i for rung, i in rated if rung == top),
    )


@dataclass(frozen=True, slots=True)
class ActorActivity:
    """One actor's incidents per bucket, as the acting party and as a target (for sparklines)."""

    actor_id: str
    starts: tuple[dt.date, ...]
    acting: tuple[tuple[str, ...], ...]
    targeted: tuple[tuple[str, ...], ...]

    @property
    def acting_total(self) -> int:
        return sum(len(ids) for ids in self.acting)

    @property
    def targeted_total(self) -> int:
        return sum(len(ids) for ids in self.targeted)


def actor_activity(incidents: Iterable[Incident], series: Tempo) -> dict[str, ActorActivity]:
    """Activity of every actor that acted or was targeted, on the tempo's buckets."""
    starts = tuple(b.start for b in series.buckets)
    index = {start: n for n, start in enumerate(starts)}
    acting: dict[str, list[list[str]]] = {}
    targeted: dict[str, list[list[str]]] = {}
    for incident in chronological(incidents):
        slot = index.get(bucket_start(incident.date, series.granularity))
        if slot is None:
            continue
        for table, ids in ((acting, incident.acting_actor_ids()), (targeted, incident.target_actor_ids())):
            for actor in ids:
                if actor not in acting:
                    acting[actor] = [[] for _ in starts]
                    targeted[actor] = [[] for _ in starts]
                table[actor][slot].append(incident.id)
    return {actor: ActorActivity(actor, starts, tuple(map(tuple, acting[actor])),
                                 tuple(map(tuple, targeted[actor])))
            for actor in sorted(acting)}
