"""Decide what is out of date, and why, as data.

    build/escalation-brief/escalation-brief.pdf: incidents/2024/2024-02-07-baghdad-drone-strike.yaml changed

A target is out of date when it was never built, its output is gone or was replaced, or any
input it was built from differs from that input now: a record file (changed, deleted, newly
selected or no longer selected), sources.yaml or tallies.yaml, a template (changed, newly
overridden by the project, or gone), the report's config, or the reportgen version.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.formats import OUTPUT_FORMATS
from reportgen.layout import OutsideBuild, build_path
from reportgen.make.state import MISSING, Stamp, State, TargetRecord, short_digest
from reportgen.make.targets import Target, template_key
from reportgen.render.fonts import FONTS_KEY


@dataclass
class Current:
    """A target's inputs as they are now (the templates are looked up from its record)."""

    records: dict[str, str]
    files: dict[str, str]
    config: str
    reportgen: str
    since: str = ""
    fonts: str = ""
    """What changed in the fonts the theme gets, for the reason's text."""


TEXTS = {
    "new": "not built yet",
    "forced": "--force",
    "output-missing": "{subject} is missing",
    "output-changed": "{subject} was changed outside the build",
    "version": "reportgen version changed ({detail})",
    "config": "config of report '{subject}' changed",
    "since": "--since changed ({detail})",
    "changed": "{subject} changed",
    "deleted": "{subject} deleted",
    "selected": "{subject} now selected",
    "unselected": "{subject} no longer selected",
    "input": "{subject} is now an input",
    "not-input": "{subject} is no longer an input",
    "template-moved": "template {subject} now comes from {detail}",
    "template-gone": "template {subject} is gone",
    "fonts": "the fonts the theme gets changed{detail}",
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a target is out of date: a kind (a key of TEXTS), what it is about (a path, a template
    name, a report id) and, for some kinds, a detail."""

    kind: str
    subject: str = ""
    detail: str = ""

    def __str__(self) -> str:
        return TEXTS[self.kind].format(subject=self.subject, detail=self.detail)


@dataclass
class Stale:
    target: Target
    reasons: list[Reason] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.target.path}: {'; '.join(map(str, self.reasons))}"


def stale_reasons(root: Path, target: Target, record: TargetRecord | None, current: Current,
                  state: State, stamps: dict[str, Stamp], templates_dir: str) -> list[Reason]:
    """Why `target` must be rebuilt; empty when it is up to date."""
    if record is None:
        return [Reason("new")]
    reasons = _output_reasons(root, target, record)
    if record.reportgen != current.reportgen:
        reasons.append(Reason("version", detail=f"{record.reportgen or '?'} -> {current.reportgen}"))
    if record.config != current.config:
        reasons.append(Reason("config", target.report))
    if record.since != current.since:
        reasons.append(Reason("since", detail=f"{record.since or 'none'} -> {current.since or 'none'}"))
    reasons += _diff(state.record_sets.get(record.records) or {}, current.records, stamps,
                     ("selected", "unselected"))
    reasons += [Reason("fonts", detail=current.fonts) if reason.subject == FONTS_KEY else reason
                for reason in _diff(record.files, current.files, stamps, ("input", "not-input"))]
    reasons += _template_reasons(root, record, stamps, templates_dir)
    return reasons


class QuickCheck:
    """Whether targets are up to date, decided from the state alone: the no-op build's check.

    Valid when no input file's content changed since the state was saved: then no selection can
    have changed either, the config digests in the state are current, and the record sets that
    agreed with the input files then (`State.agreeing`) still do. Each template name is looked
    up once."""

    def __init__(self, root: Path, state: State, stamps: dict[str, Stamp], reportgen: str):
        self.root, self.state, self.stamps, self.reportgen = root, state, stamps, reportgen
        self.templates: dict[str, str | None] = {}

    def up_to_date(self, target: Target, record: TargetRecord) -> bool:
        if record.reportgen != self.reportgen or record.config != self.state.configs.get(record.report):
            return False
        if record.since:  # built for a --since date: a plain build wants the report's own
            return False
        if _output_reasons(self.root, target, record):
            return False
        if record.records not in self.state.agreeing or not self._same(record.files):
            return False
        return all(self._template(name) == key and short_digest(self.stamps, key) == digest
                   for name, (key, digest) in record.templates.items())

    def _same(self, digests: dict[str, str]) -> bool:
        return all(short_digest(self.stamps, path) == digest for path, digest in digests.items())

    def _template(self, name: str) -> str | None:
        if name not in self.templates:
            self.templates[name] = template_key(self.root, self.state.templates_dir, name)
        return self.templates[name]


def output_files(files: dict[str, str], fmt: str, stamps: dict[str, Stamp]) -> dict[str, str]:
    """The input files of one output: its report's, and for a format laid out with this
    machine's fonts (the PDF) the fonts the theme gets."""
    if OUTPUT_FORMATS[fmt].fonts:
        return {**files, FONTS_KEY: short_digest(stamps, FONTS_KEY)}
    return files


def font_change(old: list[list[str]], new: list | None) -> str:
    """`: 'Noto Sans' now 'Noto Sans' (was 'DejaVu Sans')`, or "" when it cannot tell."""
    if new is None:
        return ""
    was = {wanted: family for wanted, family in old}
    changes = [f"'{item.wanted}' now '{item.family}'"
               + (f" (was '{was[item.wanted]}')" if item.wanted in was else "")
               for item in new if was.get(item.wanted) != item.family]
    return f": {'; '.join(dict.fromkeys(changes))}" if changes else ""


def _output_reasons(root: Path, target: Target, record: TargetRecord) -> list[Reason]:
    try:
        info = os.stat(build_path(root, target.path))
    except (OSError, OutsideBuild):  # what a link leads to outside build/ is never an output
        return [Reason("output-missing", target.path)]
    reasons = []
    if (info.st_size, info.st_mtime_ns) != tuple(record.output):
        reasons.append(Reason("output-changed", target.path))
    missing = _missing(root, record.extras)
    if missing:
        reasons.append(Reason("output-missing", missing[0]))
    return reasons


def _missing(root: Path, paths: list[str]) -> list[str]:
    """Which of these files (charts, in a few folders) are gone: one listing per folder rather
    than a stat per file, since a no-op build checks every chart of every report."""
    listed: dict[str, set[str]] = {}
    missing = []
    for path in paths:
        folder, _, name = path.rpartition("/")
        if folder not in listed:
            try:
                listed[folder] = {e.name for e in os.scandir(build_path(root, folder)) if e.is_file()}
            except (OSError, OutsideBuild):
                listed[folder] = set()
        if name not in listed[folder]:
            missing.append(path)
    return missing


def _diff(old: dict[str, str], new: dict[str, str], stamps: dict[str, Stamp],
          kinds: tuple[str, str]) -> list[Reason]:
    """Inputs added (kinds[0]), changed, deleted, or no longer inputs (kinds[1])."""
    added, dropped = kinds
    reasons = []
    for path, digest in new.items():
        if path not in old:
            reasons.append(Reason(added, path))
        elif old[path] != digest:
            reasons.append(Reason("deleted" if digest == MISSING else "changed", path))
    for path in old:
        if path not in new:
            reasons.append(Reason("deleted" if path not in stamps else dropped, path))
    return reasons


def _template_reasons(root: Path, record: TargetRecord, stamps: dict[str, Stamp],
                      templates_dir: str) -> list[Reason]:
    reasons = []
    for name, (was, digest) in record.templates.items():
        now = template_key(root, templates_dir, name)
        if now is None:
            reasons.append(Reason("template-gone", name))
        elif now != was:
            reasons.append(Reason("template-moved", name, now))
        elif short_digest(stamps, now) != digest:
            reasons.append(Reason("changed", now))
    return reasons
