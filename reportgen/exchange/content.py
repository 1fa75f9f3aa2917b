"""What an export may contain: the whole corpus, or what one report selects and may carry.

With a report, the content is the briefing's own (`reportgen.select.select`): its period,
statuses, countries, types, tags and actors (member groups included), read from the report's
redacted view, so nothing marked more restrictively than the report is exported, nor any
reference to it (an actor reference to a withheld actor reads `WITHHELD_ID`). Outlets follow the
records that cite them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportgen.layout import CONFIG_FILE
from reportgen.model import Actor, Incident, Marking, Outlet, Report
from reportgen.model.project import Project
from reportgen.problems import ReportgenError, error
from reportgen.select import select


@dataclass(frozen=True)
class Export:
    """What one export holds: the records, the outlets they cite, and what the export says of
    itself (its title, the desk, the date it speaks for)."""

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
            return self.report.issue_date
        return max((i.date for i in self.incidents), default=dt.date(1970, 1, 1))


def content_of(project: Project, report_id: str | None = None) -> Export:
    """Everything in the project, or the records report `report_id` selects and may contain."""
    config = project.config
    report = _config(project).report(report_id) if report_id else None
    incidents = list(project.incidents.values())
    actors = list(project.actors.values())
    outlets = list(project.outlets.values())
    if report:
        chosen = select(project, report)
        project, report = chosen.project, chosen.report  # the redacted view, from here on
        incidents, actors = chosen.incidents, list(chosen.actors.values())
        cited = {key for record in [*incidents, *actors] for s in record.sources
                 for key in (s.outlet, s.via) if key}
        outlets = [o for key, o in project.outlets.items() if key in cited]
    return Export(
        incidents=sorted(incidents, key=lambda i: (i.date, i.id)),
        actors=sorted(actors, key=lambda a: a.id),
        outlets=sorted(outlets, key=lambda o: o.id),
        default_marking=config.project.default_marking if config else Marking.CLEAR,
        desk=config.project.desk if config else "", report=report,
        title=report.title if report else (config.project.title if config else "reportgen corpus"),
        first_seen=_first_seen(project),
    )


def _first_seen(project: Project) -> dict[str, dt.date]:
    seen: dict[str, dt.date] = {}
    for incident in project.incidents.values():
        for actor in incident.actor_ids():
            seen[actor] = min(seen.get(actor, incident.date), incident.date)
    return seen


def _config(project: Project):
    if project.config is None:
        raise ReportgenError(project.errors or [error(CONFIG_FILE, 1, 1, "no valid reportgen.yaml")])
    return project.config
