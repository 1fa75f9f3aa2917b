"""The pipeline: each stage takes what the one before it returned.

    project  = open_project(root)               # load -> validate
    briefing = make_briefing(project, report)   # select -> analyse
    outputs  = publish(briefing)                # render -> write
    result   = distribute(root, report.id)      # mail: ensure built, then send

`run(root)` is all of it, for every report of a project: what `reportgen build --force` does,
without the make-style engine (`reportgen.make`), which decides which reports to publish, runs
`build_report` for them in worker processes, and remembers what each was made from. This module
is the only one that calls the stages in order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, Template

from reportgen.analyse import analyse_report
from reportgen.analyse.changes import compared_issue
from reportgen.briefing import Briefing
from reportgen.formats import OUTPUT_FORMATS, OutputFormat, Rendered, in_processes
from reportgen.layout import BUILD_DIR, CHARTS_KEPT
from reportgen.load.read import read_project
from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.problems import ReportgenError
from reportgen.processes import worker_pool
from reportgen.select import RecordKey, Selection, select
from reportgen.validate import validate_project
from reportgen.write.cache import FolderCache
from reportgen.write.manifests import read_manifests
from reportgen.write.outputs import Outputs, write_outputs

if TYPE_CHECKING:
    from reportgen.mail.mailer import MailResult

EnvironmentFor = Callable[[str], Environment]
"""format -> the Jinja environment it is rendered with (a build's records what it loads)."""


def open_project(root: str | Path = ".", today: dt.date | None = None, *,
                 templates: bool = True, strict_drafts: bool = False) -> Project:
    """Load and validate the project at `root`: never raises for bad input; the problems
    (records, sources, reportgen.yaml and the project's templates) are `project.problems`,
    exactly what `reportgen check` reports. A build leaves out `templates`: it meets a broken
    template where it renders, so that only the outputs using it fail. A draft's errors are
    warnings (the draft left out) unless `strict_drafts`."""
    project = validate_project(read_project(Path(root).resolve()), today=today,
                               strict_drafts=strict_drafts)
    if templates:
        from reportgen.validate.templates import template_problems  # Jinja: only when asked

        project.add_problems(template_problems(project))
    return project


def make_briefing(project: Project, report: Report, *, since: dt.date | None = None) -> Briefing:
    """Select and analyse; nothing is rendered or written. `since` is the date of the issue
    "what changed" compares with (default: the report's `previous_issue`). Once the project has
    a build folder, its charts are kept there and read back while what they show is unchanged
    (`render.charts.cache`)."""
    selection = select(project, report)
    build = project.root / BUILD_DIR
    manifests = read_manifests(build, report.id)
    charts = FolderCache(build / CHARTS_KEPT) if build.is_dir() else None
    return Briefing(selection, analyse_report(selection, manifests, since=since), charts)


def report_reads(project: Project, report: Report, since: dt.date | None = None
                 ) -> tuple[Selection, frozenset[RecordKey]]:
    """The report's selection, and every record of `project` its briefing reads: the
    selection's (`Selection.reads`) and the incidents of the earlier issue "what changed"
    compares with (its `since`, as `make_briefing` takes it), which it may say were retracted
    or withheld since."""
    selection = select(project, report)
    previous = compared_issue(read_manifests(project.root / BUILD_DIR, report.id), report, since)
    compared = {("incident", i) for i in (previous.incidents if previous else ())
                if i in project.incidents}
    return selection, selection.reads | compared


def publish(briefing: Briefing, formats: Iterable[str] | None = None,
            environment_for: EnvironmentFor | None = None, *, workers: int = 1,
            made: Callable[[str], None] | None = None) -> Outputs:
    """Render the formats asked for (default: the report's) and write them into build/, with
    the charts and the issue's manifest, and a copy in the report's archive (`write.archive`).
    Texts are rendered while they are written (a briefing of 10,000 incidents is never held
    whole); every output is made before any is put in place, so a broken template (the
    archive's index's included) leaves the old ones. A long PDF is laid out by up to `workers`
    processes, started when first needed, and a compendium's charts are drawn in them.
    `made` hears each format's name as soon as it is rendered (a progress bar)."""
    from reportgen.render.archive import index_template

    wanted = tuple(f for f in (formats or briefing.report.formats) if f in OUTPUT_FORMATS)
    environment = environment_for or (lambda fmt: None)
    index = index_template(briefing.project)
    with worker_pool(workers) as pool:
        if pool is not None and briefing.selection.compendium and in_processes(wanted):
            briefing.draw_charts(pool)  # its PDF, laid out in parts, starts the pool anyway
        rendered = {}
        for fmt in wanted:
            rendered[fmt] = _render(briefing, OUTPUT_FORMATS[fmt], environment(fmt), pool, made)
            if pool is not None:
                pool.release()  # no idle layout process waits through the next format
    outputs = write_outputs(briefing, rendered)
    archive(briefing, outputs, index)
    return outputs


def _render(briefing: Briefing, output: OutputFormat, environment: Environment | None,
            pool: Executor | None, made: Callable[[str], None] | None) -> Rendered:
    """One format made by its renderer (see `reportgen.formats`); `made` hears it once it is
    done: a text as its last piece is written, bytes at once."""
    rendered = output.renderer()(briefing, environment, pool=pool)
    if isinstance(rendered.data, bytes):
        if made:
            made(output.name)
        return rendered
    return dataclasses.replace(rendered, data=_announced(rendered.data, output.name, made))


def _announced(chunks: Iterator[str], fmt: str, made: Callable[[str], None] | None) -> Iterator[str]:
    """The text's pieces, then `made(fmt)` once the last is out: a text is rendered while it
    is written."""
    yield from chunks
    if made:
        made(fmt)


def archive(briefing: Briefing, outputs: Outputs, index: Template) -> None:
    """Keep a copy of the issue just written in the report's archive, and list it there."""
    from reportgen.render.archive import render_index
    from reportgen.write.archive import archive_issue, archived_issues, write_index

    root, report = briefing.project.root, briefing.report
    outputs.archived = archive_issue(root, report, outputs.written, outputs.charts)
    page = render_index(index, briefing.project, report.title, archived_issues(root, report.id))
    outputs.archived.append(write_index(root, report.id, page))


def build_report(project: Project, report: Report, formats: Iterable[str] | None = None, *,
                 since: dt.date | None = None, environment_for: EnvironmentFor | None = None,
                 workers: int = 1, made: Callable[[str], None] | None = None) -> Outputs:
    """One report from a validated project to its files in build/."""
    return publish(make_briefing(project, report, since=since), formats, environment_for,
                   workers=workers, made=made)


def distribute(root: str | Path = ".", report_id: str | None = None, *, lists: Sequence[str] = (),
               strict: bool = False, unreviewed: str | None = None, **sending) -> MailResult:
    """The mail stage: the report's attachments (`attach`, the PDF by default) brought up to date
    by the build, then sent to its lists (or with `dry_run`, written as .eml files). The project
    is loaded once; a list not cleared for the marking and text awaiting review stop it before
    anything is built. ReportgenError for whatever stops it before a message goes; `sending` are
    `mail_report`'s options."""
    from reportgen.mail.mailer import mail_report, plan_mailing, refuse_unreviewed

    project = open_project(root, strict_drafts=strict)
    if project.errors or project.config is None:
        raise ReportgenError(project.errors)
    config = project.config
    report = config.report(report_id) if report_id else config.default_report
    plan_mailing(config, report, lists)
    refuse_unreviewed(config, report, unreviewed)
    files = ensure_built(project, report, strict=strict)
    return mail_report(project, report, files, lists=lists, unreviewed=unreviewed, **sending)


def ensure_built(project: Project, report: Report, *, strict: bool = False) -> dict[str, Path]:
    """The report's files to attach (format -> path), each brought up to date first (never mail a
    stale briefing); `strict` refuses a briefing whose marking withholds records (see
    `reportgen build --strict`)."""
    from reportgen.make import build
    from reportgen.make.targets import Target

    missing = [fmt for fmt in report.attach if fmt not in report.formats]
    if missing:
        raise ReportgenError([project.config.report_problem(
            report.id, "attach", f"report '{report.id}' attaches {', '.join(missing)}, which it "
            "does not build", f"add {', '.join(missing)} to its formats, or leave it out of attach")])
    shown = [Target(report.id, fmt).path for fmt in report.attach]
    files = {fmt: project.root / path for fmt, path in zip(report.attach, shown, strict=True)}
    result = build(project.root, shown, jobs=1, strict=strict)
    if not result.ok or not all(path.is_file() for path in files.values()):
        found = result.problems or [p for failure in result.failed for p in failure.problems]
        why = "; ".join(failure.message for failure in result.failed) or "see `reportgen build`"
        raise ReportgenError(found or [project.config.report_problem(
            report.id, "id", f"report '{report.id}' could not be built into {', '.join(shown)}: {why}",
            f"run `reportgen build {report.id}` to see why")])
    return files


def run(root: str | Path = ".") -> list[Outputs]:
    """Every report of the project at `root`, rebuilt; ReportgenError when it has errors."""
    project = open_project(root)
    if project.errors or project.config is None:
        raise ReportgenError(project.errors)
    return [build_report(project, report) for report in project.config.reports]
