"""Queries over a validated project: what one report selects, and the indexes its briefing needs.

`select(project, report)` applies the report's filters, then its marking. A record marked more
restrictively than the report (its own `marking`, or the project's default) is withheld, and
listed in `Selection.withheld` so the build can say so. Withholding happens once, here, by
construction: the selection holds a *redacted view* of the corpus (`redact`), a Project with no
record above the report's marking and no reference to one (actor references become
`WITHHELD_ID`, claims by a withheld actor lose its name, casualty figures of a withheld actor's
members count as of no stated party, links, affiliations and leaders'
incidents to withheld records are dropped, outlets cited only by withheld records are gone).
Every output of the report — briefings, charts, manifests, what changed, attachments, exports,
mail — reads that view, so none can name what the report may not carry.

What a report reads (`Selection.reads`), decided here once; the build's dependency graph is
this set, and a worker renders from the corpus restricted to it (`make.graph.restrict`):
1. the incidents its filters select, shown or withheld by its marking;
2. the actors those incidents name (roles, claims, the parties of casualty figures), the actors
   of its actor filter and, transitively, their members;
3. the incidents a shown incident links to (responds to, relates to, answers in a claim) and
   those that respond to it;
4. the incidents its outlook's indicators name, whatever its filters;
5. for each actor it shows: the actors it is affiliated with, those affiliated with it, and
   the incidents its leaders are dated by;
6. the actors every incident of 3 to 5 names, so that incident is redacted alike in both.
The incidents of the earlier issue "what changed" compares with are read too; they come from
build/, not from the corpus (`pipeline.report_reads`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from reportgen.model import casualties
from reportgen.model.actor import Actor, Affiliation
from reportgen.model.common import Marking, Status
from reportgen.model.config import ProjectConfig, Report
from reportgen.model.incident import Claim, Incident, SourceRef, chronological
from reportgen.model.names import casualty_label
from reportgen.model.outlet import Outlet
from reportgen.model.project import Project
from reportgen.model.tally import Tally
from reportgen.model.vocabulary import PARTY_CATEGORIES, ROLE_ORDER

RecordKey = tuple[str, str]
"""("incident" | "actor", id)."""

MEMBERSHIP = ("member-of", "part-of")
RECENT = 5
LONG_REPORT = 100
"""Incidents beyond which a briefing is a compendium read by chapter, not a weekly issue."""
WITHHELD_ACTOR = "an actor withheld from this briefing"
WITHHELD_ID = "(withheld)"
"""What an actor reference to a withheld actor becomes in a redacted view: not a slug, so never
the id of a record."""

# How an affiliation reads from the other actor's side.
INVERSE_RELATION = {
    "member-of": "has member",
    "part-of": "includes",
    "backed-by": "backs",
    "allied-with": "allied with",
    "rival-of": "rival of",
    "splinter-of": "has splinter group",
}


@dataclass(frozen=True, slots=True)
class Withheld:
    """A record the report's filters selected but its marking does not allow."""

    kind: str
    id: str
    marking: Marking

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.marking})"


@dataclass(frozen=True, slots=True)
class Link:
    """A reference to another incident: an anchor when it is in the briefing, text otherwise."""

    incident: Incident
    in_briefing: bool
    framed_by: tuple[str, ...] = ()
    """For a response link: who presented the response as one (a claim's `answers`), when
    that is where the link comes from, not the curator's `responds_to` alone."""


@dataclass(frozen=True, slots=True)
class ActorLink:
    actor: Actor
    in_briefing: bool


@dataclass(frozen=True, slots=True)
class RoleActor:
    """An actor in an incident; `link` is None when the actor is withheld."""

    link: ActorLink | None
    note: str | None


@dataclass(frozen=True, slots=True)
class AffiliationView:
    """One affiliation as a profile shows it, from either side."""

    relation: str
    other: ActorLink
    since: dt.date | None = None
    until: dt.date | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, order=True)
class Seen:
    """A day an actor was seen (method rule `seen`), with how precisely its incident is dated."""

    date: dt.date
    precision: str = "day"


@dataclass(frozen=True, slots=True)
class ActorFigures:
    """What the selected incidents say about one actor (method rules `roles`,
    `profile-casualties` and `seen`)."""

    carried_out: list[Incident]
    """Incidents it is recorded as having carried out (perpetrator)."""
    claimed: list[Incident]
    attributed: list[Incident]
    """Incidents others held it responsible for (attributed to it)."""
    targeted: list[Incident]
    """Incidents it was a target or victim of."""
    first_seen: Seen | None
    last_seen: Seen | None
    killed_among: casualties.Range | None
    """Killed among the actor itself (figures whose party it is); None when none reported."""
    injured_among: casualties.Range | None
    members_killed: list[PartyFigure]
    """Each member group's own killed, on its own line: never added to the actor's."""
    members_injured: list[PartyFigure]
    killed_in_its_incidents: list[PartyFigure]
    """Killed in the incidents it carried out, per party that suffered them."""
    injured_in_its_incidents: list[PartyFigure]
    recent: list[Incident]


@dataclass(frozen=True, slots=True)
class PartyFigure:
    """One party's figure, for a reader: whose (a name, never an id) and how many."""

    name: str
    figure: casualties.Range

    def __str__(self) -> str:
        if self.name == PARTY_CATEGORIES[casualties.UNKNOWN]:
            return f"{self.figure}, {self.name}"
        return f"{self.figure} among {self.name}"


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited source: which record cites it."""

    source: SourceRef
    incident: Incident | None = None
    actor: Actor | None = None


@dataclass(frozen=True, slots=True)
class OutletCitations:
    outlet_id: str
    outlet: Outlet | None
    citations: list[Citation]

    @property
    def name(self) -> str:
        return self.outlet.name if self.outlet else self.outlet_id


@dataclass(frozen=True, slots=True)
class Group:
    """A month or a week of the chronology."""

    kind: str
    start: dt.date
    incidents: list[Incident]

    @property
    def anchor(self) -> str:
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"chron-{year}-w{week:02d}"
        return f"chron-{self.start:%Y-%m}"


@dataclass
class Selection:
    """A report's incidents and actors, with the indexes its templates read."""

    project: Project
    """The redacted view of the corpus this report may see (see `redact`)."""
    report: Report
    incidents: list[Incident]
    actors: dict[str, Actor]
    withheld: list[Withheld] = field(default_factory=list)
    """The records the filters select but the marking withholds, for the build to list."""
    hidden: frozenset[tuple[str, str]] = frozenset()
    """(kind, id) of every record above the report's marking: never shown, it lets "what
    changed" stay silent about an entry whose record is now withheld."""
    reads: frozenset[RecordKey] = frozenset()
    """(kind, id) of every record of the whole corpus this selection and its views can read
    (the module's rule, "What a report reads")."""

    # -- records --------------------------------------------------------------------------

    @property
    def compendium(self) -> bool:
        """More than LONG_REPORT incidents: a compendium read by chapter, not a weekly issue
        (each section begins a page; its PDF is long enough to be laid out in parts, and its
        charts are drawn in the processes that lay the parts out)."""
        return len(self.incidents) > LONG_REPORT

    @cached_property
    def incident_ids(self) -> set[str]:
        return {incident.id for incident in self.incidents}

    def actor(self, actor_id: str) -> ActorLink | None:
        """The actor as this briefing may name it; None when it is withheld or unknown."""
        actor = self.project.actors.get(actor_id)
        return None if actor is None else ActorLink(actor, actor_id in self.actors)

    def incident_link(self, incident_id: str) -> Link | None:
        """A linked incident, unless it is withheld, a draft or retracted (then None)."""
        incident = self.project.incidents.get(incident_id)
        if incident is None:
            return None
        if incident_id in self.incident_ids:
            return Link(incident, True)
        if not may_link(self.project, self.report, incident):
            return None
        return Link(incident, False)

    # -- links between incidents ------------------------------------------------------------

    def responds_to(self, incident: Incident) -> list[Link]:
        return [self._framed(link, incident, link.incident.id)
                for link in self.incident_links(incident.response_ids())]

    def answered_by(self, incident: Incident) -> list[Link]:
        return [self._framed(link, link.incident, incident.id)
                for link in self.incident_links(self.project.responses.get(incident.id, []))]

    def _framed(self, link: Link, response: Incident, action_id: str) -> Link:
        """The link with the speakers who presented `response` as answering `action_id`."""
        speakers = _unique([self._party(c) for c in response.claims_answering(action_id)])
        return dataclasses.replace(link, framed_by=tuple(speakers)) if speakers else link

    def related(self, incident: Incident) -> list[Link]:
        return self.incident_links(incident.related)

    def incident_links(self, ids: list[str]) -> list[Link]:
        """Links to these incidents, oldest first, less those the briefing may not show."""
        links = [self.incident_link(i) for i in ids]
        return sorted((link for link in links if link), key=lambda link: link.incident.sort_key)

    def roles(self, incident: Incident) -> list[tuple[str, list[RoleActor]]]:
        """Who did what to whom: each role present, in ROLE_ORDER, with its actors."""
        grouped: dict[str, list[RoleActor]] = defaultdict(list)
        for ref in incident.actors:
            grouped[ref.role].append(RoleActor(self.actor(ref.actor), ref.note))
        return [(role, grouped[role]) for role in ROLE_ORDER if role in grouped]

    def actors_in(self, incident: Incident, *roles: str) -> list[ActorLink | None]:
        """The incident's actors in these roles; None stands for a withheld actor."""
        return [self.actor(actor_id) for actor_id in incident.actor_ids(*roles)]

    def claimant(self, claim: Claim) -> str:
        """Who made a claim, as the source named them (the view has already replaced a
        withheld claimant)."""
        return claim.by

    def _party(self, claim: Claim) -> str:
        """The claiming actor's name when the claim names one, so roles and claims match up."""
        link = self.actor(claim.actor) if claim.actor else None
        return link.actor.name if link else self.claimant(claim)

    def contested(self, incident: Incident) -> list[str]:
        """Who claimed and who denied, when claims compete; empty when nothing is contested."""
        claimed = _unique([self._party(c) for c in incident.claims if c.kind == "responsibility"]
                          + self._names(incident, "claimed-by"))
        denied = _unique([self._party(c) for c in incident.claims if c.kind == "denial"]
                         + self._names(incident, "denied-by"))
        if (claimed and denied) or len(claimed) > 1:
            return [*(f"claimed by {name}" for name in claimed),
                    *(f"denied by {name}" for name in denied)]
        return []

    def _names(self, incident: Incident, role: str) -> list[str]:
        return [link.actor.name if link else WITHHELD_ACTOR
                for link in self.actors_in(incident, role)]

    # -- chronology --------------------------------------------------------------------------

    def groups(self) -> list[Group]:
        """The chronology, oldest first, by month or ISO week as the report asks."""
        grouped: dict[dt.date, list[Incident]] = defaultdict(list)
        for incident in self.incidents:
            grouped[group_start(incident.date, self.report.group_by)].append(incident)
        return [Group(self.report.group_by, start, items) for start, items in sorted(grouped.items())]

    # -- actors --------------------------------------------------------------------------------

    def profiled_actors(self) -> list[Actor]:
        """Profiles in order of involvement (most incidents first), then by name."""
        count = self._involvement
        return sorted(self.actors.values(), key=lambda a: (-len(count[a.id]), a.name.casefold()))

    def index_actors(self) -> list[Actor]:
        return sorted(self.actors.values(), key=lambda a: a.name.casefold())

    def incident_count(self, actor: Actor) -> int:
        return len(self._involvement[actor.id])

    @cached_property
    def _involvement(self) -> dict[str, list[Incident]]:
        involved: dict[str, list[Incident]] = defaultdict(list)
        for incident in self.incidents:
            for actor_id in _unique(incident.actor_ids()):
                involved[actor_id].append(incident)
        return involved

    def affiliations(self, actor: Actor) -> list[AffiliationView]:
        """Both directions: whom this actor is affiliated with, and who is affiliated with it."""
        views = [self._view(a.relation.replace("-", " "), a.actor, a) for a in actor.affiliations]
        for other_id in self.project.affiliated.get(actor.id, []):
            for a in self.project.actors[other_id].affiliations:
                if a.actor == actor.id:
                    views.append(self._view(INVERSE_RELATION[a.relation], other_id, a))
        return [v for v in views if v is not None]

    def _view(self, relation: str, other_id: str, a: Affiliation) -> AffiliationView | None:
        other = self.actor(other_id)
        return AffiliationView(relation, other, a.since, a.until, a.note) if other else None

    def figures(self, actor: Actor) -> ActorFigures:
        involved = self._involvement[actor.id]
        carried_out = [i for i in involved if actor.id in i.actor_ids("perpetrator")]
        killed = casualties.party_totals(self.incidents, "killed")
        injured = casualties.party_totals(self.incidents, "injured")
        own = sorted(members(self.project, [actor.id]) - {actor.id})
        seen = self._seen(actor.id)
        return ActorFigures(
            carried_out=carried_out,
            claimed=[i for i in involved if actor.id in i.actor_ids("claimed-by")],
            attributed=[i for i in involved if actor.id in i.actor_ids("attributed-to")],
            targeted=[i for i in involved if actor.id in i.target_actor_ids()],
            first_seen=min(seen, default=None),
            last_seen=max(seen, default=None),
            killed_among=killed.get(actor.id),
            injured_among=injured.get(actor.id),
            members_killed=self.by_party({m: killed[m] for m in own if m in killed}),
            members_injured=self.by_party({m: injured[m] for m in own if m in injured}),
            killed_in_its_incidents=self.by_party(
                casualties.party_totals(carried_out, "killed")),
            injured_in_its_incidents=self.by_party(
                casualties.party_totals(carried_out, "injured")),
            recent=list(reversed(involved[-RECENT:])),
        )

    def _seen(self, actor_id: str) -> list[Seen]:
        """Method rule `seen`: the days of its incidents in any role but a mention (and the last
        day of a multi-day one), and of its statements, up to the cut-off."""
        last = self.report.last_day
        days = []
        for incident in self.incidents:
            if any(ref.actor == actor_id and ref.role != "mentioned" for ref in incident.actors):
                days += [Seen(incident.date, str(incident.date_precision)),
                         Seen(incident.end or incident.date, str(incident.date_precision))]
            days += [Seen(d) for d in incident.statement_dates(actor_id)]
        return [d for d in days if d.date <= last]

    # -- casualties ---------------------------------------------------------------------------

    def party_name(self, party: str) -> str:
        """Whose casualties, as readers see it: an actor's name, a side's label, a category."""
        sides = self.project.config.sides if self.project.config else {}
        return casualty_label(party, self.project.actors, sides)

    def by_party(self, totals: dict[str, casualties.Range]) -> list[PartyFigure]:
        """Per-party figures, named; the figures of no stated party last."""
        ordered = sorted(totals.items(), key=lambda item: (item[0] == casualties.UNKNOWN,
                                                            self.party_name(item[0]).casefold()))
        return [PartyFigure(self.party_name(party), figure) for party, figure in ordered]

    def casualty_lines(self, incident: Incident) -> list[casualties.CasualtyLine]:
        """The incident's killed then injured, one line per party, each source's figure beside."""
        return [*casualties.casualty_lines(incident.casualties, "killed", "killed"),
                *casualties.casualty_lines(incident.casualties, "injured", "injured")]

    def killed_by_party(self, incident: Incident) -> list[PartyFigure]:
        """The killed per party, for the overview table."""
        return self.by_party(casualties.by_party(incident.casualties, "killed"))

    # -- sources -----------------------------------------------------------------------------

    def citations(self) -> list[OutletCitations]:
        """Every source cited by a shown incident or profile, grouped by outlet."""
        by_outlet: dict[str, list[Citation]] = defaultdict(list)
        for incident in self.incidents:
            for source in incident.sources:
                by_outlet[source.outlet].append(Citation(source, incident=incident))
        for actor in self.profiled_actors():
            for source in actor.sources:
                by_outlet[source.outlet].append(Citation(source, actor=actor))
        groups = [OutletCitations(outlet_id, self.project.outlets.get(outlet_id),
                                  sorted(cited, key=lambda c: c.source.date))
                  for outlet_id, cited in by_outlet.items()]
        return sorted(groups, key=lambda g: g.name.casefold())

    def claim_source(self, incident: Incident, claim: Claim) -> str | None:
        """'dpa, B2' for the source carrying a claim; just the grade when the claimant is the
        outlet itself. None when the claim names no source."""
        source = next((s for s in incident.sources if s.key == claim.source), None)
        if source is None:
            return None
        name = self.outlet_name(source.outlet)
        return source.grade if name == claim.by else f"{name}, {source.grade}"

    def outlet_name(self, outlet_id: str) -> str:
        outlet = self.project.outlets.get(outlet_id)
        return outlet.name if outlet else outlet_id


def mentions(record: Incident | Actor) -> set[tuple[str, str]]:
    """The records a record names, as (kind, id): validation has resolved names to ids."""
    if isinstance(record, Incident):
        return ({("actor", actor) for actor in record.actor_ids()}
                | {("actor", claim.actor) for claim in record.claims if claim.actor}
                | {("actor", c.party_actor) for c in record.casualties if c.party_actor}
                | {("incident", other) for other in (*record.response_ids(), *record.related)})
    return ({("actor", affiliation.actor) for affiliation in record.affiliations}
            | {("incident", leader.incident) for leader in record.leaders if leader.incident})


def redact(project: Project, report: Report) -> Project:
    """The corpus as `report` may see it: the records its marking allows, each with every
    reference to a withheld record removed (see the module docstring). Records are copied only
    where something changes."""
    incidents = {i: v for i, v in project.incidents.items() if may_show(project, report, v)}
    actors = {a: v for a, v in project.actors.items() if may_show(project, report, v)}
    incidents = {i: _redacted_incident(v, incidents, actors) for i, v in incidents.items()}
    actors = {a: _redacted_actor(v, incidents, actors) for a, v in actors.items()}
    tallies = {t: v for t, v in project.tallies.items() if may_show(project, report, v)}
    cited = {key for record in (*incidents.values(), *actors.values()) for source in record.sources
             for key in (source.outlet, source.via) if key}
    cited |= {key for tally in tallies.values() for count in tally.counts
              for key in (count.source.outlet, count.source.via) if key}
    return Project(
        root=project.root,
        config=_redacted_config(project.config, report, actors, incidents),
        incidents=incidents,
        actors=actors,
        outlets={key: outlet for key, outlet in project.outlets.items() if key in cited},
        tallies=tallies,
        origins={key: doc for key, doc in project.origins.items()
                 if key[1] in (incidents if key[0] == "incident" else actors)},
    )


def _redacted_incident(incident: Incident, incidents: dict, actors: dict) -> Incident:
    refs = [ref if ref.actor in actors else ref.model_copy(update={"actor": WITHHELD_ID, "note": None})
            for ref in incident.actors]
    claims = [claim if not claim.actor or claim.actor in actors
              else claim.model_copy(update={"actor": None, "by": WITHHELD_ACTOR})
              for claim in incident.claims]
    claims = [claim if not claim.answers or claim.answers in incidents
              else claim.model_copy(update={"answers": None}) for claim in claims]
    figures = [c if c.party_actor is None or c.party_actor in actors
               else c.model_copy(update={"party": None}) for c in incident.casualties]
    update = {"actors": refs, "claims": claims, "casualties": figures,
              "responds_to": [i for i in incident.responds_to if i in incidents],
              "related": [i for i in incident.related if i in incidents]}
    changed = {key: value for key, value in update.items() if value != getattr(incident, key)}
    return incident.model_copy(update=changed) if changed else incident


def _redacted_actor(actor: Actor, incidents: dict, actors: dict) -> Actor:
    affiliations = [a for a in actor.affiliations if a.actor in actors]
    leaders = [leader if not leader.incident or leader.incident in incidents
               else leader.model_copy(update={"incident": None}) for leader in actor.leaders]
    if affiliations == actor.affiliations and leaders == actor.leaders:
        return actor
    return actor.model_copy(update={"affiliations": affiliations, "leaders": leaders})


def _redacted_config(config: ProjectConfig | None, report: Report, actors: dict,
                     incidents: dict) -> ProjectConfig | None:
    """The config with only this report, every record its settings name cut to those it may
    name: the actor filter (applied before redacting; this is what the briefing, its attached
    settings and its exports show) and the incidents each outlook indicator bears on (an id
    carries the incident's words). Its mail settings stay: they say where this report goes, and
    no output shows them."""
    if config is None:
        return None
    filters = report.filters.model_copy(update={"actors": [a for a in report.filters.actors if a in actors]})
    outlook = [indicator.model_copy(update={"incidents": [i for i in indicator.incidents if i in incidents]})
               for indicator in report.outlook]
    return config.model_copy(update={"reports": [report.model_copy(update={"filters": filters,
                                                                           "outlook": outlook})]})


def effective_marking(project: Project, record: Incident | Actor | Tally) -> Marking:
    """A record's own marking, or the project's default."""
    if record.marking is not None:
        return record.marking
    return project.config.project.default_marking if project.config else Marking.CLEAR


def may_show(project: Project, report: Report, record: Incident | Actor | Tally) -> bool:
    """Whether the report's marking allows the record's (its own, or the project's default)."""
    return report.marking.allows(effective_marking(project, record))


def select(project: Project, report: Report) -> Selection:
    """The incidents and actors a report shows, from its redacted view of the corpus, and the
    records its marking withholds. The filters are applied to the whole corpus first (an actor
    filter naming a withheld umbrella still selects its members' incidents)."""
    view = redact(project, report)
    actor_set = members(project, report.filters.actors)
    shown: list[Incident] = []
    withheld: list[Withheld] = []
    for incident in project.incidents.values():
        if not matches(report, actor_set, incident):
            continue
        if incident.id in view.incidents:
            shown.append(view.incidents[incident.id])
        else:
            withheld.append(Withheld("incident", incident.id, effective_marking(project, incident)))
    shown = chronological(shown)
    actors: dict[str, Actor] = {}
    named_by = [mentions(project.incidents[i.id]) for i in shown]
    named = [*(actor for found in named_by for actor in _actors_named(found)), *report.filters.actors]
    for actor_id in _unique(named):
        if actor_id in view.actors:
            actors[actor_id] = view.actors[actor_id]
        elif actor_id in project.actors:
            withheld.append(Withheld("actor", actor_id, effective_marking(project, project.actors[actor_id])))
    hidden = frozenset({("incident", i) for i in project.incidents if i not in view.incidents}
                       | {("actor", a) for a in project.actors if a not in view.actors})
    reads = _reads(project, report, {i.id for i in shown}, named_by, set(actors), actor_set, withheld)
    return Selection(view, view.config.reports[0] if view.config else report, shown, actors,
                     withheld, hidden, reads)


def _reads(project: Project, report: Report, shown: set[str], named_by: list[set[RecordKey]],
           profiled: set[str], filtered: set[str], withheld: list[Withheld]) -> frozenset[RecordKey]:
    """The module's rule "What a report reads", over the whole corpus: `shown` and `profiled`
    are the ids of the incidents and actors the report shows, `named_by` what each shown
    incident names (`mentions`), `filtered` its actor filter's actors and their members."""
    incidents = shown | {w.id for w in withheld if w.kind == "incident"}
    actors = profiled | filtered | {w.id for w in withheld if w.kind == "actor"}
    linked = {other for found in named_by for kind, other in found if kind == "incident"}
    linked |= {other for i in shown for other in project.responses.get(i, ())}
    linked |= {i for indicator in report.outlook for i in indicator.incidents}
    for actor_id in profiled:
        actor = project.actors[actor_id]
        linked |= {leader.incident for leader in actor.leaders if leader.incident}
        actors |= {affiliation.actor for affiliation in actor.affiliations}
        actors |= set(project.affiliated.get(actor_id, ()))
    linked = {i for i in linked if i in project.incidents} - incidents
    named = {key for i in linked for key in mentions(project.incidents[i]) if key[0] == "actor"}
    return frozenset({("incident", i) for i in incidents | linked}
                     | {("actor", a) for a in actors | {a for _, a in named} if a in project.actors})


def may_link(project: Project, report: Report, incident: Incident) -> bool:
    """Whether the report may name the incident where it is not among its own (a link's text,
    an outlook's evidence): its marking allows it and it has a status the report shows."""
    return may_show(project, report, incident) and incident.status in wanted_statuses(report)


def wanted_statuses(report: Report) -> list[Status]:
    """The statuses a report shows: published only, unless its filters ask for more."""
    return report.filters.statuses or [Status.PUBLISHED]


def group_start(day: dt.date, group_by: str) -> dt.date:
    if group_by == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def members(project: Project, actor_ids: list[str]) -> set[str]:
    """The actors and, transitively, every actor that is a member or part of them."""
    found = set(actor_ids)
    frontier = list(actor_ids)
    while frontier:
        parent = frontier.pop()
        for actor in project.actors.values():
            if actor.id not in found and any(
                a.actor == parent and a.relation in MEMBERSHIP for a in actor.affiliations
            ):
                found.add(actor.id)
                frontier.append(actor.id)
    return found


def matches(report: Report, actor_set: set[str], incident: Incident) -> bool:
    """Whether the report's filters select the incident (its marking aside); `actor_set` is
    the actor filter with its members (`members`)."""
    wanted = report.filters
    last = report.last_day
    if incident.date > last or (incident.end or incident.date) < report.period.from_:
        return False
    if incident.status not in wanted_statuses(report):
        return False
    if wanted.countries and incident.location.country not in wanted.countries:
        return False
    if wanted.tags and not set(wanted.tags) & set(incident.tags):
        return False
    if wanted.types and incident.type not in wanted.types:
        return False
    return not wanted.actors or bool(actor_set & set(_actors_named(mentions(incident))))


def _actors_named(found: set[RecordKey]) -> list[str]:
    """The actors among what a record names (`mentions`: for an incident its roles, claims and
    the parties of casualty figures, so a party is named, never "another party"), in order."""
    return [actor for kind, actor in sorted(found) if kind == "actor"]


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
