"""Escalation analysis as data: rungs, chains, tempo, turning points, phases, changes.

Everything here returns plain (frozen) dataclasses that keep the incident ids behind every
figure, so a template can show a number and link to the incidents it counts. Charts are made
from the same data in `reportgen.render.charts` (imported separately: it loads matplotlib).

    from reportgen.analyse import analyse_report
    from reportgen.select import select
    analysis = analyse_report(select(project, report))
    analysis.rungs["2024-02-07-baghdad-drone-strike"].explanation
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reportgen.analyse.chains import Chain, Chains, Dyad, Response, ResponseLink, analyse_chains
from reportgen.analyse.changes import Changes, IssueManifest, changes_since, compared_date
from reportgen.analyse.ladder import RungAssessment, assess_all
from reportgen.analyse.parties import party
from reportgen.analyse.phases import PhaseStats, phase_stats, unphased
from reportgen.analyse.places import Places, map_places
from reportgen.analyse.tempo import ActorActivity, Bucket, Granularity, Tempo, actor_activity, tempo
from reportgen.analyse.turning_points import TurningPoint, turning_points
from reportgen.model.actor import Actor
from reportgen.model.casualties import Range, party_totals, unstated
from reportgen.model.common import Period
from reportgen.model.config import Phase, Rung, Side
from reportgen.model.incident import Incident, chronological
from reportgen.model.names import party_label
from reportgen.model.tally import Tally
from reportgen.select import Selection

__all__ = [
    "ActorActivity",
    "Bucket",
    "Chain",
    "Chains",
    "Changes",
    "Dyad",
    "EscalationAnalysis",
    "PartyFigures",
    "PhaseStats",
    "Response",
    "ResponseLink",
    "RungAssessment",
    "Tempo",
    "TurningPoint",
    "analyse",
    "analyse_report",
    "changes_since",
]


@dataclass(frozen=True, slots=True)
class PartyFigures:
    party: str
    killed: Range | None
    injured: Range | None


@dataclass(frozen=True, slots=True)
class UnstatedFigures:
    """One incident's figures of no stated party: shown for it alone, never summed."""

    incident_id: str
    killed: Range | None
    injured: Range | None


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
    sides: Mapping[str, Side] = field(default_factory=dict)
    """The sides the config declares: what a side is called and coloured."""
    tallies: tuple[Tally, ...] = ()
    """Official running counts (see `in_period`): what a named body counted, shown beside the
    curated incidents, never mixed with them."""
    _places: Places | None = field(default=None, init=False, repr=False, compare=False)
    """`places()` once worked out: the map's two variants, its list and the Markdown's all read
    it (at 2,000 incidents grouping the points takes 0.1 s a time)."""

    def party_name(self, party: str) -> str:
        """A side, an actor or a casualty category as readers see it."""
        return party_label(party, self.actors, self.sides)

    def rung_name(self, rung: int | None) -> str | None:
        return next((r.name for r in self.ladder if r.rung == rung), None)

    def at_rung(self, rung: int) -> tuple[str, ...]:
        """Incidents at `rung`, oldest first."""
        return tuple(i.id for i in self.incidents if self.rungs[i.id].rung == rung)

    @property
    def ladder_span(self) -> str | None:
        """The ladder's rungs, lowest to highest ("0 to 8"), for a reader who meets "rung 7"
        on page 1 before the ladder is explained; None without a ladder."""
        return f"{self.ladder[0].rung} to {self.ladder[-1].rung}" if self.ladder else None

    @property
    def top_rung(self) -> int | None:
        return max((a.rung for a in self.rungs.values() if a.rung is not None), default=None)

    @property
    def first_at_top_rung(self) -> str | None:
        """The incident that first reached the highest rung of the selection."""
        top = self.top_rung
        return None if top is None else self.at_rung(top)[0]

    def most_important(self, incident_ids: Iterable[str], count: int = 3) -> list[str]:
        """The incidents a reader must hear of first: highest rung, then latest; `count` of them."""
        by_id = {incident.id: incident for incident in self.incidents}
        known = [by_id[key] for key in incident_ids if key in by_id]
        known.sort(key=lambda i: (self.rungs[i.id].rung if self.rungs[i.id].rung is not None else -1,
                                  i.sort_key), reverse=True)
        return [incident.id for incident in known[:count]]

    def dated_after(self, day: dt.date) -> tuple[str, ...]:
        """Incidents dated after `day` (new since an issue of that date, whatever was recorded)."""
        return tuple(incident.id for incident in self.incidents if incident.date > day)

    def totals(self, field: str) -> dict[str, Range]:
        """Killed or injured over the period, per named party that suffered them (method rules
        `sums` and `parties-apart`: figures of no stated party are not summed)."""
        return party_totals(self.incidents, field)

    def period_figures(self) -> list[PartyFigures]:
        """Page 1's casualty figures: each named party that suffered them on its own line (never
        one party's dead added to another's), those of a declared side first, grouped by side
        in the config's order."""
        killed, injured = self.totals("killed"), self.totals("injured")
        declared = list(self.sides)

        def order(key: str) -> tuple:
            side = party(key, self.actors)
            return (side not in declared, declared.index(side) if side in declared else 0,
                    self.party_name(key).casefold())

        return [PartyFigures(key, killed.get(key), injured.get(key))
                for key in sorted(set(killed) | set(injured), key=order)]

    def unstated_figures(self, among: Iterable[str] | None = None,
                         fields: tuple[str, ...] = ("killed", "injured")) -> list[UnstatedFigures]:
        """Figures of no stated party, incident by incident (method rule `parties-apart`), of
        the incidents `among` (default: all)."""
        wanted = None if among is None else set(among)
        chosen = [i for i in self.incidents if wanted is None or i.id in wanted]
        found = {f: dict((i.id, r) for i, r in unstated(chosen, f)) for f in fields}
        return [UnstatedFigures(i.id, found.get("killed", {}).get(i.id),
                                found.get("injured", {}).get(i.id))
                for i in chosen if any(i.id in found[f] for f in fields)]

    @property
    def other_events(self) -> tuple[str, ...]:
        """Incidents that are not attacks (method rule `attacks`): statements, agreements."""
        return tuple(i.id for i in self.incidents if not i.is_attack)

    @property
    def attack_count(self) -> int:
        return len(self.incidents) - len(self.other_events)

    @property
    def map_keys(self) -> dict[str, int]:
        """Incident id -> its number in the chronology, 1 for the oldest: the one numbering
        that the map's markers, the chronology and the tables share."""
        return {incident.id: n for n, incident in enumerate(self.incidents, start=1)}

    def places(self) -> Places:
        """Where the incidents happened, for the map and its list (method rule `map`)."""
        if self._places is None:
            object.__setattr__(self, "_places", map_places(self.incidents, self.actors))
        return self._places

    @property
    def side_counts(self) -> dict[str, int]:
        """Attacks per acting party over the whole period (method rule `acting-party`)."""
        return {side: sum(len(b.by_side[side]) for b in self.tempo.buckets)
                for side in self.tempo.sides}


def analyse(incidents: Iterable[Incident], actors: Mapping[str, Actor], ladder: Iterable[Rung],
            *, period: Period | None = None, phases: Iterable[Phase] = (),
            granularity: Granularity = "week", changes: Changes | None = None,
            sides: Mapping[str, Side] | None = None,
            tallies: Iterable[Tally] = ()) -> EscalationAnalysis:
    """Analyse a selection of incidents (already filtered for the report)."""
    ordered = tuple(chronological(incidents))
    actors, ladder, phases = dict(actors), tuple(sorted(ladder, key=lambda r: r.rung)), list(phases)
    rungs = assess_all(ordered, list(ladder), actors)
    chains = analyse_chains(ordered, lambda actor: party(actor, actors))
    series = tempo(ordered, actors, rungs, period, granularity)
    sides = dict(sides or {})
    points = turning_points(ordered, actors, rungs, sides)
    return EscalationAnalysis(
        incidents=ordered, actors=actors, ladder=ladder, period=period, rungs=rungs,
        chains=chains, tempo=series, turning_points=points,
        phases=phase_stats(phases, ordered, actors, rungs, chains.responses, points),
        unphased=unphased(phases, ordered),
        activity=actor_activity(ordered, series),
        changes=changes,
        sides=sides,
        tallies=tuple(tallies),
    )


def analyse_report(selection: Selection, manifests: Iterable[IssueManifest] = (), *,
                   since: dt.date | None = None, granularity: Granularity = "week"
                   ) -> EscalationAnalysis:
    """The analysis a report's briefing shows, from what the report selects and may name.

    Actor references the report's marking withholds are left out before analysing, so no
    figure, reason or chart can name them. "What changed" compares with the earlier issue in
    `manifests` dated `since` (default: `report.previous_issue`).
    """
    project, report = selection.project, selection.report
    since = compared_date(report, since)
    changes = changes_since(manifests, selection, since) if since is not None else None
    visible = [_named_actors_only(incident, selection.actors) for incident in selection.incidents]
    ladder = project.config.escalation_ladder if project.config else []
    sides = project.config.sides if project.config else {}
    last = report.last_day
    phases = [p for p in report.phases if p.from_ <= last and p.to >= report.period.from_]
    return analyse(visible, selection.actors, ladder, period=report.period, phases=phases,
                   granularity=granularity, changes=changes, sides=sides,
                   tallies=in_period(project.tallies.values(), report.period.from_, last))


def in_period(tallies: Iterable[Tally], first: dt.date, last: dt.date) -> tuple[Tally, ...]:
    """Each tally with its counts dated from `first` to `last` (a report's period, up to its
    cut-off), oldest first; a tally with none is left out."""
    found = []
    for tally in tallies:
        counts = sorted((c for c in tally.counts if first <= c.date <= last), key=lambda c: c.date)
        if counts:
            found.append(tally.model_copy(update={"counts": counts}))
    return tuple(found)


def _named_actors_only(incident: Incident, actors: Mapping[str, Actor]) -> Incident:
    kept = [ref for ref in incident.actors if ref.actor in actors]
    return incident if len(kept) == len(incident.actors) else incident.model_copy(
        update={"actors": kept})
