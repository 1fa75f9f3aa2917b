"""The build's slow path: load and validate the project, plan, render what is stale, record it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from .. import __version__
from ..project import open_project
from . import BuildResult, Options, Reporter, remove_stale
from .graph import LinkIndex, ReportInputs, config_digest, record_paths, report_inputs, restrict
from .plan import Current, Reason, Stale, stale_reasons
from .run import Workers, execute
from .scan import Scan, scan
from .state import SHORT, State, TargetRecord, save_state
from .targets import BUILD_DIR, Target, config_targets, pick, template_key
from .worker import FORMATS, Job, Outcome


def rebuild(root: Path, state: State, found: Scan, options: Options, *,
            workers: Workers | None, reporter: Reporter) -> BuildResult:
    clock = time.perf_counter()
    project = open_project(root)
    result = BuildResult(problems=project.problems, summary=project.summary(), loaded=True)
    result.seconds["load"] = time.perf_counter() - clock
    reporter.checked(result.problems, result.summary)
    if project.errors or project.config is None:
        return result
    config = project.config
    templates_dir = config.project.templates
    if templates_dir != state.templates_dir:
        found = scan(root, state, templates_dir)
    known = config_targets(config, FORMATS)
    result.requested = pick(known, options.names, options.formats, root)
    since = options.since.isoformat() if options.since else ""
    paths = record_paths(project)
    project.origins.clear()  # the parsed documents: only needed to locate problems; big
    index = LinkIndex.of(project)
    reports = {report.id: report for report in config.reports}
    inputs = {rid: report_inputs(project, reports[rid], found.stamps, index, paths)
              for rid in dict.fromkeys(t.report for t in result.requested)}
    result.stale = [Stale(t, reasons) for t in result.requested
                    if (reasons := _reasons(root, t, inputs[t.report], state, found, templates_dir,
                                            options.force, since))]
    obsolete = sorted(set(state.targets) - {t.path for t in known})
    if options.dry_run:
        result.removed = obsolete
        return result
    state.reportgen = __version__
    state.templates_dir = templates_dir
    state.files = found.stamps
    state.configs = {report.id: config_digest(config, report) for report in config.reports}
    state.expected = [t.path for t in known]
    for path in remove_stale(root, state, {t.path for t in known}):
        result.removed.append(path)
        reporter.removed(path)
    save_state(root / BUILD_DIR, state)
    reporter.planned(result.stale, len(result.requested))
    result.seconds["plan"] = time.perf_counter() - clock - result.seconds["load"]
    if not result.stale:
        return result
    jobs_to_run = _jobs(project, result.stale, inputs, options.since)

    def finished(outcome: Outcome) -> None:
        _record(root, state, outcome, inputs[outcome.report], templates_dir, since)
        save_state(root / BUILD_DIR, state)
        result.built += [written.target for written in outcome.written]
        result.failed += outcome.failed
        reporter.finished(outcome)

    execute(jobs_to_run, workers, keep_going=options.keep_going,
            started=lambda job: reporter.started(job.targets), finished=finished)
    result.seconds["render"] = time.perf_counter() - clock - result.seconds["load"] - result.seconds["plan"]
    return result


def _reasons(root: Path, target: Target, inputs: ReportInputs, state: State, found: Scan,
             templates_dir: str, force: bool, since: str) -> list[Reason]:
    if force:
        return [Reason("forced")]
    current = Current(inputs.records, inputs.files, inputs.config, __version__, since)
    return stale_reasons(root, target, state.targets.get(target.path), current, state,
                         found.stamps, templates_dir)


def _jobs(project, stale: list[Stale], inputs: dict[str, ReportInputs],
          since: dt.date | None) -> list[Job]:
    """One job per report, rendering all of its stale formats."""
    formats: dict[str, list[str]] = {}
    for item in stale:
        formats.setdefault(item.target.report, []).append(item.target.format)
    return [Job(restrict(project, inputs[rid].keys), rid, tuple(fmts), len(inputs[rid].keys), since)
            for rid, fmts in formats.items()]


def _record(root: Path, state: State, outcome: Outcome, inputs: ReportInputs,
            templates_dir: str, since: str) -> None:
    """Remember what each written output was made from. A failed target keeps its old record:
    its old output is still in place, and its changed inputs make it stale next time."""
    records = state.add_record_set(inputs.records)
    for written in outcome.written:
        templates = {}
        for name in written.templates:
            key = template_key(root, templates_dir, name) or f"?{name}"
            stamp = state.files.get(key)
            templates[name] = (key, stamp.sha256[:SHORT] if stamp else "missing")
        state.targets[written.target.path] = TargetRecord(
            report=written.target.report, format=written.target.format, records=records,
            files=inputs.files, templates=templates, config=inputs.config, reportgen=__version__,
            output=written.output, extras=written.extras, since=since)
