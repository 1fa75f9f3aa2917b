"""Helpers shared by the rendering tests: the fixture project and its rendered briefings."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from types import MappingProxyType

import yaml

from reportgen.layout import CONFIG_FILE
from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.text import render
from tests.support import TESTS

FIXTURE = TESTS / "fixtures" / "golden-project"
GOLDEN = TESTS / "golden"
TODAY = dt.date(2026, 1, 1)
TEXT_FORMATS = ("md", "html")
INLINE_SVG = re.compile(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+")


def render_all(root: Path = FIXTURE) -> dict[str, dict[str, str]]:
    """report id -> format -> text, for every report of the project at `root`."""
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    return {report.id: texts(project, report) for report in project.config.reports}


@functools.cache
def fixture_briefings() -> MappingProxyType:
    """`render_all()` of the fixture project, rendered once per test process (its charts take
    about a second) and read-only: the many tests that only read it share one rendering. Called
    from tests and fixtures, never at import: collecting the tests renders nothing."""
    return MappingProxyType({report_id: MappingProxyType(outputs)
                             for report_id, outputs in render_all(FIXTURE).items()})


def fixture_report_ids() -> list[str]:
    """The fixture's report ids, read from its config without loading the project: what tests
    are parametrized with at collection."""
    config = yaml.safe_load((FIXTURE / CONFIG_FILE).read_text(encoding="utf-8"))
    return [report["id"] for report in config["reports"]]


def texts(project: Project, report: Report, formats: tuple[str, ...] = TEXT_FORMATS,
          since: dt.date | None = None) -> dict[str, str]:
    """The report's briefing rendered in each text format."""
    briefing = make_briefing(project, report, since=since)
    return {fmt: render(briefing, fmt) for fmt in formats}
