"""Helpers shared by the rendering tests: the fixture project and its rendered briefings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportgen.analyse import analyse_report
from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.pipeline import open_project
from reportgen.render.charts import briefing_charts
from reportgen.render.text import render_report
from reportgen.select import select
from tests.support import TESTS

FIXTURE = TESTS / "fixtures" / "golden-project"
GOLDEN = TESTS / "golden"
TODAY = dt.date(2026, 1, 1)


def render_all(root: Path = FIXTURE, charts: bool = False) -> dict[str, dict[str, str]]:
    """report id -> format -> text, for every report of the project at `root`, with the
    escalation analysis; its charts only when asked (they are tested on their own)."""
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    return {report.id: render(project, report, charts) for report in project.config.reports}


def render(project: Project, report: Report, charts: bool = False) -> dict[str, str]:
    selection = select(project, report)
    analysis = analyse_report(selection)
    drawn = briefing_charts(analysis) if charts else ()
    return render_report(project, report, selection=selection, analysis=analysis, charts=drawn)
