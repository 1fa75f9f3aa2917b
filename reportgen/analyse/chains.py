"""Action-reaction chains (method rule `responses`): links, responses, threads, and dyads.

A link joins a response to an incident it answers: the curator's `responds_to`, or a claim's
`answers` (then the speaker is who answered). Only links between incidents of the same selection
count: a response to something outside the report's period or filters is not part of the
report's chains (the chronology still shows it). Statistics count `Response`s, not links: one per
response incident, and one for the incidents of one operation recorded once per country. Dyads
pair parties (`parties.party`: a side, or an actor without one), so the commands and
departments of one side are one party and no pair answers attacks it never suffered.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import product

from reportgen.model.common import DatePrecision
from reportgen.model.incident import Incident, chronological


@dataclass(frozen=True, slots=True)
class ResponseLink:
    """`response` answers `action`, `days` later (`hours` too when both times are known)."""

    action: str
    response: str
    days: int
    hours: float | None
    action_by: tuple[str, ...]
    response_by: tuple[str, ...]
    approximate: bool = False
    """True when either date is known only to the week or month."""


@dataclass(frozen=True, slots=True)
class Response:
    """One response as the statistics count it: an incident, or the incidents of one operation
    recorded once per country, with what it answers and its delay from the latest of those."""

    incidents: tuple[str, ...]
    answers: tuple[str, ...]
    date: dt.date
    days: int
    """Days from the latest incident it answers."""
    links: tuple[ResponseLink, ...]


@dataclass(frozen=True, slots=True)
class Chain:
    """A thread of incidents joined by response links, oldest first."""

    incidents: tuple[str, ...]
    links: tuple[ResponseLink, ...]
    days: int
    """From the first incident to the last."""

    @property
    def id(self) -> str:
        return self.incidents[0]


@dataclass(frozen=True, slots=True)
class Dyad:
    """Two parties facing each other: who hit whom, and who answered whom how fast."""

    a: str
    b: str
    a_on_b: tuple[str, ...]
    """Incidents where `a` acted and `b` was the target."""
    b_on_a: tuple[str, ...]
    a_answering_b: tuple[ResponseLink, ...]
    """Links where an action of `b` was answered by `a`."""
    b_answering_a: tuple[ResponseLink, ...]

    @property
    def links(self) -> tuple[ResponseLink, ...]:
        return self.a_answering_b + self.b_answering_a

    @property
    def median_response_days(self) -> float | None:
        return _median(link.days for link in self.links)

    @property
    def median_days_a_answering_b(self) -> float | None:
        return _median(link.days for link in self.a_answering_b)

    @property
    def median_days_b_answering_a(self) -> float | None:
        return _median(link.days for link in self.b_answering_a)

    @property
    def weight(self) -> int:
        return len(self.a_on_b) + len(self.b_on_a) + len(self.links)


@dataclass(frozen=True, slots=True)
class Chains:
    links: tuple[ResponseLink, ...]
    threads: tuple[Chain, ...]
    dyads: tuple[Dyad, ...]
    """Busiest first."""
    responses: tuple[Response, ...] = ()

    @property
    def median_response_days(self) -> float | None:
        return median_days(self.responses)


def median_days(responses: Iterable[Response]) -> float | None:
    """The median delay over responses, not links (method rule `responses`)."""
    return _median(response.days for response in responses)


def response_links(incidents: Iterable[Incident]) -> tuple[ResponseLink, ...]:
    """Every response link inside the selection, in the order of the responses: the curator's
    `responds_to`, then those only a claim's `answers` makes (answered by the speaker)."""
    ordered = chronological(incidents)
    by_id = {incident.id: incident for incident in ordered}
    links = []
    for response in ordered:
        for action_id in response.response_ids():
            action = by_id.get(action_id)
            if action is not None:
                speakers = [] if action_id in response.responds_to else [
                    c.actor for c in response.claims_answering(action_id) if c.actor]
                links.append(_link(action, response, speakers[-1] if speakers else None))
    return tuple(links)


def _link(action: Incident, response: Incident, speaker: str | None = None) -> ResponseLink:
    start, end = action.utc_moment, response.utc_moment
    hours = round((end - start).total_seconds() / 3600, 1) if start and end else None
    approximate = any(i.date_precision != DatePrecision.DAY for i in (action, response))
    by = (speaker,) if speaker else tuple(response.acting_actor_ids())
    return ResponseLink(action.id, response.id, (response.date - action.date).days, hours,
                        tuple(action.acting_actor_ids()), by, approximate)


def responses(incidents: Iterable[Incident], links: tuple[ResponseLink, ...],
              party_of: Callable[[str], str] = lambda actor: actor) -> tuple[Response, ...]:
    """The responses the statistics count: the links grouped by response incident, and the
    incidents of one operation (the same day, the same answering parties, answering the same
    incidents) as one; each dated by its first incident, its delay from the latest it answers."""
    by_id = {incident.id: incident for incident in incidents}
    grouped: dict[str, list[ResponseLink]] = {}
    for link in links:
        grouped.setdefault(link.response, []).append(link)
    operations: dict[tuple, list[str]] = {}
    for response_id, its_links in grouped.items():
        answering = frozenset(party_of(a) for link in its_links for a in link.response_by)
        answered = frozenset(link.action for link in its_links)
        key = (by_id[response_id].date, answering, answered)
        operations.setdefault(key, []).append(response_id)
    found = []
    for (date, _, answered), members in operations.items():
        latest = max(by_id[a].date for a in answered)
        found.append(Response(tuple(members), tuple(sorted(answered, key=lambda a: by_id[a].sort_key)),
                              date, (date - latest).days,
                              tuple(link for m in members for link in grouped[m])))
    return tuple(sorted(found, key=lambda r: by_id[r.incidents[0]].sort_key))


def threads(incidents: Iterable[Incident], links: tuple[ResponseLink, ...]) -> tuple[Chain, ...]:
    """Connected groups of linked incidents (a response may answer, and be answered by, several)."""
    ordered = chronological(incidents)
    position = {incident.id: i for i, incident in enumerate(ordered)}
    parent = {incident.id: incident.id for incident in ordered}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for link in links:
        first, second = sorted((root(link.action), root(link.response)), key=position.__getitem__)
        parent[second] = first
    groups: dict[str, list[str]] = {}
    for incident in ordered:
        groups.setdefault(root(incident.id), []).append(incident.id)
    grouped_links: dict[str, list[ResponseLink]] = {}
    for link in links:
        grouped_links.setdefault(root(link.response), []).append(link)
    chains = []
    for head, members in groups.items():
        if len(members) < 2:
            continue
        first, last = ordered[position[members[0]]], ordered[position[members[-1]]]
        chains.append(Chain(tuple(members), tuple(grouped_links[head]),
                            (last.date - first.date).days))
    return tuple(sorted(chains, key=lambda c: position[c.id]))


def dyads(incidents: Iterable[Incident], found: tuple[Response, ...],
          party_of: Callable[[str], str] = lambda actor: actor) -> tuple[Dyad, ...]:
    """Every pair of parties that hit each other or answered each other; an incident, or a
    response (with its delay from the latest incident of the other party it answers), counts
    once for a pair, however many of each party's actors, actions or countries it names."""
    hits: dict[tuple[str, str], list[str]] = {}
    for incident in chronological(incidents):
        for pair in _pairs(incident.acting_actor_ids(), incident.target_actor_ids(), party_of):
            hits.setdefault(pair, []).append(incident.id)
    answers: dict[tuple[str, str], dict[int, ResponseLink]] = {}
    for n, response in enumerate(found):
        for link in response.links:
            for pair in _pairs(link.response_by, link.action_by, party_of):
                kept = answers.setdefault(pair, {})
                if n not in kept or link.days < kept[n].days:
                    kept[n] = link
    pairs = {tuple(sorted(pair)) for pair in (*hits, *answers)}
    found_dyads = [Dyad(a, b, tuple(hits.get((a, b), ())), tuple(hits.get((b, a), ())),
                        tuple(answers.get((a, b), {}).values()),
                        tuple(answers.get((b, a), {}).values()))
                   for a, b in pairs]
    return tuple(sorted(found_dyads, key=lambda d: (-d.weight, d.a, d.b)))


def _pairs(first: Iterable[str], second: Iterable[str],
           party_of: Callable[[str], str]) -> list[tuple[str, str]]:
    pairs = {(party_of(a), party_of(b)) for a, b in product(first, second)}
    return sorted((a, b) for a, b in pairs if a != b)


def analyse_chains(incidents: Iterable[Incident],
                   party_of: Callable[[str], str] = lambda actor: actor) -> Chains:
    selected = list(incidents)
    links = response_links(selected)
    found = responses(selected, links, party_of)
    return Chains(links, threads(selected, links), dyads(selected, found, party_of), found)


def _median(values: Iterable[float]) -> float | None:
    found = list(values)
    return statistics.median(found) if found else None
