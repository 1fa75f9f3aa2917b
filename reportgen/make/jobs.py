"""What passes between the build and its workers: jobs going out, outcomes coming back.

Light on purpose (no renderer, no models imported): a build that renders in worker processes
never imports the renderer itself.
"""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.make.targets import Failure, Target
from reportgen.write.atomic import name_file

if TYPE_CHECKING:
    from reportgen.make.result import BuildResult
    from reportgen.make.scan import Scan
    from reportgen.model.project import Project


@dataclass
class ReportInputs:
    """What a report's outputs are made from, apart from the templates."""

    keys: set[tuple[str, str]]
    """The records (kind, id) to hand to the renderer."""
    records: dict[str, str]
    """Record file -> short digest."""
    files: dict[str, str]
    """Other input files -> short digest."""
    config: str
    withheld: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, id, marking) of the records the filters select but the report's marking withholds."""


@dataclass
class Job:
    """Render these formats of one report, from a project restricted to what it reads."""

    project: Project
    report: str
    formats: tuple[str, ...]
    weight: int = 0
    """How many records the report reads: larger jobs are started first."""
    since: dt.date | None = None
    workers: int = 1
    """Processes a long PDF may be laid out in (`-j`)."""

    @property
    def targets(self) -> list[Target]:
        return [Target(self.report, fmt) for fmt in self.formats]


@dataclass
class PackedJob:
    """A job pickled to a file by the process that loaded the project, and read by the worker
    that runs it: the process running the build never holds a project (see `plan`)."""

    path: str
    report: str
    formats: tuple[str, ...]
    weight: int

    @classmethod
    def of(cls, job: Job, folder: Path) -> PackedJob:
        folder.mkdir(exist_ok=True)
        path = folder / f"{job.report}.pickle"
        try:
            with path.open("wb") as handle:
                pickle.dump(job, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError as exc:  # a full disk: the write names no file
            name_file(exc, path)
            raise
        return cls(str(path), job.report, job.formats, job.weight)

    def unpack(self) -> Job:
        path = Path(self.path)
        with path.open("rb") as handle:
            job = pickle.load(handle)
        path.unlink(missing_ok=True)
        return job

    @property
    def targets(self) -> list[Target]:
        return [Target(self.report, fmt) for fmt in self.formats]


@dataclass
class Written:
    target: Target
    templates: list[str]
    output: tuple[int, int]
    extras: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    report: str
    written: list[Written] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    """Records the filters selected but the report's marking withholds (`incident x (TLP:RED)`)."""
    marking: str = ""
    warnings: list = field(default_factory=list)
    """Located problems met while rendering (the PDF renderer's warnings)."""
    notes: list = field(default_factory=list)
    """Notices about the theme or the machine (`errors.Note`), said once per build."""
    seconds: float = 0.0


@dataclass
class Plan:
    """What `plan.make_plan` decided, handed back to the build."""

    result: BuildResult
    found: Scan
    templates_dir: str = ""
    configs: dict[str, str] = field(default_factory=dict)
    """Report id -> its config digest (for the state)."""
    expected: list[str] = field(default_factory=list)
    """Every target the config asks for."""
    inputs: dict[str, ReportInputs] = field(default_factory=dict)
    jobs: list[Job | PackedJob] = field(default_factory=list)
    damaged: list = field(default_factory=list)
    """Warnings (`errors.Problem`) for the damaged record sets met while planning, set aside."""
