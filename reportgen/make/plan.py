"""Load and validate the project, work out every target's inputs and why it is out of date,
and prepare the render jobs.

With worker processes this runs in a process of its own, which exits when it is done (see
`rebuild`): the parsed project (about 250 MB for 10,000 incidents) then never stays in the
build's own process while the workers render, and the whole build fits in half a gigabyte.
"""

from __future__ import annotations

import time
from pathlib import Path

from reportgen import __version__
from reportgen.layout import FORMATS
from reportgen.make.graph import config_digest, record_paths, report_inputs, restrict, slim
from reportgen.make.jobs import Job, PackedJob, Plan, ReportInputs
from reportgen.make.result import BuildResult, Options
from reportgen.make.scan import Scan, scan
from reportgen.make.stale import Current, Reason, Stale, font_change, output_files, stale_reasons
from reportgen.make.state import State
from reportgen.make.targets import BUILD_DIR, JOBS_DIR, Target, config_targets, pick
from reportgen.pipeline import open_project
from reportgen.problems import Problem, error


def make_plan(root: Path, state: State, found: Scan, options: Options, pack: bool) -> Plan:
    """Everything the build decides before rendering; `pack` pickles the jobs for workers."""
    clock = time.perf_counter()
    project = open_project(root, templates=False, strict_drafts=options.strict)
    result = BuildResult(problems=project.problems, summary=project.summary(), loaded=True)
    result.seconds["load"] = time.perf_counter() - clock
    if project.errors or project.config is None:
        return Plan(result, found)
    config = project.config
    templates_dir = config.project.templates
    if templates_dir != state.templates_dir:
        found = scan(root, state, templates_dir)
    known = config_targets(config, FORMATS)
    result.requested = pick(known, options.names, options.formats, root)
    paths = record_paths(project)
    project.origins = {key: slim(doc) for key, doc in project.origins.items()}  # data: big
    inputs = {rid: report_inputs(project, config.report(rid), found.stamps, paths, options.since)
              for rid in dict.fromkeys(t.report for t in result.requested)}
    if options.strict:
        result.problems = [*result.problems, *withheld_errors(project, inputs)]
        if result.stopped:
            return Plan(result, found)
    since = options.since.isoformat() if options.since else ""
    result.stale = [Stale(t, reasons) for t in result.requested
                    if (reasons := _reasons(root, t, inputs[t.report], state, found, templates_dir,
                                            options.force, since))]
    jobs = [] if options.dry_run else _jobs(project, result.stale, inputs, options)
    result.seconds["plan"] = time.perf_counter() - clock - result.seconds["load"]
    for item in inputs.values():
        item.keys = set()  # used for the jobs; not needed by the build
    if pack:
        jobs = [PackedJob.of(job, root / BUILD_DIR / JOBS_DIR) for job in jobs]
    return Plan(result, found, templates_dir,
                {report.id: config_digest(config, report) for report in config.reports},
                [t.path for t in known], inputs, jobs,
                state.record_sets.set_aside_damaged(move=not options.dry_run))


def withheld_errors(project, inputs: dict[str, ReportInputs]) -> list[Problem]:
    """`--strict`: each record a report would withhold is an error, at the record's marking."""
    problems = []
    for rid, item in inputs.items():
        for kind, ident, marking in item.withheld:
            document = project.origins[(kind, ident)]
            line, column = document.locate(("marking",) if ("marking",) in document.positions
                                           else ("id",))
            problems.append(error(
                document.path, line, column,
                f"{kind} {ident} is marked {marking}, above {rid}'s {project.config.report(rid).marking}: "
                "--strict refuses to build a briefing that withholds it",
                "raise the report's marking, lower the record's, or leave it out with the "
                "report's filters"))
    return problems


def _reasons(root: Path, target: Target, inputs: ReportInputs, state: State, found: Scan,
             templates_dir: str, force: bool, since: str) -> list[Reason]:
    if force:
        return [Reason("forced")]
    current = Current(inputs.records, output_files(inputs.files, target.format, found.stamps),
                      inputs.config, __version__, since, font_change(state.fonts, found.fonts))
    return stale_reasons(root, target, state.targets.get(target.path), current, state,
                         found.stamps, templates_dir)


def _jobs(project, stale: list[Stale], inputs: dict[str, ReportInputs], options: Options) -> list[Job]:
    """One job per report, rendering all of its stale formats; a long PDF in parts by its share
    of the processes the build may use, so that the build's workers and their PDFs' never run
    more than `-j` layouts at once (`reportgen.processes`)."""
    from reportgen.processes import default_workers, layout_share

    workers = options.jobs or default_workers()
    formats: dict[str, list[str]] = {}
    for item in stale:
        formats.setdefault(item.target.report, []).append(item.target.format)
    share = layout_share(workers, len(formats))
    return [Job(restrict(project, inputs[rid].keys), rid, tuple(fmts), len(inputs[rid].keys),
                options.since, share) for rid, fmts in formats.items()]
