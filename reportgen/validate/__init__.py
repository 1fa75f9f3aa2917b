"""Validate a parsed project: each document against its model, then the cross-file rules.

The result is a `Project` whose actor references are canonical ids, so later stages never
resolve names again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from reportgen.load.read import RawProject
from reportgen.load.yaml_loader import Document
from reportgen.model import Actor, Incident, ProjectConfig, SourcesRegistry
from reportgen.model.project import Project
from reportgen.model.tally import TalliesFile, Tally
from reportgen.problems import Problem, Severity, error
from reportgen.validate import language, plausible, rules
from reportgen.validate.documents import validate_document


def validate_project(raw: RawProject, today: dt.date | None = None, *,
                     strict_drafts: bool = False) -> Project:
    """The validated project and every located problem. A draft incident's errors are
    warnings and the draft is left out (`_drafts_apart`), unless `strict_drafts`."""
    problems = list(raw.problems)
    config = _config(raw.config, problems)
    outlets = _outlets(raw.sources, problems)
    tallies = _tallies(raw.tallies, outlets, today or dt.date.today(), problems)
    origins: dict[tuple[str, str], Document] = {}
    incidents = _records(raw.incidents, Incident, "incident", origins, problems)
    actors = _records(raw.actors, Actor, "actor", origins, problems)
    ctx = rules.Context(incidents, actors, outlets, origins, today or dt.date.today(), config)
    for incident in incidents.values():
        problems.extend(rules.incident_rules(ctx, incident))
        problems.extend(plausible.incident_warnings(ctx, incident))
        problems.extend(language.curators_words(origins[("incident", incident.id)], (), incident))
    problems.extend(rules.response_cycles(ctx))
    for actor in actors.values():
        problems.extend(rules.actor_rules(ctx, actor))
        problems.extend(plausible.actor_warnings(ctx, actor))
        problems.extend(language.curators_words(origins[("actor", actor.id)], (), actor))
    problems.extend(rules.ambiguous_names(ctx))
    problems.extend(rules.document_grades(ctx))
    if config and raw.config:
        problems.extend(rules.config_rules(ctx, config, raw.config))
    project = Project(raw.root, config, outlets=outlets, tallies=tallies, origins=origins)
    project.incidents = {i: _canonical_incident(ctx, v) for i, v in sorted(incidents.items())}
    project.actors = {i: _canonical_actor(ctx, v) for i, v in sorted(actors.items())}
    problems.extend(plausible.override_warnings(ctx, project.incidents, project.actors))
    if config:
        project.config = _canonical_config(ctx, config)
    if not strict_drafts:
        problems = _drafts_apart(raw, project, problems)
    if project.config and raw.config:
        problems.extend(rules.outlook_selection(project, raw.config))
    project.problems = sorted(set(problems), key=lambda p: p.sort_key)
    return project


DRAFT_HINT = "a draft: left out of every briefing until it is fixed (--strict stops on it)"


def _drafts_apart(raw: RawProject, project: Project, problems: list[Problem]) -> list[Problem]:
    """One curator's half-filled draft never stops the desk's briefing: the errors of a file
    whose `status` is draft become warnings at the same lines, and the draft is left out."""
    drafts = {d.path for d in raw.incidents if isinstance(d.data, dict) and d.data.get("status") == "draft"}
    faulty = {p.path for p in problems if p.severity is Severity.ERROR and p.path in drafts}
    if not faulty:
        return problems
    project.incidents = {key: incident for key, incident in project.incidents.items()
                         if project.origins[("incident", key)].path not in faulty}
    return [dataclasses.replace(p, severity=Severity.WARNING,
                                hint=f"{p.hint}; {DRAFT_HINT}" if p.hint else DRAFT_HINT)
            if p.path in faulty and p.severity is Severity.ERROR else p for p in problems]


def _config(document: Document | None, problems: list[Problem]) -> ProjectConfig | None:
    if document is None:
        return None
    config, found = validate_document(document, ProjectConfig)
    problems.extend(found)
    if config:
        problems.extend(language.curators_words(document, (), config))
    return config.located(document) if config else None


def _outlets(document: Document | None, problems: list[Problem]) -> dict:
    if document is None:
        return {}
    registry, found = validate_document(document, SourcesRegistry)
    problems.extend(found)
    if registry:
        problems.extend(language.curators_words(document, (), registry))
    return _by_id(document, registry.outlets, "outlets", "outlet", problems) if registry else {}


def _tallies(document: Document | None, outlets: dict, today: dt.date,
             problems: list[Problem]) -> dict[str, Tally]:
    if document is None:
        return {}
    found, found_problems = validate_document(document, TalliesFile)
    problems.extend(found_problems)
    if found is None:
        return {}
    problems.extend(language.curators_words(document, (), found))
    for index, tally in enumerate(found.tallies):
        problems.extend(rules.tally_rules(document, ("tallies", index), tally, outlets, today))
    return _by_id(document, found.tallies, "tallies", "tally", problems)


def _by_id(document: Document, items: list, field: str, what: str, problems: list[Problem]) -> dict:
    """A registry file's entries by id; an id given twice is an error at the second."""
    found = {}
    for index, item in enumerate(items):
        if item.id in found:
            line, column = document.locate((field, index, "id"))
            problems.append(error(document.path, line, column, f"duplicate {what} '{item.id}'"))
        found[item.id] = item
    return found


def _records(documents: list[Document], model, kind: str,
             origins: dict[tuple[str, str], Document], problems: list[Problem]) -> dict:
    records = {}
    for document in documents:
        record, found = validate_document(document, model)
        problems.extend(found)
        if record is None:
            continue
        problems.extend(rules.check_file_name(document, record.id))
        if record.id in records:
            first = origins[(kind, record.id)]
            line, column = document.locate(("id",))
            problems.append(error(document.path, line, column,
                                  f"duplicate {kind} id '{record.id}' (also in {first.path})",
                                  "ids must be unique across all folders"))
            continue
        records[record.id] = record
        origins[(kind, record.id)] = document
    return records


def _resolve(ctx: rules.Context, reference: str) -> str:
    return ctx.names.resolve(reference) or reference


def _canonical_incident(ctx: rules.Context, incident: Incident) -> Incident:
    actors = [r.model_copy(update={"actor": _resolve(ctx, r.actor)}) for r in incident.actors]
    claims = [c.model_copy(update={"actor": _resolve(ctx, c.actor)}) if c.actor else c
              for c in incident.claims]
    casualties = [c.model_copy(update={"party": _resolve(ctx, c.party_actor)}) if c.party_actor else c
                  for c in incident.casualties]
    return incident.model_copy(update={"actors": actors, "claims": claims, "casualties": casualties})


def _canonical_actor(ctx: rules.Context, actor: Actor) -> Actor:
    affiliations = [a.model_copy(update={"actor": _resolve(ctx, a.actor)})
                    for a in actor.affiliations]
    return actor.model_copy(update={"affiliations": affiliations})


def _canonical_config(ctx: rules.Context, config: ProjectConfig) -> ProjectConfig:
    reports = []
    for report in config.reports:
        actors = [_resolve(ctx, a) for a in report.filters.actors]
        filters = report.filters.model_copy(update={"actors": actors})
        reports.append(report.model_copy(update={"filters": filters}))
    return config.model_copy(update={"reports": reports})
