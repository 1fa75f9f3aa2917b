"""The archive's index page (`templates/archive.html.j2`, overridable like every template): each
issue of a report with its number, date, marking and links to its briefings."""

from __future__ import annotations

from jinja2 import Environment, Template

from reportgen import __version__
from reportgen.formats import OFFERED, OUTPUT_FORMATS
from reportgen.model.common import Marking
from reportgen.model.project import Project
from reportgen.render.environment import make_environment
from reportgen.render.text import located_template_errors, project_templates
from reportgen.write.archive import ArchivedIssue

INDEX_TEMPLATE = "archive.html.j2"


def index_template(project: Project, environment: Environment | None = None) -> Template:
    """The index's template, loaded (a broken one is a located problem) before anything of the
    issue is written."""
    environment = environment or make_environment(project_templates(project))
    with located_template_errors(project.root):
        return environment.get_template(INDEX_TEMPLATE)


def render_index(template: Template, project: Project, report_title: str,
                 issues: list[ArchivedIssue]) -> str:
    """The page, marked with the most restrictive marking of the issues it lists (their titles
    and dates are theirs)."""
    marking = max((issue.marking for issue in issues), key=lambda m: m.rank, default=Marking.CLEAR)
    with located_template_errors(project.root):
        return template.render(title=report_title, desk=project.config.project.desk,
                               issues=issues, marking=marking, version=__version__,
                               formats=[(fmt, OUTPUT_FORMATS[fmt].label) for fmt in OFFERED])
