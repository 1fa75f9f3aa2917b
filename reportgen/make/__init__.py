"""The make-style build: rebuild exactly the outputs whose inputs changed, say why, in parallel,
atomically, one build at a time.

    from reportgen.make import build
    result = build(".", jobs=2)        # -> BuildResult; never raises for bad input
    result.built, result.failed, result.problems

How a build decides (see the modules for each step):
1. `lock`: take the project's build lock (`build/.reportgen.lock`); wait for another build.
2. `scan`: stat every input file; hash only those whose size or mtime moved.
3. Fast path: when no input's content changed and every target's recorded inputs still match
   (`stale.QuickCheck`), the build is done ("nothing to do") without reading a single YAML file.
4. Otherwise (`rebuild`) load and validate the project (errors stop the build; nothing is
   written), work out each target's inputs (`graph`) and why it is out of date (`stale`), and
   prepare one job per report (`plan`; in a process of its own when workers render, so this
   process never holds the project); remove outputs of reports no longer in the config
   (`cleanup`); render what is stale (`run`, `worker`, each report through
   `pipeline.build_report`), recording each finished report in the state (`state`) at once, so a
   killed build loses nothing it finished.

What an earlier build left is never trusted: a damaged state, record set or issue manifest is
set aside with one warning and what it recorded is rebuilt (`write.damage`), and every path read
from them, every file removed and every folder written goes through `layout.build_path`, so
nothing outside build/ is ever touched. Errors of the disk itself (full, read-only, a folder
where the lock should be) are raised as OSErrors naming the file; the command line says them.

The no-op path (this module, `lock`, `scan`, `stale`, `state`, `targets`, `result`, `cleanup`,
`tuning`, and `layout`, `problems`, `render.fonts`, `write.atomic`, `write.damage`) imports the
standard library only, and of that not what only a build that does work needs: hashlib
(`state._hashlib`), shutil (`cleanup.remove_jobs`) and ctypes (`render.fonts`) are imported where
they are used. The slow path is imported in one place, `_build`, when it is needed. A test
(`tests/make/test_rebuild.py`) holds the no-op build to this list.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from reportgen import __version__
from reportgen.layout import BUILD_DIR, INCIDENTS_DIR, PARTS_DIR
from reportgen.make.cleanup import clean, sweep_temporaries
from reportgen.make.lock import LockBusy, build_lock
from reportgen.make.result import BuildResult, Options, Reporter
from reportgen.make.scan import Scan, scan
from reportgen.make.stale import QuickCheck
from reportgen.make.state import State, load_state, save_state
from reportgen.make.targets import Target, UnknownTarget, pick, target_from_path

__all__ = ["BuildResult", "LockBusy", "Reporter", "UnknownTarget", "build", "clean"]


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
    from reportgen.make.rebuild import rebuild  # the slow path, from here: models, YAML, templates
    from reportgen.make.run import Workers
    from reportgen.processes import default_workers, start_server

    allowed = options.jobs or default_workers()
    count = min(allowed, _reports_at_most(state, names))
    workers = Workers.start(count) if count > 1 and not dry_run else None
    if workers is None and allowed > 1 and not dry_run and _may_be_long(root, found, formats):
        start_server()  # one report, whose PDF will lay its parts out in processes
    try:
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


def _may_be_long(root: Path, found: Scan, formats: list[str]) -> bool:
    """Whether a format laid out in processes is asked for (all are when none is named) and a
    report may be long (a compendium, whose charts and parts are made in processes), before
    anything is read: an earlier build laid one out in parts (its parts are kept in build/),
    or, with no build yet, the project holds more incident files than a long report needs. A
    weekly report in a large project, built before, starts no process it will not use."""
    from reportgen.formats import OUTPUT_FORMATS, in_processes
    from reportgen.select import LONG_REPORT

    if not in_processes(formats or OUTPUT_FORMATS):
        return False
    build = root / BUILD_DIR
    if build.is_dir():
        return any(folder.is_dir() and any(folder.iterdir()) for folder in build.glob(f"*/{PARTS_DIR}"))
    return sum(key.startswith(f"{INCIDENTS_DIR}/") for key in found.stamps) > LONG_REPORT


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


