"""The make-style build: rebuild exactly the outputs whose inputs changed, say why, in parallel,
atomically, one build at a time.

    from reportgen.make import build
    result = build(".", jobs=2)        # -> BuildResult; never raises for bad input
    result.built, result.failed, result.problems

How a build decides (see the modules for each step):
1. `lock`: take the project's build lock (`build/.reportgen.lock`); wait for another build.
2. `scan`: stat every input file; hash only those whose size or mtime moved.
3. Fast path: when no input's content changed and every target's recorded inputs still match,
   the build is done ("nothing to do") without reading a single YAML file.
4. Otherwise (`rebuild`) load and validate the project (errors stop the build; nothing is
   written), work out each target's inputs (`graph`) and why it is out of date (`plan`), and
   prepare one job per report (`planner`; in a process of its own when workers render, so
   this process never holds the project); remove outputs of reports no longer in the config;
   render what is stale (`run`, `worker`), recording each finished report in the state
   (`state`) at once, so a killed build loses nothing it finished.

What an earlier build left is never trusted: a damaged state, record set or issue manifest is
set aside with one warning and what it recorded is rebuilt (`damage`), and every path read from
them, every file removed and every folder written goes through `layout.build_path`, so nothing
outside build/ is ever touched. Errors of the disk itself (full, read-only, a folder where the
lock should be) are raised as OSErrors naming the file; the command line says them in one line.

The slow path's modules are imported only when needed: a no-op build imports no models, and a
build that renders in workers never imports the renderer itself.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen import __version__
from reportgen.layout import BUILD_DIR, CHARTS_DIR, FORMATS, OutsideBuild, build_path
from reportgen.make.lock import LockBusy, build_lock
from reportgen.make.scan import Scan, scan
from reportgen.make.stale import QuickCheck, Stale
from reportgen.make.state import (
    RECORDS_STORED,
    STATE_FILE,
    STATE_STORED,
    State,
    TargetRecord,
    load_state,
    save_state,
)
from reportgen.make.targets import JOBS_DIR, Failure, Target, UnknownTarget, pick, target_from_path
from reportgen.problems import Note, Problem
from reportgen.write.damage import DAMAGED

if TYPE_CHECKING:
    from reportgen.make.jobs import Outcome

__all__ = ["BuildResult", "LockBusy", "Reporter", "UnknownTarget", "build", "clean"]


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

    def finished(self, outcome: Outcome) -> None:
        """A worker finished a report: what it wrote, what failed, what the marking withheld."""


def build(root: str | Path = ".", names: Iterable[str] = (), formats: Iterable[str] = (), *,
          jobs: int | None = None, force: bool = False, keep_going: bool = False,
          dry_run: bool = False, wait: bool = True, since: dt.date | None = None,
          strict: bool = False, reporter: Reporter | None = None) -> BuildResult:
    """Bring the named targets (report ids or output paths; all by default) up to date.
    `since` is the date of the previous issue for "what changed" (default: each report's
    `previous_issue`); outputs built with another date are out of date. `strict` makes every
    record a report's marking would withhold an error, and nothing is built.

    Raises UnknownTarget for a name that is no target, LockBusy when `wait` is False and another
    build runs, OSError when the disk fails it (full, read-only; a folder where the lock or the
    state should be); everything else, bad input and damaged build files included, is in the
    result.
    """
    if _starting_worker():
        raise RuntimeError(
            "reportgen.make.build() was called while one of the build's own worker processes was "
            "starting: it imports the script that started the build, and this script calls build() "
            "at import. Put the call under `if __name__ == \"__main__\":` (see the multiprocessing "
            "documentation, 'Safe importing of main module').")
    root = Path(root).resolve()
    reporter = reporter or Reporter()
    options = Options(list(names), list(formats), jobs, force, keep_going, dry_run, since, strict)
    if dry_run:
        return _build(root, options, reporter)
    with build_lock(root / BUILD_DIR, wait=wait, on_wait=reporter.waiting):
        sweep_temporaries(root)
        return _build(root, options, reporter)


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


def _build(root: Path, options: Options, reporter: Reporter) -> BuildResult:
    clock = time.perf_counter()
    names, formats, dry_run = options.names, options.formats, options.dry_run
    state = load_state(root, set_aside=not dry_run)
    found = scan(root, state)
    if not options.force and options.since is None and found.clean and not state.damaged:
        done = _up_to_date(root, state, found, names, formats)
        if done is not None and not (options.strict and _withholding(state, done)):
            if found.refreshed and not dry_run:
                state.files = found.stamps
                save_state(root, state)
            return BuildResult(requested=done, seconds={"scan": time.perf_counter() - clock})
    scanned = time.perf_counter() - clock
    from reportgen.make.run import Workers, default_workers

    count = min(options.jobs or default_workers(), _reports_at_most(state, names))
    workers = Workers.start(count) if count > 1 and not dry_run else None
    try:
        from reportgen.make.rebuild import rebuild  # the slow path: models, YAML, templates

        result = rebuild(root, state, found, options, workers=workers, reporter=reporter)
        result.seconds["scan"] = scanned
        return result
    finally:
        if workers is not None:
            workers.close()


def _starting_worker() -> bool:
    """Whether this is a worker or planning process still importing its parent's main script.
    Without the check, a script with no `__main__` guard has every such process call build()
    again and wait for the lock its parent holds: the build hangs for ever."""
    started_by = sys.modules.get("multiprocessing")  # not imported: no worker of ours
    return started_by is not None and getattr(started_by.current_process(), "_inheriting", False)


def _withholding(state: State, targets: list[Target]) -> bool:
    """Whether any of these targets' reports withheld records when last planned."""
    return any(state.withheld.get(target.report) for target in targets)


def _reports_at_most(state: State, names: list[str]) -> int:
    """How many reports this build can render at most (no more workers are started)."""
    if names:
        return len({target.report if (target := target_from_path(name)) else name for name in names})
    return len({path.split("/")[1] for path in state.expected}) or 64


def _up_to_date(root: Path, state: State, found: Scan, names: list[str],
                formats: list[str]) -> list[Target] | None:
    """The requested targets when every one is up to date by the state alone; else None."""
    known = [t for t in map(target_from_path, state.expected) if t is not None]
    if not known:
        return None
    try:
        targets = pick(known, names, formats, root)
    except UnknownTarget:
        return None  # perhaps the config changed: the slow path says so properly
    check = QuickCheck(root, state, found.stamps, __version__)
    for target in targets:
        record = state.targets.get(target.path)
        if record is None or not check.up_to_date(target, record):
            return None
    return targets


def sweep_temporaries(root: Path) -> list[str]:
    """Remove the temporary files a killed build left behind: `write_atomic` names them
    `.<name>.<random>.tmp` beside the output. Only our own (the state's, those of
    `build/<report>/<report>.*`, of its charts and issue manifests, of the record sets) are
    touched: other tools (the mailer) keep files in build/ too. Returns them, relative to the
    project. Called with the lock held, so no build is writing them."""
    places = [(BUILD_DIR, f".{STATE_FILE}.*.tmp"), (RECORDS_STORED, ".*.tmp")]
    for entry in os.scandir(root / BUILD_DIR):
        if not entry.is_dir():
            continue
        folder = f"{BUILD_DIR}/{entry.name}"
        places += [(folder, f".{glob.escape(entry.name)}.*.tmp"), (f"{folder}/{CHARTS_DIR}", ".*.tmp"),
                   (f"{folder}/issues", ".*.tmp")]  # written by build_outputs, beside the texts
    leftovers = [path for folder, pattern in places for path in _matching(root, folder, pattern)]
    swept = [path for path in leftovers if remove_output(root, path)]
    remove_jobs(root)
    return swept


def remove_jobs(root: Path) -> None:
    """Remove the folder of jobs for the workers (whatever is in its place: it is the build's)."""
    jobs = root / BUILD_DIR / JOBS_DIR
    if jobs.is_symlink() or jobs.is_file():
        jobs.unlink()
    elif jobs.is_dir():
        import shutil  # here: the no-op build imports nothing it does not use

        shutil.rmtree(jobs, ignore_errors=True)


def _matching(root: Path, folder: str, pattern: str) -> list[str]:
    """The files in a folder under build/ whose names match `pattern`, relative to the project;
    none when the folder is not there, or leads outside build/."""
    try:
        path = root / BUILD_DIR if folder == BUILD_DIR else build_path(root, folder)
    except OutsideBuild:
        return []
    return [f"{folder}/{match.name}" for match in path.glob(pattern)] if path.is_dir() else []


def clean(root: str | Path = ".", *, wait: bool = True, reporter: Reporter | None = None) -> list[str]:
    """Remove every output the state knows (and the conventional ones), leftovers and the state.

    Issue manifests (`build/<report>/issues/`) are kept: they are the memory of what earlier
    issues contained. Returns the removed paths, relative to the project. Nothing outside build/
    is removed, whatever the state says (see `layout.build_path`).
    """
    root = Path(root).resolve()
    build_dir = root / BUILD_DIR
    if not build_dir.is_dir():
        return []
    reporter = reporter or Reporter()
    removed: list[str] = []
    with build_lock(build_dir, wait=wait, on_wait=reporter.waiting):
        state = load_state(root, set_aside=False)  # damaged or not, it is removed below
        for path in [*_recorded_outputs(state), *_conventional_outputs(root)]:
            if remove_output(root, path):
                removed.append(path)
        removed += sweep_temporaries(root)
        for path in [*_matching(root, RECORDS_STORED, "*"), STATE_STORED, STATE_STORED + DAMAGED]:
            if remove_output(root, path):
                removed.append(path)
        _remove_empty_folders(root)
    return removed


def _recorded_outputs(state: State) -> list[str]:
    paths = []
    for path, record in state.targets.items():
        paths += [path, *record.extras]
    return paths


def _conventional_outputs(root: Path) -> list[str]:
    """Outputs that look like ours (`build/x/x.md|html|pdf`), for builds without a state."""
    return [f"{BUILD_DIR}/{entry.name}/{entry.name}.{fmt}" for entry in os.scandir(root / BUILD_DIR)
            if entry.is_dir() for fmt in FORMATS]


def remove_output(root: Path, path: str) -> bool:
    """Remove a file under build/ (`path` relative to the project); False when it is not there,
    is a folder, or is not under build/ (a path in a damaged state, say: see `layout.build_path`).
    Other errors (a read-only disk) are raised."""
    try:
        build_path(root, path, follow=False).unlink()
    except (OutsideBuild, FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False
    return True


def remove_stale(root: Path, state: State, keep: set[str]) -> list[str]:
    """Remove recorded outputs that are no longer targets; drop them from the state."""
    removed = []
    for path in sorted(set(state.targets) - keep):
        record: TargetRecord = state.targets.pop(path)
        for output in (path, *record.extras):
            if remove_output(root, output):
                removed.append(output)
            _remove_empty_parents(root, output)
    return removed


def _remove_empty_parents(root: Path, path: str) -> None:
    """Remove the folders above a removed output while they are empty, up to build/ itself;
    each through `layout.build_path`, so never a folder that a link leads to elsewhere."""
    folder = path.rpartition("/")[0]
    while folder != BUILD_DIR and _rmdir(root, folder):
        folder = folder.rpartition("/")[0]


def _remove_empty_folders(root: Path) -> None:
    """Remove every empty folder under build/, bottom-up (the lock file keeps build/ itself);
    the walk (`**`) does not go through links."""
    build_dir = root / BUILD_DIR
    for path in sorted(build_dir.glob("**/"), key=lambda p: len(p.parts), reverse=True):
        if path != build_dir:
            _rmdir(root, path.relative_to(root).as_posix())


def _rmdir(root: Path, folder: str) -> bool:
    try:
        os.rmdir(build_path(root, folder, follow=False))
    except (OutsideBuild, OSError):
        return False
    return True
