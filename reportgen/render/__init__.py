"""Render a report's briefing as Markdown and HTML text (PDF is made from the HTML later)."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, TemplateError, TemplateSyntaxError

from ..corpus import Selection, select
from ..errors import Problem, ReportgenError, error
from ..model.config import Report
from ..model.project import Project
from .context import briefing_context
from .environment import make_environment

if TYPE_CHECKING:
    from ..analysis import EscalationAnalysis
    from ..analysis.charts import Chart

TEMPLATES = {"md": "briefing.md.j2", "html": "briefing.html.j2"}
TEXT_FORMATS = tuple(TEMPLATES)


def render_report(project: Project, report: Report, *, selection: Selection | None = None,
                  analysis: EscalationAnalysis | None = None, charts: Iterable[Chart] = (),
                  formats: tuple[str, ...] | None = None,
                  environment_for: Callable[[str], Environment] | None = None) -> dict[str, str]:
    """format -> document text, for the report's text formats (or the ones asked for).

    Without an `analysis` the briefing has no escalation overview and no changes section;
    `reportgen.build` makes the analysis and its charts and passes them in. `environment_for`
    gives the Jinja environment for each format (default: one `make_environment` on the
    project's templates); the make-style build passes environments that record what they load.
    """
    selection = selection or select(project, report)
    if environment_for is None:
        shared = make_environment(project.root / project.config.project.templates)
        environment_for = lambda fmt: shared  # noqa: E731
    context = briefing_context(project, report, selection, analysis, charts)
    wanted = formats or tuple(f for f in report.formats if f in TEMPLATES)
    with located_template_errors(project.root):
        return {fmt: environment_for(fmt).get_template(TEMPLATES[fmt]).render(context)
                for fmt in wanted}


@contextmanager
def located_template_errors(root: Path) -> Iterator[None]:
    """Turn any failure while loading or rendering a template into a located ReportgenError. A
    project's template can fail in more ways than Jinja's own errors (a division by zero, a
    macro calling itself for ever, a file that is not UTF-8); each is a problem at the template
    line that failed, never a traceback."""
    try:
        yield
    except ReportgenError:
        raise
    except Exception as exc:  # noqa: BLE001 - see the docstring
        raise ReportgenError([template_problem(exc, root)]) from exc


def template_problem(exc: Exception, root: Path) -> Problem:
    """A broken (project) template as a located problem: the template file and line."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        where, line = exc.filename, exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        where, line = (frames[-1].filename, frames[-1].lineno or 1) if frames else ("templates", 1)
    path = Path(where)
    shown = path.relative_to(root) if path.is_absolute() and path.is_relative_to(root) else path
    message = exc.message if isinstance(exc, TemplateError) and exc.message else (
        str(exc) if isinstance(exc, TemplateError) else f"{type(exc).__name__}: {exc}")
    return error(shown, line, 1, f"template error: {message}",
                 "fix the template, or remove it to use the default theme")
