"""The archive of every issue built: `build/<report>/archive/<issue>/`, a copy of that issue's
outputs and charts as they were built (so at the marking they were built with), and
`build/<report>/archive/<issue>/issue.json`, what the archive's index lists of it.

Building an issue again replaces its own copy (each format built, and the charts); the folders
of other issues are never written. Everything is written atomically, through `layout.build_path`
(no link under build/ is followed). `reportgen clean` keeps the archive unless asked
(`clean --archive`): it holds what was sent to readers, which no build can make again once the
corpus has moved on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from reportgen.layout import ARCHIVE_DIR, BUILD_DIR, CHARTS_DIR, FORMATS, OutsideBuild, build_path, read_kept
from reportgen.model.common import Marking, Period
from reportgen.model.config import Report
from reportgen.write.atomic import copy_atomic, write_atomic

ISSUE_FILE = "issue.json"
INDEX_FILE = "index.html"


@dataclass(frozen=True)
class ArchivedIssue:
    """One issue in the archive, as its index lists it; `files` relative to the archive."""

    issue: int
    period: Period
    date: dt.date
    """Its information date (the cut-off)."""
    title: str
    marking: Marking
    files: dict[str, str]
    """format -> path, for the formats the archive holds of it."""


def archive_folder(root: Path, report_id: str) -> Path:
    """`build/<report>/archive`; OutsideBuild when a link leads there."""
    return build_path(root, f"{BUILD_DIR}/{report_id}/{ARCHIVE_DIR}")


def issue_folders(root: Path, report: Report) -> tuple[Path, Path]:
    """This issue's folder in the archive and its charts folder; OutsideBuild when a link leads
    to either (asked before anything of the issue is written, see `write.outputs`)."""
    folder = f"{BUILD_DIR}/{report.id}/{ARCHIVE_DIR}/{report.issue}"
    return build_path(root, folder), build_path(root, f"{folder}/{CHARTS_DIR}")


def archive_issue(root: Path, report: Report, written: list[Path], charts: list[Path]) -> list[Path]:
    """Copy this issue's freshly written outputs and charts into its archive folder and record
    what it is; returns the files written. The folder holds files of one marking only, the
    report's now: a file an earlier build of the issue made under another marking (and did not
    make again now) leaves the archive, so the marking the index shows is every file's."""
    folder, chart_folder = issue_folders(root, report)
    marking = str(report.marking)
    before = _markings(folder)
    copies = [copy_atomic(path, folder / path.name) for path in written]
    kept = [copy_atomic(path, chart_folder / path.name) for path in charts]
    if kept or before.get(CHARTS_DIR) != marking:
        for stale in set(chart_folder.glob("*.svg")) - set(kept):
            stale.unlink(missing_ok=True)
    now = {path.suffix.lstrip("."): marking for path in written}
    for fmt in _formats(folder, report.id):
        if fmt in now:
            continue
        if fmt in report.formats and before.get(fmt) == marking:
            now[fmt] = marking
        else:  # no longer asked for, or made under another marking
            (folder / f"{report.id}.{fmt}").unlink(missing_ok=True)
    if kept or (before.get(CHARTS_DIR) == marking and any(chart_folder.glob("*.svg"))):
        now[CHARTS_DIR] = marking
    record = {"issue": report.issue, "period": report.period.model_dump(mode="json", by_alias=True),
              "date": report.issue_date.isoformat(), "title": report.title,
              "marking": marking, "markings": dict(sorted(now.items()))}
    text = json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    return [*copies, *kept, write_atomic(folder / ISSUE_FILE, text.encode("utf-8"))]


def _markings(folder: Path) -> dict[str, str]:
    """The marking each file of an issue folder was built under, as its record says; empty
    when the record is missing, damaged or older than this record (then every file not built
    again now leaves the archive)."""
    try:
        found = json.loads(read_kept(folder / ISSUE_FILE).decode("utf-8"))["markings"]
    except (OSError, ValueError, LookupError, TypeError, RecursionError):
        return {}
    if not isinstance(found, dict):
        return {}
    return {key: value for key, value in found.items() if isinstance(key, str) and isinstance(value, str)}


def archived_issues(root: Path, report_id: str) -> list[ArchivedIssue]:
    """Every issue in the report's archive, latest first; a folder whose record is missing or
    damaged is left out of the index (its files stay)."""
    try:
        archive = archive_folder(root, report_id)
    except OutsideBuild:
        return []
    found = [issue for folder in (archive.iterdir() if archive.is_dir() else ())
             if folder.is_dir() and not folder.is_symlink()
             and (issue := _read(folder, report_id)) is not None]
    return sorted(found, key=lambda issue: issue.issue, reverse=True)


def _read(folder: Path, report_id: str) -> ArchivedIssue | None:
    try:
        data = json.loads(read_kept(folder / ISSUE_FILE).decode("utf-8"))
        issue = ArchivedIssue(int(data["issue"]), Period.model_validate(data["period"]),
                              dt.date.fromisoformat(data["date"]), str(data["title"]),
                              Marking(data["marking"]), {})
    except (OSError, ValueError, LookupError, TypeError, AttributeError, RecursionError):
        return None
    if folder.name != str(issue.issue):
        return None
    files = {fmt: f"{folder.name}/{report_id}.{fmt}" for fmt in _formats(folder, report_id)}
    return dataclasses.replace(issue, files=files)


def _formats(folder: Path, report_id: str) -> list[str]:
    """The formats of the briefing an issue folder holds."""
    return [fmt for fmt in FORMATS if (folder / f"{report_id}.{fmt}").is_file()]


def write_index(root: Path, report_id: str, html: str) -> Path:
    return write_atomic(archive_folder(root, report_id) / INDEX_FILE, html.encode("utf-8"))
