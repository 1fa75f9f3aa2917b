"""A briefing's files in build/<report-id>/: its formats, its charts and the issue's manifest.

Every output is made first (the texts streamed into temporary files as they are rendered), and
only when all of them succeeded are the charts written and the outputs put in place: a broken
template leaves every earlier file as it was. Then what this issue contains is recorded, so the
next issue can say what changed since.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.formats import Rendered
from reportgen.layout import BUILD_DIR, CHARTS_DIR, PARTS_DIR, build_path
from reportgen.model.config import Report
from reportgen.problems import Note, Problem
from reportgen.select import Selection
from reportgen.write.archive import issue_folders
from reportgen.write.atomic import Staged, stage, write_atomic
from reportgen.write.manifests import manifest_path, write_issue_manifest

if TYPE_CHECKING:
    from reportgen.briefing import Briefing


@dataclass
class Outputs:
    """What writing one briefing put in build/."""

    report: Report
    selection: Selection
    written: list[Path] = field(default_factory=list)
    charts: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    archived: list[Path] = field(default_factory=list)
    """This issue's copy in the report's archive, and the archive's index."""
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
    are reached through a symbolic link: its charts are replaced there, its manifest written,
    its copy in the archive replaced, the parts of its PDF kept."""
    build_path(root, f"{BUILD_DIR}/{report.id}/{CHARTS_DIR}")
    build_path(root, f"{BUILD_DIR}/{report.id}/{PARTS_DIR}")
    issue = manifest_path(root / BUILD_DIR, report.id, report.issue).relative_to(root).as_posix()
    build_path(root, issue, follow=False)
    issue_folders(root, report)


def write_outputs(briefing: Briefing, rendered: Mapping[str, Rendered]) -> Outputs:
    """Write the `rendered` formats (a text's pieces as they come), then the charts and the
    manifest."""
    root, report = briefing.project.root, briefing.report
    check_folders(root, report)
    result = Outputs(report, briefing.selection)
    staged: list[Staged] = []
    try:
        for fmt, made in rendered.items():
            staged.append(stage(output_path(root, report, fmt), made.data))
            result.problems.extend(made.problems)
            result.notes.extend(made.notes)
    except BaseException:
        for output in staged:
            output.discard()
        raise
    result.notes.extend(_unknown_baseline(briefing))
    result.charts = replace_charts(briefing.charts, root / BUILD_DIR / report.id / CHARTS_DIR)
    result.written = [output.commit() for output in staged]
    result.manifest = write_issue_manifest(root / BUILD_DIR, briefing.selection)
    return result


def _unknown_baseline(briefing: Briefing) -> list[Note]:
    """What the editor can do when the briefing cannot say what changed: the briefing itself
    tells its readers only that it cannot."""
    changes, report = briefing.analysis.changes, briefing.report
    if changes is None or changes.available:
        return []
    return [Note(f"{report.id}: no issue dated on or before {changes.since} is recorded, so the "
                 "briefing cannot say what changed since the last issue",
                 "build the earlier issue first, or give another date with --since",
                 key=f"changes:{report.id}")]


def replace_charts(charts: list, folder: Path) -> list[Path]:
    """Write this build's charts and remove the ones it no longer draws (an actor gone)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [write_atomic(folder / f"{chart.name}.svg", chart.svg) for chart in charts]
    for stale in set(folder.glob("*.svg")) - set(written):
        stale.unlink(missing_ok=True)
    return written
