"""Build a report's outputs into build/<report-id>/: render, then write atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .corpus import Selection, select
from .errors import Problem
from .model.config import Report
from .model.project import Project
from .render import TEXT_FORMATS, render_report
from .write import write_atomic

BUILD_DIR = "build"
FORMATS = (*TEXT_FORMATS, "pdf")


@dataclass
class BuildResult:
    report: Report
    selection: Selection
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Warnings met while rendering (the PDF renderer's, fetches it refused)."""


def output_path(root: Path, report: Report, fmt: str) -> Path:
    return root / BUILD_DIR / report.id / f"{report.id}.{fmt}"


def build_outputs(project: Project, report: Report, *, analysis: Any = None,
                  formats: tuple[str, ...] | None = None) -> BuildResult:
    """Render the report's formats and write each atomically; returns what was written."""
    selection = select(project, report)
    wanted = formats or tuple(f for f in report.formats if f in FORMATS)
    texts = tuple(f for f in wanted if f in TEXT_FORMATS)
    rendered = render_report(project, report, selection=selection, analysis=analysis,
                             formats=texts) if texts else {}
    result = BuildResult(report, selection)
    for fmt, text in rendered.items():
        result.written.append(write_atomic(output_path(project.root, report, fmt), text))
    if "pdf" in wanted:
        from .render.pdf import render_pdf  # WeasyPrint loads in about a second: only when needed

        pdf = render_pdf(project, report, selection=selection, analysis=analysis)
        result.problems.extend(pdf.problems)
        result.written.append(write_atomic(output_path(project.root, report, "pdf"), pdf.data))
    return result


def pick_reports(project: Project, ids: tuple[str, ...]) -> tuple[list[Report], list[str]]:
    """The reports named (all when none are), and the names that match no report."""
    reports = {report.id: report for report in project.config.reports}
    unknown = [i for i in ids if i not in reports]
    return [reports[i] for i in ids if i in reports] if ids else list(reports.values()), unknown
