"""The build's slow path: plan (see `plan`), remove what the config no longer asks for,
render what is stale, and record each finished report in the state at once."""

from __future__ import annotations

import time
from pathlib import Path

from reportgen import __version__
from reportgen.formats import OUTPUT_FORMATS
from reportgen.make.cleanup import remove_jobs, remove_stale
from reportgen.make.jobs import Outcome, ReportInputs
from reportgen.make.result import BuildResult, Options, Reporter
from reportgen.make.run import Workers, execute
from reportgen.make.scan import Scan
from reportgen.make.stale import output_files
from reportgen.make.state import State, TargetRecord, save_state, short_digest
from reportgen.make.targets import template_key
from reportgen.problems import Note, unique_notes
from reportgen.render.fonts import Resolved, describe, fallbacks


def rebuild(root: Path, state: State, found: Scan, options: Options, *,
            workers: Workers | None, reporter: Reporter) -> BuildResult:
    if workers is None:
        from reportgen.make.plan import make_plan

        plan = make_plan(root, state, found, options, pack=False)
    else:
        plan = workers.plan(root, state, found, options)
    result = plan.result
    reporter.checked(result.problems, result.summary)
    damaged = [*state.damaged, *plan.damaged]
    if damaged:
        reporter.set_aside(damaged)
        result.problems = [*result.problems, *damaged]
    if result.stopped:
        return result
    obsolete = sorted(set(state.targets) - set(plan.expected))
    if options.dry_run:
        result.removed = obsolete
        return result
    state.reportgen = __version__
    state.templates_dir = plan.templates_dir
    state.files = plan.found.stamps
    if plan.found.fonts is not None:
        state.fonts = [[item.wanted, item.family] for item in plan.found.fonts]
    state.configs = plan.configs
    state.expected = plan.expected
    for rid, inputs in plan.inputs.items():
        state.withheld[rid] = [f"{kind} {ident} ({marking})" for kind, ident, marking in inputs.withheld]
    state.withheld = {rid: items for rid, items in state.withheld.items()
                      if items and rid in plan.configs}
    for path in remove_stale(root, state, set(plan.expected)):
        result.removed.append(path)
        reporter.removed(path)
    save_state(root, state)
    reporter.planned(result.stale, len(result.requested))
    if not plan.jobs:
        return result
    since = options.since.isoformat() if options.since else ""

    def finished(outcome: Outcome) -> None:
        _record(root, state, outcome, plan.inputs[outcome.report], plan.templates_dir, since)
        save_state(root, state)
        result.built += [written.target for written in outcome.written]
        result.failed += outcome.failed
        result.notes = unique_notes([*result.notes, *outcome.notes])
        reporter.finished(outcome)

    started = time.perf_counter()
    try:
        execute(plan.jobs, workers, keep_going=options.keep_going,
                started=lambda job: reporter.started(job.targets), finished=finished,
                made=reporter.made if reporter.live else None)
    finally:
        remove_jobs(root)
    result.seconds["render"] = time.perf_counter() - started
    if any(OUTPUT_FORMATS[target.format].fonts for target in result.built):
        result.notes = unique_notes([*font_notes(state.fonts), *result.notes])
    return result


def font_notes(resolution: list[list[str]]) -> list[Note]:
    """A note for each font the theme asks for that this machine does not have."""
    missing = [Resolved(wanted, family, "") for wanted, family in resolution]
    return [Note(describe(item), key=f"font:{item.wanted}") for item in fallbacks(missing)]


def _record(root: Path, state: State, outcome: Outcome, inputs: ReportInputs,
            templates_dir: str, since: str) -> None:
    """Remember what each written output was made from. A failed target keeps its old record:
    its old output is still in place, and its changed inputs make it stale next time."""
    records = state.record_sets.add(inputs.records)
    for written in outcome.written:
        templates = {}
        for name in written.templates:
            key = template_key(root, templates_dir, name) or f"?{name}"
            templates[name] = (key, short_digest(state.files, key))
        state.targets[written.target.path] = TargetRecord(
            report=written.target.report, format=written.target.format, records=records,
            files=output_files(inputs.files, written.target.format, state.files),
            templates=templates, config=inputs.config, reportgen=__version__,
            output=written.output, extras=written.extras, since=since)
