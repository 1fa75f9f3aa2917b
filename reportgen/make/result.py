"""What a build is asked (`Options`), what it tells its front end as it goes (`Reporter`), and
what it did (`BuildResult`). Light: the no-op build uses these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportgen.make.stale import Stale
from reportgen.make.targets import Failure, Target
from reportgen.problems import Note, Problem

if TYPE_CHECKING:
    from reportgen.make.jobs import Outcome


@dataclass
class BuildResult:
    requested: list[Target] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    """What was out of date, and why (with --dry-run: what would be rebuilt)."""
    built: list[Target] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Outputs of reports (or formats) no longer in the config, removed (or to remove)."""
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    """About the machine or the theme (a missing font), each said once for the whole build."""
    summary: str = ""
    loaded: bool = False
    """Whether the project had to be read (False: decided from file metadata alone)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each phase that ran: scan, load (and validate), plan, render."""

    @property
    def stopped(self) -> bool:
        """Validation errors stopped the build before anything was rendered."""
        return any(p.severity == "error" for p in self.problems)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped


class Reporter:
    """Hooks a front end implements to show progress; every method does nothing by default."""

    live = False
    """Whether it wants `made` for each output as it is rendered (a progress bar does; the
    workers then pass the news through a queue)."""

    def waiting(self, holder: str) -> None:
        """Another build holds the lock; this one waits."""

    def checked(self, problems: list[Problem], summary: str) -> None:
        """The project was loaded and validated (errors stop the build after this)."""

    def set_aside(self, problems: list[Problem]) -> None:
        """Damaged files of an earlier build (the state, record sets) were set aside: warnings."""

    def planned(self, stale: list[Stale], requested: int) -> None:
        """The project was read and these targets are out of date."""

    def removed(self, path: str) -> None:
        """A stale output was removed."""

    def started(self, targets: list[Target]) -> None:
        """A worker started on these targets."""

    def made(self, report: str, fmt: str) -> None:
        """A worker has rendered one output (only when `live`)."""

    def finished(self, outcome: Outcome) -> None:
        """A worker finished a report: what it wrote, what failed, what the marking withheld."""


@dataclass(frozen=True)
class Options:
    names: list[str]
    formats: list[str]
    jobs: int | None
    force: bool
    keep_going: bool
    dry_run: bool
    since: dt.date | None
    strict: bool = False
