"""What changed since the last issue, from the build's record of what each issue contained.

Each build of a report writes a manifest, `build/<report-id>/issues/<issue>.json`: the issue
number, its information cut-off date, and for every incident it contained a content digest
(sha256 of the incident's canonical JSON: keys sorted, defaults left out, actor references
already resolved to ids, so re-spelling an alias or writing out a default is not an amendment).
The next issue compares its incidents with the latest manifest dated at or before the previous
issue's date: new ids were added, changed digests were amended, and ids that are gone were
retracted (status `retracted`), deleted from the corpus, or are no longer selected.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from pathlib import Path

from ..model.common import Status
from ..model.config import Report
from ..model.incident import Incident
from ..write import write_atomic
from .parties import chronological

MANIFEST_VERSION = 1


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    digest: str
    title: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class IssueManifest:
    report: str
    issue: int
    date: dt.date
    """The issue's information cut-off."""
    incidents: Mapping[str, ManifestEntry]


@dataclass(frozen=True, slots=True)
class Removal:
    incident_id: str | None
    """None when the incident is now withheld by the report's marking (its id could tell)."""
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class Changes:
    since: dt.date
    baseline: IssueManifest | None
    """The manifest compared against; None when no earlier issue was recorded."""
    added: tuple[str, ...] = ()
    amended: tuple[str, ...] = ()
    retracted: tuple[Removal, ...] = ()

    @property
    def available(self) -> bool:
        return self.baseline is not None

    @property
    def empty(self) -> bool:
        return not (self.added or self.amended or self.retracted)


WITHHELD = Removal(None, "an incident withheld from this briefing",
                   "now marked above this briefing's marking")


def incident_digest(incident: Incident) -> str:
    data = incident.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def issue_date(report: Report) -> dt.date:
    return report.cutoff or report.period.to


def manifest_for(report: Report, incidents: Iterable[Incident]) -> IssueManifest:
    entries = {i.id: ManifestEntry(incident_digest(i), i.title, i.date)
               for i in chronological(incidents)}
    return IssueManifest(report.id, report.issue, issue_date(report), entries)


def manifest_path(build_dir: Path, report_id: str, issue: int) -> Path:
    return build_dir / report_id / "issues" / f"{issue}.json"


def write_issue_manifest(build_dir: Path, report: Report, incidents: Iterable[Incident]) -> Path:
    """Record what this issue contains (atomically: a crash never leaves half a manifest)."""
    manifest = manifest_for(report, incidents)
    path = manifest_path(build_dir, report.id, report.issue)
    data = {
        "version": MANIFEST_VERSION,
        "report": manifest.report,
        "issue": manifest.issue,
        "date": manifest.date.isoformat(),
        "incidents": {key: {"digest": e.digest, "title": e.title, "date": e.date.isoformat()}
                      for key, e in manifest.incidents.items()},
    }
    text = json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    return write_atomic(path, text.encode("utf-8"))


def read_manifests(build_dir: Path, report_id: str) -> list[IssueManifest]:
    """Every readable manifest of a report; a damaged file is skipped, not fatal."""
    folder = build_dir / report_id / "issues"
    paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    return [manifest for manifest in map(read_manifest, paths) if manifest is not None]


def read_manifest(path: Path) -> IssueManifest | None:
    """The manifest in `path`; None when it cannot be read or is not one (damaged by hand, cut
    short, any JSON value of another shape: a list where an object belongs, a number for a
    title), so that no manifest can break a build."""
    try:
        return _parse(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, LookupError, TypeError, AttributeError, OverflowError, RecursionError):
        return None


def _parse(data: dict) -> IssueManifest:
    entries = {_text(key): ManifestEntry(_text(e["digest"]), _text(e["title"]),
                                         dt.date.fromisoformat(e["date"]))
               for key, e in data["incidents"].items()}
    return IssueManifest(_text(data["report"]), int(data["issue"]), dt.date.fromisoformat(data["date"]),
                         entries)


def _text(value: object) -> str:
    """A string a briefing can show (JSON may hold lone surrogates, which no file can)."""
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a string")
    value.encode("utf-8")
    return value


def baseline(manifests: Iterable[IssueManifest], since: dt.date,
             current_issue: int) -> IssueManifest | None:
    """The latest issue dated at or before `since`, never the issue being built."""
    earlier = [m for m in manifests if m.date <= since and m.issue != current_issue]
    return max(earlier, key=lambda m: (m.date, m.issue), default=None)


def diff(previous: IssueManifest, current: Iterable[Incident], corpus: Mapping[str, Incident],
         withheld: Set[str] = frozenset()) -> tuple[tuple[str, ...], tuple[str, ...],
                                                     tuple[Removal, ...]]:
    """(added, amended, retracted) between a recorded issue and the current selection.

    `corpus` holds the incidents the report may name; `withheld` the ids its marking hides.
    """
    ordered = chronological(current)
    now = {incident.id for incident in ordered}
    added = tuple(i.id for i in ordered if i.id not in previous.incidents)
    amended = tuple(i.id for i in ordered if i.id in previous.incidents
                    and previous.incidents[i.id].digest != incident_digest(i))
    gone = sorted((e.date, key) for key, e in previous.incidents.items() if key not in now)
    removed = tuple(WITHHELD if key in withheld else
                    Removal(key, previous.incidents[key].title, _why_gone(corpus.get(key)))
                    for _, key in gone)
    return added, amended, removed


def _why_gone(incident: Incident | None) -> str:
    if incident is None:
        return "deleted from the corpus"
    if incident.status == Status.RETRACTED:
        return "retracted"
    return f"no longer selected (status {incident.status}, or outside the report's filters)"


def changes_since(build_dir: Path, report: Report, current: Iterable[Incident],
                  corpus: Mapping[str, Incident], since: dt.date,
                  withheld: Set[str] = frozenset()) -> Changes:
    previous = baseline(read_manifests(build_dir, report.id), since, report.issue)
    if previous is None:
        return Changes(since, None)
    added, amended, retracted = diff(previous, current, corpus, withheld)
    return Changes(since, previous, added, amended, retracted)
