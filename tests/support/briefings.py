"""Helpers shared by the rendering tests: the fixture project and its rendered briefings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.text import render
from tests.support import TESTS

FIXTURE = TESTS / "fixtures" / "golden-project"
GOLDEN = TESTS / "golden"
TODAY = dt.date(2026, 1, 1)
INLINE_SVG = re.compile(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+")


def render_all(root: Path = FIXTURE) -> dict[str, dict[str, str]]:
    """report id -> format -> text, for every report of the project at `root`."""
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    return {report.id: texts(project, report) for report in project.config.reports}


def texts(project: Project, report: Report, formats: tuple[str, ...] = ("md", "html"),
          since: dt.date | None = None) -> dict[str, str]:
    """The report's briefing rendered in each text format."""
    briefing = make_briefing(project, report, since=since)
    return {fmt: render(briefing, fmt) for fmt in formats}
