"""Render a report's briefing as Markdown and HTML text (PDF is made from the HTML later)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from ..corpus import Selection, select
from ..model.config import Report
from ..model.project import Project
from .context import briefing_context
from .environment import make_environment

TEMPLATES = {"md": "briefing.md.j2", "html": "briefing.html.j2"}
TEXT_FORMATS = tuple(TEMPLATES)


def render_report(project: Project, report: Report, *, selection: Selection | None = None,
                  analysis: Any = None, formats: tuple[str, ...] | None = None,
                  environment: Environment | None = None) -> dict[str, str]:
    """format -> document text, for the report's text formats (or the ones asked for).
    `environment` defaults to `make_environment` on the project's templates; the build passes
    one that records which templates were loaded."""
    selection = selection or select(project, report)
    env = environment or make_environment(project.root / project.config.project.templates)
    context = briefing_context(project, report, selection, analysis)
    wanted = formats or tuple(f for f in report.formats if f in TEMPLATES)
    return {fmt: env.get_template(TEMPLATES[fmt]).render(context) for fmt in wanted}
