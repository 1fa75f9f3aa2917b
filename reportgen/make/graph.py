"""The build graph: which outputs the config asks for, and what each one is made from.

A target is one output file, `build/<report>/<report>.<format>`. Its inputs are
- the record files the report reads, as the select stage decides them (`Selection.reads`, the
  rule "What a report reads" in `reportgen.select`), and the incidents of the issue "what
  changed" compares with;
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

import datetime as dt
from collections.abc import Iterable

from reportgen.layout import REGISTRY_FILES
from reportgen.load.yaml_loader import Document
from reportgen.make.jobs import ReportInputs
from reportgen.make.state import Stamp, digest_json, short_digest
from reportgen.model.config import ProjectConfig, Report
from reportgen.model.project import Project
from reportgen.pipeline import report_reads
from reportgen.select import RecordKey


def record_paths(project: Project) -> dict[RecordKey, str]:
    """Which file each record came from."""
    return {key: document.path for key, document in project.origins.items()}


def report_inputs(project: Project, report: Report, stamps: dict[str, Stamp],
                  paths: dict[RecordKey, str], since: dt.date | None = None) -> ReportInputs:
    """What the report's outputs are made from: the records the select stage says it reads
    (`pipeline.report_reads`, withheld ones included: the worker makes the same view from
    them), the registry files and its settings."""
    selection, keys = report_reads(project, report, since)
    records = {paths[key]: short_digest(stamps, paths[key]) for key in keys}
    files = {name: stamps[name].short for name in REGISTRY_FILES if name in stamps}
    return ReportInputs(set(keys), dict(sorted(records.items())), files,
                        config_digest(project.config, report),
                        [(w.kind, w.id, str(w.marking)) for w in selection.withheld])


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

