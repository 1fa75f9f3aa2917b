"""Where things are in a project: the files reportgen reads, and the one folder it writes.

Standard library only: the no-op build reads this and must not import models or YAML.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from reportgen.formats import OUTPUT_FORMATS
from reportgen.problems import Problem, ReportgenError

CONFIG_FILE = "reportgen.yaml"
SOURCES_FILE = "sources.yaml"
TALLIES_FILE = "tallies.yaml"
REGISTRY_FILES = (SOURCES_FILE, TALLIES_FILE)
"""Project-wide files beside the records that every report reads (each optional)."""
INCIDENTS_DIR = "incidents"
ACTORS_DIR = "actors"
RECORD_FOLDERS = (INCIDENTS_DIR, ACTORS_DIR)
RECORD_SUFFIXES = (".yaml", ".yml")
NOT_RECORDS = (".md", ".gitkeep")
"""Files a record folder may hold that are known not to be records (its README, a placeholder
keeping an empty folder in git): skipped without a word."""
BUILD_DIR = "build"
"""The one folder reportgen writes: briefings, their charts, issue manifests, the build's state,
send logs."""
FORMATS = tuple(OUTPUT_FORMATS)
"""Every output format a report can ask for, and the briefings a report folder holds:
`build/<report>/<report>.<format>` (the model's `Format` is made from this; see `formats`)."""
CHARTS_DIR = "charts"
"""Beside a report's briefings: the charts its Markdown links."""
PARTS_DIR = "parts"
"""Beside a report's briefings: the parts a long PDF was laid out in, kept for the next build."""
ARCHIVE_DIR = "archive"
"""Beside a report's briefings: a copy of every issue built, `archive/<issue>/`, and its index."""
NAME_BYTES = 255
"""The longest file name Linux and macOS file systems take."""
PATH_BYTES = 1024
"""The longest relative path reportgen reads back from a file it wrote (its own are far shorter)."""
CHARTS_KEPT = ".reportgen-charts"
"""Under build/: the charts kept between builds (`render.charts.cache`)."""


@functools.cache
def package_templates() -> Path:
    """The default theme shipped with reportgen."""
    return Path(__file__).resolve().parent / "templates"


def theme_file(root: Path, templates_dir: str, name: str) -> Path | None:
    """The file a name of the theme resolves to now: the project's override in its templates
    folder, else the default theme's (the order of the renderer's template loaders); None when
    neither has it. Templates and the theme's other files (Word's house template) alike."""
    for folder in (root / templates_dir, package_templates()):
        if (folder / name).is_file():
            return folder / name
    return None


class OutsideBuild(ReportgenError):
    """A path that would lead outside build/: refused before anything is read, written or
    removed there."""

    def __init__(self, message: str):
        super().__init__([Problem(BUILD_DIR, 0, 0, message, "remove it: reportgen makes what it "
                                  "needs in build/ again")])


def relative_name(name: object) -> bool:
    """Whether `name` is spelled as reportgen writes a relative path (`build/x/x.md`,
    `partials/cover.md.j2`): forward slashes, not absolute, no `..`, `.` or empty part, no
    backslash or NUL, parts the system can encode and store. Such a path never leads up."""
    if not isinstance(name, str) or "\\" in name or "\0" in name:
        return False
    try:
        encoded = os.fsencode(name)
    except UnicodeEncodeError:  # a lone surrogate: no file has that name
        return False
    parts = encoded.split(b"/")
    return (len(encoded) <= PATH_BYTES and max(map(len, parts)) <= NAME_BYTES
            and b"" not in parts and b"." not in parts and b".." not in parts)


def in_build(stored: object) -> bool:
    """Whether `stored` is spelled as a path under build/, relative to the project."""
    return relative_name(stored) and stored.startswith(f"{BUILD_DIR}/")


def build_path(root: Path, stored: str, *, follow: bool = True) -> Path:
    """The file a path relative to the project names (`build/x/x.md`), once it is known to lie
    in `root/build`: spelled as a path under build/ (see `in_build`), and through no symbolic
    link below build/ (reportgen makes none there, and one may lead anywhere); else OutsideBuild.
    Every path an earlier build left to read (in the state, record sets, manifests) is used
    through this, and so is every file or folder the build removes, and every folder it writes
    briefings into: a hostile or damaged file in build/ cannot make reportgen touch anything
    elsewhere. (build/ itself may be a link, to another disk say.) One `lstat` per part: the
    no-op build asks this of every output and chart folder.

    `follow=False` when the file itself is removed, renamed or replaced by another (none of
    which follows a link: a link is removed, not what it names): then it may be a link."""
    if not in_build(stored):
        raise OutsideBuild(f"{stored!r} is not a path under {BUILD_DIR}/")
    parts = stored.split("/")
    here = str(root / BUILD_DIR)
    for part in parts[1:] if follow else parts[1:-1]:
        here = os.path.join(here, part)
        if os.path.islink(here):
            raise OutsideBuild(f"{stored} goes through a symbolic link, which reportgen never "
                               f"follows in {BUILD_DIR}/")
    return root / stored


class NotAFile(OSError):
    """What an earlier build left where reportgen reads one of its files is not a regular file
    (a named pipe, a device, a socket, a link): never read, so never a hang or a read elsewhere;
    the caller sets it aside as it sets aside a damaged file."""


def open_regular(path: Path, flags: int = os.O_RDONLY, mode: int = 0o644):
    """An open file object on `path`, only if it is a regular file: opened without following a
    link (O_NOFOLLOW) and without waiting on a pipe (O_NONBLOCK, cleared once it is known to be
    a file); else NotAFile. For every file reportgen reads or appends to that it did not just
    make: what an earlier build or mail run left, and the send log."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, mode)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a link
            raise NotAFile(errno.ELOOP, "a symbolic link, which reportgen never follows there",
                           str(path)) from None
        raise
    try:
        kind = os.fstat(fd).st_mode
        if stat.S_ISDIR(kind):  # a folder where a file belongs: an error of the disk, said so
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(kind):
            raise NotAFile(errno.EINVAL, "not a regular file", str(path))
        os.set_blocking(fd, True)
        write = flags & (os.O_WRONLY | os.O_RDWR)
        return os.fdopen(fd, ("a+b" if flags & os.O_RDWR else "ab") if write else "rb")
    except BaseException:
        os.close(fd)
        raise


def read_kept(path: Path) -> bytes:
    """The bytes of a file an earlier build left below build/ (the state, a record set, an issue
    manifest, a kept part or share, an archived issue), through `open_regular`: never a link
    followed, never a wait on a pipe. Every read of build/ goes through here."""
    with open_regular(path) as handle:
        return handle.read()


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a record folder that is not read, and why."""

    path: str
    reason: str
    hint: str


def record_files(root: Path, folder: str) -> tuple[list[tuple[str, os.stat_result]], list[Skipped]]:
    """The record files under `root/folder` (path relative to `root`, and stat), in no order (the
    no-op build has 10,000 to stat and none to sort), and every other file there with the reason
    it is not read. Symbolic links are not followed: a record must live in the project, where
    its history is."""
    found: list[tuple[str, os.stat_result]] = []
    skipped: list[Skipped] = []
    _walk(os.path.join(root, folder), folder, found, skipped)
    skipped.sort(key=lambda item: item.path)
    return found, skipped


def _walk(folder: str, prefix: str, found: list, skipped: list[Skipped]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if name.endswith(RECORD_SUFFIXES) and entry.is_file(follow_symlinks=False):  # most of them
            found.append((f"{prefix}/{name}", entry.stat(follow_symlinks=False)))
        elif entry.is_dir(follow_symlinks=False):
            _walk(entry.path, f"{prefix}/{name}", found, skipped)
        elif (reason := _not_read(entry)) is not None:
            skipped.append(Skipped(f"{prefix}/{name}", *reason))


def _not_read(entry: os.DirEntry) -> tuple[str, str] | None:
    """Why a file in a record folder is not read (reason, hint); None for its README and such."""
    name = entry.name
    if entry.is_symlink():
        return "is a symbolic link, which reportgen does not follow", "move the file itself into the folder"
    if not entry.is_file():
        return "is not a regular file", "remove it"
    if name.lower().endswith(RECORD_SUFFIXES):
        suffix = name[name.rfind("."):]
        return (f"ends in '{suffix}', and only '.yaml' and '.yml' (lower case) are read",
                f"rename it to end in '{suffix.lower()}'")
    if not name.lower().endswith(NOT_RECORDS):
        return "is not a YAML file", "records end in '.yaml'; move other files out of the record folders"
    return None
