"""Render one report's out-of-date outputs and write each atomically; runs in a worker process
(or inline for `-j1`).

The job carries a project restricted to the records the report reads (see `graph.restrict`), so
the worker can depend on nothing else. Every template the Jinja environment loads is recorded
(the stylesheet is a template too): those are the outputs' template inputs, exactly as loaded,
dynamic includes (`{% include "partials/" ~ section ~ ".html.j2" %}`) and project overrides
included.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from jinja2 import BaseLoader, Environment

from reportgen.formats import OUTPUT_FORMATS
from reportgen.layout import OutsideBuild
from reportgen.make.jobs import Job, Outcome, PackedJob, Written
from reportgen.make.targets import Failure, Target
from reportgen.model.project import Project
from reportgen.pipeline import build_report
from reportgen.problems import ReportgenError, os_problem
from reportgen.render.environment import make_environment
from reportgen.write.manifests import set_aside_damaged


def run_packed(job: PackedJob, news=None) -> Outcome:
    """A packed job, in a worker; `news` (a queue shared with the build, or None) hears
    (report, format) as each output is rendered."""
    return run_job(job.unpack(), None if news is None else lambda fmt: news.put((job.report, fmt)))


class RecordingLoader(BaseLoader):
    """Wraps the environment's loader and remembers every template name it serves."""

    def __init__(self, inner: BaseLoader):
        self.inner = inner
        self.loaded: list[str] = []

    def get_source(self, environment: Environment, template: str):
        source = self.inner.get_source(environment, template)
        if template not in self.loaded:
            self.loaded.append(template)
        return source

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


def run_job(job: Job, made: Callable[[str], None] | None = None) -> Outcome:
    """Render and write the job's formats with one analysis; when that fails (a broken
    template), build each format on its own, so only the outputs that use the broken template
    fail. `made` hears each format as it is rendered."""
    started = time.perf_counter()
    report = job.project.config.report(job.report)
    outcome = Outcome(job.report, marking=str(report.marking))
    outcome.warnings += set_aside_damaged(job.project.root, report.id)
    if not _build(job, report, job.formats, outcome, made) and len(job.formats) > 1:
        outcome.failed.clear()
        for fmt in job.formats:
            _build(job, report, (fmt,), outcome, made)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _build(job: Job, report, formats: tuple[str, ...], outcome: Outcome,
           made: Callable[[str], None] | None) -> bool:
    """The pipeline for these formats; records what was written or why it failed."""
    project = job.project
    loaders: dict[str, RecordingLoader] = {}

    def environment_for(fmt: str) -> Environment:
        environment, loaders[fmt] = recording_environment(project)
        return environment

    targets = [Target(report.id, fmt) for fmt in formats]
    try:
        result = build_report(project, report, formats, since=job.since,
                              environment_for=environment_for, workers=job.workers, made=made)
    except OutsideBuild as exc:  # a link in build/, which may lead anywhere
        outcome.failed += [Failure(target, f"not written: {exc.message}") for target in targets]
        return False
    except ReportgenError as stop:  # a broken template, located
        outcome.failed += [Failure(target, "not built", tuple(stop.problems)) for target in targets]
        return False
    except OSError as exc:  # a full disk: the file it concerns, and why
        outcome.failed += [Failure(target, "not built", (os_problem(exc),)) for target in targets]
        return False
    except Exception as exc:  # noqa: BLE001 - any failure of an output is reported, not raised
        outcome.failed += [Failure(target, f"{type(exc).__name__}: {exc}") for target in targets]
        return False
    outcome.withheld = [str(w) for w in result.selection.withheld]
    outcome.warnings += result.problems
    outcome.notes += result.notes
    charts = [p.relative_to(project.root).as_posix() for p in result.charts]
    for target in targets:
        info = os.stat(project.root / target.path)
        output = OUTPUT_FORMATS[target.format]
        extras = charts if output.links_charts else []
        read = [*loaders[target.format].loaded, *output.theme_files]
        outcome.written.append(Written(target, read, (info.st_size, info.st_mtime_ns), extras))
    return True


def recording_environment(project: Project) -> tuple[Environment, RecordingLoader]:
    """The renderer's environment, its loader wrapped to record what is loaded."""
    environment = make_environment(project.root / project.config.project.templates)
    loader = RecordingLoader(environment.loader)
    environment.loader = loader
    return environment, loader

