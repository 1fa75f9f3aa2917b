"""Helpers shared by the rendering tests: the fixture project and its rendered briefings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportgen.project import open_project
from reportgen.render import render_report

FIXTURE = Path(__file__).parent / "fixtures" / "golden-project"
GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 1, 1)


def render_all(root: Path = FIXTURE) -> dict[str, dict[str, str]]:
    """report id -> format -> text, for every report of the project at `root`."""
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    return {report.id: render_report(project, report) for report in project.config.reports}
