"""A briefing as Markdown and HTML text (the PDF is made from the HTML, see `pdf`); and every
failure of a template as a located problem."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, TemplateError, TemplateNotFound, TemplateSyntaxError

from reportgen.formats import Rendered
from reportgen.model.project import Project
from reportgen.problems import Problem, ReportgenError, error
from reportgen.render.context import briefing_context
from reportgen.render.environment import make_environment

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from reportgen.briefing import Briefing

TEMPLATES = {"md": "briefing.md.j2", "html": "briefing.html.j2"}


def stream(briefing: Briefing, fmt: str, environment: Environment | None = None, *,
           medium: str = "screen") -> Iterator[str]:
    """The briefing as Markdown or HTML, in the pieces Jinja makes, to be written as they come:
    a briefing of 10,000 incidents (20 MB of HTML) is never held whole in memory, which keeps a
    build's workers about 80 MB smaller. It is rendered as it is read. `environment` defaults to
    the project's (its templates, then the default theme); `medium` is the context's (the PDF's
    HTML is made for "print")."""
    environment = environment or make_environment(project_templates(briefing.project))
    context = briefing_context(briefing, medium)
    return _chunks(environment, TEMPLATES[fmt], context, briefing.project.root)


def render_markdown(briefing: Briefing, environment: Environment | None = None, *,
                    pool: Executor | None = None) -> Rendered:
    """The Markdown briefing, as a format of `reportgen.formats`."""
    return Rendered(stream(briefing, "md", environment))


def render_html(briefing: Briefing, environment: Environment | None = None, *,
                pool: Executor | None = None) -> Rendered:
    """The HTML briefing, as a format of `reportgen.formats`."""
    return Rendered(stream(briefing, "html", environment))


def render(briefing: Briefing, fmt: str, environment: Environment | None = None) -> str:
    """The briefing as one Markdown or HTML text."""
    return "".join(stream(briefing, fmt, environment))


def project_templates(project: Project) -> Path:
    """The project's own templates folder (which overrides the default theme)."""
    return project.root / project.config.project.templates


def _chunks(environment: Environment, name: str, context: dict, root: Path) -> Iterator[str]:
    with located_template_errors(root):
        yield from environment.get_template(name).generate(context)


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
