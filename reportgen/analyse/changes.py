"""What changed since the last issue, from the build's record of what each issue contained.

Each build of a report writes a manifest (see `reportgen.write.manifests`): the issue
number, its information cut-off date, and for every incident it contained a content digest
(sha256 of the incident's canonical JSON: keys sorted, defaults left out, actor references
already resolved to ids, so re-spelling an alias or writing out a default is not an amendment)
and the marking it had. The next issue compares its incidents with the latest manifest dated at
or before the previous issue's date: new ids were added, changed digests were amended, and ids
that are gone were retracted (status `retracted`), deleted from the corpus, or are no longer
selected. About an entry that was marked above this issue's marking, or whose record is now, it
says nothing at all: an earlier issue at a higher marking must not leak into a lower one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reportgen.model.common import Marking, Status
from reportgen.model.config import Report
from reportgen.model.incident import Incident, chronological
from reportgen.select import Selection, effective_marking


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    digest: str
    title: str
    date: dt.date
    marking: Marking | None = None
    """The incident's marking when that issue was built (None: not recorded)."""


@dataclass(frozen=True, slots=True)
class IssueManifest:
    report: str
    issue: int
    date: dt.date
    """The issue's information cut-off."""
    incidents: Mapping[str, ManifestEntry]


@dataclass(frozen=True, slots=True)
class Removal:
    incident_id: str
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


def incident_digest(incident: Incident) -> str:
    data = incident.readers_data()
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def manifest_for(selection: Selection) -> IssueManifest:
    report, view = selection.report, selection.project
    entries = {i.id: ManifestEntry(incident_digest(i), i.title, i.date, effective_marking(view, i))
               for i in chronological(selection.incidents)}
    return IssueManifest(report.id, report.issue, report.issue_date, entries)


def compared_date(report: Report, since: dt.date | None = None) -> dt.date | None:
    """The date of the earlier issue "what changed" compares with: `since` when given (`build
    --since`), else the report's previous issue; None when there is none to compare with."""
    return since or report.previous_issue


def compared_issue(manifests: Iterable[IssueManifest], report: Report,
                   since: dt.date | None = None) -> IssueManifest | None:
    """The recorded issue "what changed" compares with (see `compared_date`), or None."""
    when = compared_date(report, since)
    return baseline(manifests, when, report.issue) if when else None


def baseline(manifests: Iterable[IssueManifest], since: dt.date,
             current_issue: int) -> IssueManifest | None:
    """The latest issue dated at or before `since`, never the issue being built."""
    earlier = [m for m in manifests if m.date <= since and m.issue != current_issue]
    return max(earlier, key=lambda m: (m.date, m.issue), default=None)


def diff(previous: IssueManifest, selection: Selection) -> tuple[tuple[str, ...], tuple[str, ...],
                                                                   tuple[Removal, ...]]:
    """(added, amended, removed) between a recorded issue and the current selection. An entry
    the earlier issue carried above this one's marking is as if it had not been there: an
    incident shown now for the first time at this marking is new to its readers. One dated
    before this issue's period is not gone: the period has moved on (`reportgen next`)."""
    ordered = chronological(selection.incidents)
    now = {incident.id for incident in ordered}
    marking = selection.report.marking
    known = {key: e for key, e in previous.incidents.items()
             if e.marking is None or marking.allows(e.marking)}
    added = tuple(i.id for i in ordered if i.id not in known)
    amended = tuple(i.id for i in ordered if i.id in known and known[i.id].digest != incident_digest(i))
    start = selection.report.period.from_  # what happened before this period was the last issue's
    gone = sorted((e.date, key) for key, e in known.items()
                  if key not in now and e.date >= start and _may_mention(key, e, selection))
    removed = tuple(Removal(key, previous.incidents[key].title,
                            _why_gone(selection.project.incidents.get(key))) for _, key in gone)
    return added, amended, removed


def _may_mention(key: str, entry: ManifestEntry, selection: Selection) -> bool:
    """Whether this issue may say anything of an entry of an earlier one: only when its marking
    then is known and allowed, and its record, if it still exists, is not withheld now."""
    return (entry.marking is not None and selection.report.marking.allows(entry.marking)
            and ("incident", key) not in selection.hidden)


def _why_gone(incident: Incident | None) -> str:
    if incident is None:
        return "deleted from the corpus"
    if incident.status == Status.RETRACTED:
        return "retracted"
    return f"no longer selected (status {incident.status}, or outside the report's filters)"


def changes_since(manifests: Iterable[IssueManifest], selection: Selection, since: dt.date) -> Changes:
    """What changed in the selection since the issue recorded in `manifests` at `since`."""
    report = selection.report
    previous = compared_issue(manifests, report, since)
    if previous is None:
        return Changes(since, None)
    added, amended, retracted = diff(previous, selection)
    return Changes(since, previous, added, amended, retracted)
