"""Build a report's outputs into build/<report-id>/: analyse, chart, render, write atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment

from reportgen.analyse import EscalationAnalysis, analyse_report
from reportgen.analyse.changes import manifest_path, write_issue_manifest
from reportgen.layout import BUILD_DIR, CHARTS_DIR, FORMATS, build_path
from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.problems import Note, Problem
from reportgen.render.charts import Chart, briefing_charts, write_charts
from reportgen.render.text import TEXT_FORMATS, render_report, stream_report
from reportgen.select import Selection, select
from reportgen.write.atomic import stage


@dataclass
class BuildResult:
    report: Report
    selection: Selection
    written: list[Path] = field(default_factory=list)
    charts: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    problems: list[Problem] = field(default_factory=list)
    """Warnings met while rendering (fetches the PDF renderer refused)."""
    notes: list[Note] = field(default_factory=list)
    """The PDF renderer's notices about the theme or the machine."""


def output_path(root: Path, report: Report, fmt: str) -> Path:
    """`build/<report>/<report>.<format>`, which a build replaces; OutsideBuild when its folder is
    reached through a symbolic link (see `layout.build_path`)."""
    return build_path(root, f"{BUILD_DIR}/{report.id}/{report.id}.{fmt}", follow=False)


def check_folders(root: Path, report: Report) -> None:
    """Refuse (OutsideBuild), before anything is made, to write a report whose folders in build/
    are reached through a symbolic link: its charts are replaced there, its manifest written."""
    build_dir = root / BUILD_DIR
    build_path(root, f"{BUILD_DIR}/{report.id}/{CHARTS_DIR}")
    issue = manifest_path(build_dir, report.id, report.issue).relative_to(root).as_posix()
    build_path(root, issue, follow=False)


@dataclass
class Briefing:
    """A report made in memory: what it selects, its analysis and charts, its texts."""

    selection: Selection
    analysis: EscalationAnalysis
    charts: list[Chart]
    texts: dict[str, str]


def make_briefing(project: Project, report: Report, *, formats: tuple[str, ...] | None = None,
                  since: dt.date | None = None,
                  environment_for: Callable[[str], Environment] | None = None) -> Briefing:
    """Select, analyse, draw the charts and render the text formats; nothing is written.
    (`environment_for`: see `render_report`.)"""
    selection = select(project, report)
    analysis = analyse_report(selection, build_dir=project.root / BUILD_DIR, since=since)
    charts = briefing_charts(analysis)
    wanted = tuple(f for f in report.formats if f in TEXT_FORMATS) if formats is None else formats
    texts = render_report(project, report, selection=selection, analysis=analysis,
                          charts=charts, formats=wanted,
                          environment_for=environment_for) if wanted else {}
    return Briefing(selection, analysis, charts, texts)


def build_outputs(project: Project, report: Report, *, formats: tuple[str, ...] | None = None,
                  since: dt.date | None = None,
                  environment_for: Callable[[str], Environment] | None = None) -> BuildResult:
    """Make the briefing and write it: every output is made first (the texts streamed into
    temporary files), and only when all succeeded are the charts written and the outputs put in
    place, so a broken template leaves every previous file as it was. Then record what this
    issue contains, so the next issue can say what changed since. `environment_for(format)`
    gives the Jinja environment each format is rendered with (`reportgen build` passes ones
    that record the templates they load; see `reportgen.make`)."""
    build_dir = project.root / BUILD_DIR
    check_folders(project.root, report)
    wanted = formats or tuple(f for f in report.formats if f in FORMATS)
    briefing = make_briefing(project, report, formats=(), since=since)
    result = BuildResult(report, briefing.selection)
    text_formats = tuple(f for f in wanted if f in TEXT_FORMATS)
    texts = stream_report(project, report, selection=briefing.selection, analysis=briefing.analysis,
                          charts=briefing.charts, formats=text_formats,
                          environment_for=environment_for) if text_formats else {}
    staged = []
    try:
        for fmt, chunks in texts.items():
            staged.append(stage(output_path(project.root, report, fmt), chunks))
        if "pdf" in wanted:
            from reportgen.render.pdf import (
                render_pdf,  # WeasyPrint loads in about a second: only when needed
            )

            pdf = render_pdf(project, report, selection=briefing.selection,
                             analysis=briefing.analysis, charts=briefing.charts,
                             environment=environment_for("pdf") if environment_for else None)
            result.problems.extend(pdf.problems)
            result.notes.extend(pdf.notes)
            staged.append(stage(output_path(project.root, report, "pdf"), pdf.data))
    except BaseException:
        for output in staged:
            output.discard()
        raise
    result.charts = replace_charts(briefing.charts, build_dir / report.id / CHARTS_DIR)
    result.written = [output.commit() for output in staged]
    result.manifest = write_issue_manifest(build_dir, briefing.selection)
    return result


def replace_charts(charts: list[Chart], folder: Path) -> list[Path]:
    """Write this build's charts and remove the ones it no longer draws (an actor gone)."""
    written = write_charts(charts, folder)
    for stale in set(folder.glob("*.svg")) - set(written):
        stale.unlink(missing_ok=True)
    return written
