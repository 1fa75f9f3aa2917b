"""What an export may contain: the whole corpus, or what one report selects and may carry.

A report selects incidents by period, status, countries, types, tags and actors (member groups
included), and never carries a record marked more restrictively than the report itself: the
same rules the briefings apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import ReportgenError, error
from ..load.project import CONFIG_FILE
from ..model import Actor, Incident, Marking, Outlet, Report, Status
from ..model.project import Project

MEMBER_RELATIONS = {"member-of", "part-of"}


@dataclass(frozen=True)
class Selection:
    incidents: list[Incident]
    actors: list[Actor]
    outlets: list[Outlet]
    default_marking: Marking
    desk: str
    title: str
    report: Report | None = None
    first_seen: dict[str, dt.date] = field(default_factory=dict)
    """Actor id -> first incident naming it in the whole corpus, whatever was selected."""

    def marking_of(self, record: Incident | Actor) -> Marking:
        return record.marking or self.default_marking

    @property
    def as_of(self) -> dt.date:
        """The date the export speaks for: the report's cut-off, else the newest incident."""
        if self.report:
            return self.report.cutoff or self.report.period.to
        return max((i.date for i in self.incidents), default=dt.date(1970, 1, 1))


def select(project: Project, report_id: str | None = None) -> Selection:
    """Everything in the project, or the records report `report_id` selects and may contain."""
    config = project.config
    default = config.project.default_marking if config else Marking.CLEAR
    report = _report(project, report_id) if report_id else None
    incidents = list(project.incidents.values())
    actors = list(project.actors.values())
    outlets = list(project.outlets.values())
    if report:
        incidents, actors, outlets = _for_report(project, report, default)
    return Selection(
        incidents=sorted(incidents, key=lambda i: (i.date, i.id)),
        actors=sorted(actors, key=lambda a: a.id),
        outlets=sorted(outlets, key=lambda o: o.id), default_marking=default,
        desk=config.project.desk if config else "", report=report,
        title=report.title if report else (config.project.title if config else "reportgen corpus"),
        first_seen=_first_seen(project),
    )


def _for_report(project: Project, report: Report, default: Marking) -> tuple[list, list, list]:
    """The incidents a report selects, the actors they name, the outlets they cite; each only
    when the report's marking allows the record's."""
    members = with_members(project, set(report.filters.actors))
    incidents = [i for i in project.incidents.values() if _selects(report, members, i)
                 and report.marking.allows(i.marking or default)]
    named = {ref.actor for i in incidents for ref in i.actors}
    named |= {c.actor for i in incidents for c in i.claims if c.actor} | set(report.filters.actors)
    actors = [a for a in project.actors.values()
              if a.id in named and report.marking.allows(a.marking or default)]
    cited = {key for record in [*incidents, *actors] for s in record.sources
             for key in (s.outlet, s.via) if key}
    return incidents, actors, [o for key, o in project.outlets.items() if key in cited]


def _first_seen(project: Project) -> dict[str, dt.date]:
    seen: dict[str, dt.date] = {}
    for incident in project.incidents.values():
        for actor in incident.actor_ids():
            seen[actor] = min(seen.get(actor, incident.date), incident.date)
    return seen


def _report(project: Project, report_id: str) -> Report:
    reports = {r.id: r for r in project.config.reports} if project.config else {}
    if report_id not in reports:
        known = ", ".join(sorted(reports)) or "none"
        raise ReportgenError([error(CONFIG_FILE, 1, 1, f"no report '{report_id}'",
                                    f"reports defined: {known}")])
    return reports[report_id]


def _selects(report: Report, members: set[str], incident: Incident) -> bool:
    """The report's filters; a multi-day incident counts when any of its days is in the period."""
    filters, period = report.filters, report.period
    if incident.date > period.to or (incident.end or incident.date) < period.from_:
        return False
    if incident.status not in (filters.statuses or [Status.PUBLISHED]):
        return False
    if filters.countries and incident.location.country not in filters.countries:
        return False
    if filters.types and incident.type not in filters.types:
        return False
    if filters.tags and not set(filters.tags) & set(incident.tags):
        return False
    named = {*incident.actor_ids(), *(c.actor for c in incident.claims if c.actor)}
    return not filters.actors or bool(members & named)


def with_members(project: Project, actor_ids: set[str]) -> set[str]:
    """The actors plus every actor that is (transitively) a member or part of one of them."""
    found = set(actor_ids)
    while True:
        members = {a.id for a in project.actors.values() if a.id not in found
                   and any(f.relation in MEMBER_RELATIONS and f.actor in found
                           for f in a.affiliations)}
        if not members:
            return found
        found |= members
