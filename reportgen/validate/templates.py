"""The project's own templates are checked like its records: each is compiled, so `reportgen
check` finds a syntax error, an unknown filter or a file that is not UTF-8 before a build does."""

from __future__ import annotations

from reportgen.model.project import Project
from reportgen.problems import Problem, ReportgenError
from reportgen.render.environment import make_environment
from reportgen.render.text import located_template_errors, project_templates


def template_problems(project: Project) -> list[Problem]:
    """A problem for each of the project's templates that does not compile."""
    if project.config is None:
        return []
    folder = project_templates(project)
    environment = make_environment(folder)
    problems = []
    for path in sorted(folder.rglob("*.j2")) if folder.is_dir() else ():
        try:
            with located_template_errors(project.root, path.relative_to(project.root).as_posix()):
                environment.get_template(path.relative_to(folder).as_posix())
        except ReportgenError as exc:
            problems += exc.problems
    return problems
