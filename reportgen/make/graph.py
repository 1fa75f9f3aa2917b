"""The build graph: which outputs the config asks for, and what each one is made from.

A target is one output file, `build/<report>/<report>.<format>`. Its inputs are
- the record files the report reads: the incidents and actors it selects (including those its
  marking withholds, since the build reports them), the incidents they link to and that answer
  them, and the actors they name, affiliate with or are affiliated with;
- `sources.yaml` (outlet names and grades) and `tallies.yaml` (official counts);
- the templates it loaded, the stylesheet among them (recorded while rendering, see `worker`);
- the report's own config (plus the project-wide settings every briefing shows), as a digest,
  so editing one report in reportgen.yaml rebuilds that report only;
- the reportgen version.

The renderer is handed a project *restricted* to these records (`restrict`), so an output can
never depend on a record that is not among its recorded inputs: the dependencies are sound by
construction, and a test checks that the restriction does not change any output.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from reportgen.layout import REGISTRY_FILES
from reportgen.load.yaml_loader import Document
from reportgen.make.jobs import ReportInputs
from reportgen.make.state import Stamp, digest_json, short_digest
from reportgen.model.config import ProjectConfig, Report
from reportgen.model.project import Project
from reportgen.select import Selection, members, select

RecordKey = tuple[str, str]
"""("incident" | "actor", id)."""


@dataclass
class LinkIndex:
    """Reverse links across the whole project, built once per build."""

    answers: dict[str, list[str]]
    """Incident id -> ids of the incidents that respond to it."""
    affiliated: dict[str, list[str]]
    """Actor id -> ids of the actors that name it in their affiliations."""

    @classmethod
    def of(cls, project: Project) -> LinkIndex:
        answers: dict[str, list[str]] = defaultdict(list)
        for incident in project.incidents.values():
            for target in incident.response_ids():
                answers[target].append(incident.id)
        affiliated: dict[str, list[str]] = defaultdict(list)
        for actor in project.actors.values():
            for affiliation in actor.affiliations:
                affiliated[affiliation.actor].append(actor.id)
        return cls(answers, affiliated)


def record_paths(project: Project) -> dict[RecordKey, str]:
    """Which file each record came from."""
    return {key: document.path for key, document in project.origins.items()}


def report_inputs(project: Project, report: Report, stamps: dict[str, Stamp],
                  index: LinkIndex, paths: dict[RecordKey, str]) -> ReportInputs:
    selection = select(project, report)
    keys = selection_keys(project, report, selection, index)
    records = {}
    for key in keys:
        path = paths[key]
        records[path] = short_digest(stamps, path)
    files = {name: stamps[name].short for name in REGISTRY_FILES if name in stamps}
    return ReportInputs(keys, dict(sorted(records.items())), files,
                        config_digest(project.config, report),
                        [(w.kind, w.id, str(w.marking)) for w in selection.withheld])


def selection_keys(project: Project, report: Report, selection: Selection,
                   index: LinkIndex) -> set[RecordKey]:
    """The records of the whole `project` the report reads: its redacted view is made from
    these, withheld ones included (the worker makes the same view from them)."""
    shown = [project.incidents[i.id] for i in selection.incidents]
    incidents = {i.id for i in shown}
    actors = set(selection.actors) | members(project, report.filters.actors)
    for withheld in selection.withheld:
        (incidents if withheld.kind == "incident" else actors).add(withheld.id)
    for incident in shown:
        incidents.update(incident.response_ids(), incident.related, index.answers.get(incident.id, ()))
        actors.update(incident.actor_ids())
        actors.update(claim.actor for claim in incident.claims if claim.actor)
    for actor_id in list(selection.actors):
        actor = project.actors[actor_id]  # whole, with its links to withheld records
        actors.update(affiliation.actor for affiliation in actor.affiliations)
        actors.update(index.affiliated.get(actor_id, ()))
        incidents.update(leader.incident for leader in actor.leaders if leader.incident)
    return ({("incident", i) for i in incidents if i in project.incidents}
            | {("actor", a) for a in actors if a in project.actors})


def restrict(project: Project, keys: Iterable[RecordKey]) -> Project:
    """The project with only these records (their origins slimmed, no problems): what a worker
    needs to render one report, and nothing it could silently depend on."""
    wanted = set(keys)
    return Project(
        root=project.root,
        config=project.config,
        incidents={i: v for i, v in project.incidents.items() if ("incident", i) in wanted},
        actors={a: v for a, v in project.actors.items() if ("actor", a) in wanted},
        outlets=project.outlets,
        tallies=project.tallies,
        origins={key: slim(document) for key, document in project.origins.items() if key in wanted},
    )


LOCATED_FIELDS = {("id",), ("marking",), ("title",), ("summary",), ("profile",), ("notes",)}
"""Where the build may locate a finding in a record: the marking (`--strict`), and for the PDF
stage the narrative whose text asked for a refused URL."""


def slim(document: Document) -> Document:
    """A parsed file reduced to its path and where its located fields start: the parsed data
    and every other position are large (a worker holds thousands) and not needed."""
    if not document.data:  # slimmed already (a record's file is never an empty mapping)
        return document
    return Document(document.path, {}, {loc: at for loc, at in document.positions.items()
                                        if loc in LOCATED_FIELDS})


def config_digest(config: ProjectConfig, report: Report) -> str:
    """The part of reportgen.yaml a report's briefing shows: its own entry, the project header
    and the escalation ladder (not other reports, SMTP or distribution lists)."""
    return digest_json({
        "project": config.project.model_dump(mode="json"),
        "escalation_ladder": [rung.model_dump(mode="json") for rung in config.escalation_ladder],
        "report": report.model_dump(mode="json"),
    })[:16]

