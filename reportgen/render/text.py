"""Render a report's briefing as Markdown and HTML text (PDF is made from the HTML later)."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.problems import Problem, ReportgenError, error
from reportgen.render.context import briefing_context
from reportgen.render.environment import make_environment
from reportgen.select import Selection, select

if TYPE_CHECKING:
    from reportgen.analyse import EscalationAnalysis
    from reportgen.render.charts import Chart

TEMPLATES = {"md": "briefing.md.j2", "html": "briefing.html.j2"}
TEXT_FORMATS = tuple(TEMPLATES)


def render_report(project: Project, report: Report, *, selection: Selection | None = None,
                  analysis: EscalationAnalysis | None = None, charts: Iterable[Chart] = (),
                  formats: tuple[str, ...] | None = None,
                  environment_for: Callable[[str], Environment] | None = None) -> dict[str, str]:
    """format -> document text, for the report's text formats (or the ones asked for).

    Without an `analysis` the briefing has no escalation overview and no changes section;
    `reportgen.write.outputs` makes the analysis and its charts and passes them in. `environment_for`
    gives the Jinja environment for each format (default: one `make_environment` on the
    project's templates); the make-style build passes environments that record what they load.
    """
    streams = stream_report(project, report, selection=selection, analysis=analysis,
                            charts=charts, formats=formats, environment_for=environment_for)
    return {fmt: "".join(chunks) for fmt, chunks in streams.items()}


def stream_report(project: Project, report: Report, *, selection: Selection | None = None,
                  analysis: EscalationAnalysis | None = None, charts: Iterable[Chart] = (),
                  formats: tuple[str, ...] | None = None,
                  environment_for: Callable[[str], Environment] | None = None,
                  ) -> dict[str, Iterator[str]]:
    """Like `render_report`, but each text comes in the pieces Jinja makes, to be written as they
    come: a briefing of 10,000 incidents (20 MB of HTML) is never held whole in memory, which
    keeps a build's workers about 80 MB smaller. Each is rendered when it is read."""
    selection = selection or select(project, report)
    if environment_for is None:
        shared = make_environment(project.root / project.config.project.templates)
        environment_for = lambda fmt: shared  # noqa: E731
    context = briefing_context(project, report, selection, analysis, charts)
    wanted = formats or tuple(f for f in report.formats if f in TEMPLATES)
    return {fmt: _chunks(environment_for(fmt), TEMPLATES[fmt], context, project.root)
            for fmt in wanted}


def _chunks(environment: Environment, name: str, context: dict, root: Path) -> Iterator[str]:
    with located_template_errors(root):
        yield from environment.get_template(name).generate(context)


def template_problems(project: Project) -> list[Problem]:
    """Compile each of the project's own templates, so `reportgen check` finds a syntax error,
    an unknown filter or a file that is not UTF-8 before any build does."""
    if project.config is None:
        return []
    folder = project.root / project.config.project.templates
    environment = make_environment(folder)
    problems = []
    for path in sorted(folder.rglob("*.j2")) if folder.is_dir() else ():
        try:
            with located_template_errors(project.root, path.relative_to(project.root).as_posix()):
                environment.get_template(path.relative_to(folder).as_posix())
        except ReportgenError as exc:
            problems += exc.problems
    return problems


@contextmanager
def located_template_errors(root: Path, where: str = "templates") -> Iterator[None]:
    """Turn any failure while loading or rendering a template into a located ReportgenError. A
    project's template can fail in more ways than Jinja's own errors (a division by zero, a
    macro calling itself for ever, a file that is not UTF-8); each is a problem at the template
    line that failed (or at `where`, when no template line is to blame), never a traceback."""
    try:
        yield
    except ReportgenError:
        raise
    except Exception as exc:  # noqa: BLE001 - see the docstring
        raise ReportgenError([template_problem(exc, root, where)]) from exc


def template_problem(exc: Exception, root: Path, where: str = "templates") -> Problem:
    """A broken (project) template as a located problem: the template file and line."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where, line = exc.filename, exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where, line = (frames[-1].filename, frames[-1].lineno or 1) if frames else (where, 1)
    path = Path(where)
    shown = path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path
    if isinstance(exc, TemplateNotFound):
        message = f"no template named '{exc.name}' in the project's templates or the default theme"
    elif isinstance(exc, TemplateError):
        message = exc.message or str(exc)
    else:
        message = f"{type(exc).__name__}: {exc}"
    return error(shown, line, 1, f"template error: {message}",
                 "fix the template, or remove it to use the default theme")
