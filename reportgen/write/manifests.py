"""Issue manifests, `build/<report-id>/issues/<issue>.json`: what each issue of a report contained
(see `reportgen.analyse.changes` for what they hold and how the next issue reads them).

Written atomically when an issue is built; read, and never trusted: a manifest that is not
JSON or of another shape is set aside with a warning (see `reportgen.write.damage`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from reportgen.analyse.changes import IssueManifest, ManifestEntry, manifest_for
from reportgen.layout import BUILD_DIR, OutsideBuild, build_path, read_kept
from reportgen.model.common import Marking
from reportgen.problems import Problem
from reportgen.select import Selection
from reportgen.write import damage
from reportgen.write.atomic import write_atomic

MANIFEST_VERSION = 2
"""2 records each entry's marking; entries of version 1 manifests have none, and a removal
the build cannot vouch for is not shown."""
ISSUES_DIR = "issues"


def manifest_path(build_dir: Path, report_id: str, issue: int) -> Path:
    return build_dir / report_id / ISSUES_DIR / f"{issue}.json"


def write_issue_manifest(build_dir: Path, selection: Selection) -> Path:
    """Record what this issue contains (atomically: a crash never leaves half a manifest)."""
    manifest = manifest_for(selection)
    path = manifest_path(build_dir, manifest.report, manifest.issue)
    data = {
        "version": MANIFEST_VERSION,
        "report": manifest.report,
        "issue": manifest.issue,
        "date": manifest.date.isoformat(),
        "incidents": {key: {"digest": e.digest, "title": e.title, "date": e.date.isoformat(),
                            "marking": str(e.marking)}
                      for key, e in manifest.incidents.items()},
    }
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    return write_atomic(path, text.encode("utf-8"))


def read_manifests(build_dir: Path, report_id: str) -> list[IssueManifest]:
    """Every readable manifest of a report; a damaged file is skipped, not fatal."""
    folder = build_dir / report_id / ISSUES_DIR
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return [manifest for manifest in map(read_manifest, paths) if manifest is not None]


def read_manifest(path: Path) -> IssueManifest | None:
    """The manifest in `path`; None when it cannot be read or is not one (damaged by hand, cut
    short, any JSON value of another shape: a list where an object belongs, a number for a
    title), so that no manifest can break a build."""
    try:
        return _parse(json.loads(read_kept(path).decode("utf-8")))
    except (OSError, ValueError, LookupError, TypeError, AttributeError, OverflowError, RecursionError):
        return None


def _parse(data: dict) -> IssueManifest:
    entries = {_text(key): ManifestEntry(_text(e["digest"]), _text(e["title"]),
                                         dt.date.fromisoformat(e["date"]),
                                         Marking(e["marking"]) if "marking" in e else None)
               for key, e in data["incidents"].items()}
    return IssueManifest(_text(data["report"]), int(data["issue"]), dt.date.fromisoformat(data["date"]),
                         entries)


def _text(value: object) -> str:
    """A string a briefing can show (JSON may hold lone surrogates, which no file can)."""
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    value.encode("utf-8")
    return value


def set_aside_damaged(root: Path, report_id: str) -> list[Problem]:
    """Set aside the report's issue manifests that cannot be read (see `damage`), each with a
    warning: "what changed" is told from the others, and the next build does not warn again."""

    folder = f"{BUILD_DIR}/{report_id}/{ISSUES_DIR}"
    try:
        paths = sorted(build_path(root, folder).glob("*.json"))
    except OutsideBuild:
        return []
    return [damage.set_aside(root, f"{folder}/{path.name}", "the issue manifest",
                             "not one this reportgen can read",
                             "what changed since then is told from the other issues", move=True)
            for path in paths if read_manifest(path) is None]
