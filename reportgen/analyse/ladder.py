"""The escalation ladder: each incident's rung, and why.

An incident reaches the highest rung any of whose rules it meets (a rule holds when all its
conditions hold). The curator's `escalation: {rung, rationale}` override wins over the rules;
the assessment keeps both, so the briefing can say "set by the curator (rules give 5)".

Two conditions need facts the incident does not state directly:
- leadership targeted: the incident is tagged `leadership-targeting`, or an actor's leader record
  names it as the incident that ended the leader's tenure (`leaders[].incident`);
- capital: the place is its country's capital (see `capitals.py`) or it is tagged `capital`.
Casualty thresholds read the incident's dead over all parties as method rule `severity` defines
them (`casualties.vouched`: per party the most one source vouches for, added over the parties; a
revised figure no longer counts).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from reportgen.analyse.capitals import in_capital
from reportgen.model import casualties
from reportgen.model.actor import Actor
from reportgen.model.common import country_name
from reportgen.model.config import Rung, RungRule
from reportgen.model.incident import EscalationOverride, Incident

LEADERSHIP_TAG = "leadership-targeting"
Basis = Literal["rules", "override", "unrated"]


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules look at, worked out once per incident."""

    incident: Incident
    killed: int
    injured: int
    perpetrator_kinds: dict[str, str]
    """Acting actor's name -> its kind: the reasons name actors as readers know them."""
    target_kinds: dict[str, str]
    leadership: tuple[str, ...]
    capital: str | None
    party_kinds: dict[str, str]
    """Party (actor id) of a casualty figure -> the actor's kind, for rules on whose dead."""
    targets: int

    def killed_among(self, kinds: list[str]) -> int:
        """The dead among actors of these kinds, as method rule `severity` reads them."""
        return casualties.vouched(self.incident.casualties, "killed",
                                  lambda party: self.party_kinds.get(party) in kinds)


@dataclass(frozen=True, slots=True)
class RungAssessment:
    """An incident's rung, whether the rules or the curator set it, and the evidence."""

    incident_id: str
    rung: int | None
    name: str | None
    basis: Basis
    computed: int | None
    """The rung the rules give, even when overridden."""
    rule: int | None
    """1-based number of the matching rule within the computed rung's `when` list."""
    reasons: tuple[str, ...]
    """Each condition of the matching rule, as met by this incident."""
    rationale: str | None = None
    met: tuple[int, ...] = ()
    """Every rung whose rules the incident meets, highest first (an override may place it
    below some of them)."""

    @property
    def explanation(self) -> str:
        if self.basis == "override":
            rules = f"rules give {self.computed}" if self.computed is not None else "no rule matches"
            return f"set by the curator: {self.rationale} ({rules})"
        if self.basis == "unrated":
            return "no rule of the ladder matches"
        return f"rule {self.rule} of rung {self.computed}: " + "; ".join(self.reasons)


def leaders_lost(actors: dict[str, Actor]) -> dict[str, list[str]]:
    """Incident id -> leaders whose tenure the actors' leader records say it ended."""
    index: dict[str, list[str]] = {}
    for actor in actors.values():
        for leader in actor.leaders:
            if leader.incident:
                index.setdefault(leader.incident, []).append(
                    f"{leader.name} of {actor.name} ({leader.status})")
    return index


def facts(incident: Incident, actors: dict[str, Actor],
          lost: dict[str, list[str]] | None = None) -> Facts:
    def kinds(ids: list[str]) -> dict[str, str]:
        return {actors[a].name: actors[a].kind for a in ids if a in actors}
    leadership = list((leaders_lost(actors) if lost is None else lost).get(incident.id, []))
    if LEADERSHIP_TAG in incident.tags and not leadership:  # no leader record: the tag is why
        leadership.append("in the analyst's assessment")
    return Facts(
        incident=incident,
        killed=casualties.vouched(incident.casualties, "killed"),
        injured=casualties.vouched(incident.casualties, "injured"),
        perpetrator_kinds=kinds(incident.acting_actor_ids()),
        target_kinds=kinds(incident.target_actor_ids()),
        leadership=tuple(leadership),
        capital=in_capital(incident),
        party_kinds={c.party_actor: actors[c.party_actor].kind for c in incident.casualties
                     if c.party_actor in actors},
        targets=casualties.stated(incident.targets).low if incident.targets is not None else 0,
    )


def rule_reasons(rule: RungRule, fact: Facts) -> tuple[str, ...] | None:
    """Why each condition of `rule` holds, or None when one fails."""
    reasons: list[str] = []
    for holds, reason in _conditions(rule, fact):
        if not holds:
            return None
        reasons.append(reason())
    return tuple(reasons) or ("every incident meets it",)


def _conditions(rule: RungRule, fact: Facts) -> Iterator[tuple[bool, Callable[[], str]]]:
    """Each condition the rule sets: whether it holds, and how to say why (built only if so)."""
    incident = fact.incident
    if rule.types:
        yield incident.type in rule.types, lambda: f"event type {incident.type}"
    if rule.countries:
        yield incident.location.country in rule.countries, lambda: (
            f"in {country_name(incident.location.country)}")
    if rule.min_killed is not None or rule.killed_kinds:
        need = 1 if rule.min_killed is None else rule.min_killed
        killed = fact.killed_among(rule.killed_kinds) if rule.killed_kinds else fact.killed
        whose = (f" among {' or '.join(k.replace('-', ' ') + 's' for k in rule.killed_kinds)}"
                 if rule.killed_kinds else "")
        yield killed >= need, lambda: f"sources report {killed} killed{whose} (at least {need})"
    if rule.min_targets is not None:
        yield fact.targets >= rule.min_targets, lambda: (
            f"{fact.targets} targets struck (at least {rule.min_targets})")
    if rule.min_injured is not None:
        yield fact.injured >= rule.min_injured, lambda: (
            f"sources report {fact.injured} injured (at least {rule.min_injured})")
    if rule.perpetrator_kinds:
        yield _kinds_match(fact.perpetrator_kinds, rule.perpetrator_kinds), lambda: (
            "acting " + _describe_kinds(fact.perpetrator_kinds, rule.perpetrator_kinds))
    if rule.target_kinds:
        yield _kinds_match(fact.target_kinds, rule.target_kinds), lambda: (
            "targeting " + _describe_kinds(fact.target_kinds, rule.target_kinds))
    if rule.leadership_targeted is not None:
        yield bool(fact.leadership) == rule.leadership_targeted, lambda: (
            ("leadership targeted: " + " and ".join(fact.leadership)) if fact.leadership
            else "no leader targeted")
    if rule.capital is not None:
        yield (fact.capital is not None) == rule.capital, lambda: (
            f"in the capital ({fact.capital})" if fact.capital else "not in a capital")


def _kinds_match(found: dict[str, str], wanted: list[str]) -> bool:
    return any(kind in wanted for kind in found.values())


def _describe_kinds(found: dict[str, str], wanted: list[str]) -> str:
    return ", ".join(f"{name} ({kind.replace('-', ' ')})" for name, kind in found.items()
                     if kind in wanted)


def assess(incident: Incident, ladder: Iterable[Rung], actors: dict[str, Actor],
           lost: dict[str, list[str]] | None = None) -> RungAssessment:
    """The highest rung whose rules the incident meets, unless the curator overrode it."""
    fact = facts(incident, actors, lost)
    rungs = sorted(ladder, key=lambda r: r.rung, reverse=True)
    names = {r.rung: r.name for r in rungs}
    matches = {}
    for rung in rungs:
        match = next(((i, found) for i, rule in enumerate(rung.when, 1)
                      if (found := rule_reasons(rule, fact)) is not None), None)
        if match:
            matches[rung.rung] = match
    met = tuple(matches)
    computed = met[0] if met else None
    number, reasons = matches[computed] if met else (None, ())
    if incident.escalation is not None:
        rung = incident.escalation.rung
        return RungAssessment(incident.id, rung, names.get(rung), "override", computed, number,
                              reasons, incident.escalation.rationale, met)
    basis: Basis = "unrated" if computed is None else "rules"
    return RungAssessment(incident.id, computed, names.get(computed), basis, computed, number,
                          reasons, met=met)


def set_aside(assessment: RungAssessment, override: EscalationOverride) -> list[int]:
    """The rungs whose rules the incident meets above the override's rung that it does not
    name in `instead_of`: the override places the incident below them without saying why."""
    excused = override.instead_of
    return [r for r in assessment.met
            if r > override.rung and (excused is None or r < excused)]


def assess_all(incidents: Iterable[Incident], ladder: list[Rung],
               actors: dict[str, Actor]) -> dict[str, RungAssessment]:
    lost = leaders_lost(actors)
    return {incident.id: assess(incident, ladder, actors, lost) for incident in incidents}
