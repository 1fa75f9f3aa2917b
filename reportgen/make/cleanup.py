"""What a build removes, and `reportgen clean`: only ever under build/ (every path goes through
`layout.build_path`), and only reportgen's own files (the mailer's send logs, the issue
manifests and, unless asked, the archive of issues stay)."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from reportgen.layout import (
    ARCHIVE_DIR,
    BUILD_DIR,
    CHARTS_DIR,
    CHARTS_KEPT,
    FORMATS,
    PARTS_DIR,
    OutsideBuild,
    build_path,
)
from reportgen.make.lock import build_lock
from reportgen.make.result import Reporter
from reportgen.make.state import RECORDS_STORED, STATE_FILE, STATE_STORED, State, TargetRecord, load_state
from reportgen.make.targets import JOBS_DIR
from reportgen.write.damage import DAMAGED


def sweep_temporaries(root: Path) -> list[str]:
    """Remove the temporary files a killed build left behind: `write_atomic` names them
    `.<name>.<random>.tmp` beside the output. Only our own (the state's, those of
    `build/<report>/<report>.*`, of its charts and issue manifests, of the record sets and the
    kept charts) are
    touched: other tools (the mailer) keep files in build/ too. Returns them, relative to the
    project. Called with the lock held, so no build is writing them."""
    places = [(BUILD_DIR, f".{STATE_FILE}.*.tmp"), (RECORDS_STORED, ".*.tmp"),
              (f"{BUILD_DIR}/{CHARTS_KEPT}", ".*.tmp")]
    for entry in os.scandir(root / BUILD_DIR):
        if not entry.is_dir():
            continue
        folder = f"{BUILD_DIR}/{entry.name}"
        places += [(folder, f".{glob.escape(entry.name)}.*.tmp"), (f"{folder}/{CHARTS_DIR}", ".*.tmp"),
                   (f"{folder}/issues", ".*.tmp"),  # written by write.outputs, beside the texts
                   (f"{folder}/{PARTS_DIR}", ".*.tmp")]
        places += [(archived, ".*.tmp") for archived in _archive_folders(root, folder)]
    leftovers = [path for folder, pattern in places for path in _matching(root, folder, pattern)]
    swept = [path for path in leftovers if remove_output(root, path)]
    remove_jobs(root)
    return swept


def _archive_folders(root: Path, folder: str) -> list[str]:
    """A report folder's archive (`write.archive`): the archive, each issue's folder and its
    charts, relative to the project; none when there is none, or it leads outside build/."""
    archive = f"{folder}/{ARCHIVE_DIR}"
    try:
        path = build_path(root, archive)
    except OutsideBuild:
        return []
    issues = [f"{archive}/{entry.name}" for entry in (os.scandir(path) if path.is_dir() else ())
              if entry.is_dir(follow_symlinks=False)]
    return [archive, *issues, *(f"{issue}/{CHARTS_DIR}" for issue in issues)]


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


def clean(root: str | Path = ".", *, wait: bool = True, reporter: Reporter | None = None,
          archive: bool = False) -> list[str]:
    """Remove every output the state knows (and the conventional ones), leftovers and the state.

    Issue manifests (`build/<report>/issues/`) are kept: they are the memory of what earlier
    issues contained; so is each report's archive of the issues built (`build/<report>/archive/`),
    what readers were sent, unless `archive`. Returns the removed paths, relative to the project.
    Nothing outside build/ is removed, whatever the state says (see `layout.build_path`).
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
        removed += [path for path in _kept_parts(root) if remove_output(root, path)]
        removed += [path for path in _matching(root, f"{BUILD_DIR}/{CHARTS_KEPT}", "*.*")
                    if remove_output(root, path)]
        if archive:
            removed += [path for path in _archived(root) if remove_output(root, path)]
        for path in [*_matching(root, RECORDS_STORED, "*"), STATE_STORED, STATE_STORED + DAMAGED]:
            if remove_output(root, path):
                removed.append(path)
        _remove_empty_folders(root)
    return removed


def _kept_parts(root: Path) -> list[str]:
    """The parts long PDFs were laid out in (`pdf.parts`), kept for the next build."""
    return [path for entry in os.scandir(root / BUILD_DIR) if entry.is_dir(follow_symlinks=False)
            for path in _matching(root, f"{BUILD_DIR}/{entry.name}/{PARTS_DIR}", "*.*")]


def _archived(root: Path) -> list[str]:
    """Every file of every report's archive, relative to the project."""
    reports = [f"{BUILD_DIR}/{entry.name}" for entry in os.scandir(root / BUILD_DIR)
               if entry.is_dir(follow_symlinks=False)]
    return [path for report in reports for folder in _archive_folders(root, report)
            for path in _matching(root, folder, "*")]


def _recorded_outputs(state: State) -> list[str]:
    paths = []
    for path, record in state.targets.items():
        paths += [path, *record.extras]
    return paths


def _conventional_outputs(root: Path) -> list[str]:
    """Outputs that look like ours (`build/x/x.<format>`, every format), for builds without a state."""
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
