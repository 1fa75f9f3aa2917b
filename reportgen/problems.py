"""Problems are values with a location; they are rendered once, at the edge (the CLI)."""

from __future__ import annotations

import errno
import os
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One located finding: `path:line:col: severity: message (hint)`. Line 0 is the file as a
    whole (it cannot be written, say): `path: severity: message (hint)`."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict:
        return {**asdict(self), "severity": str(self.severity)}

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.message)


def error(path: str | Path, line: int, column: int, message: str, hint: str = "") -> Problem:
    return Problem(str(path), line, column, message, hint, Severity.ERROR)


def warning(path: str | Path, line: int, column: int, message: str, hint: str = "") -> Problem:
    return Problem(str(path), line, column, message, hint, Severity.WARNING)


@dataclass(frozen=True, slots=True)
class Note:
    """Something about this machine or the theme rather than a file of the project (a font that
    is missing, a library that makes PDFs slower): it has no location, and a build says it once.
    `key` tells notes of one kind apart (the same notice for thirteen fonts is one note)."""

    message: str
    hint: str = ""
    key: str = ""

    def __str__(self) -> str:
        return f"note: {self.message}" + (f" ({self.hint})" if self.hint else "")


def unique_notes(notes: list[Note]) -> list[Note]:
    """The first note of each kind, in order."""
    seen: dict[str, Note] = {}
    for note in notes:
        seen.setdefault(note.key or note.message, note)
    return list(seen.values())


class ReportgenError(Exception):
    """Raised to stop a command; carries the problems that stopped it and what stopping means
    for the reader (the command line prints both, once, at its edge)."""

    def __init__(self, problems: list[Problem], summary: str = "nothing was written",
                 exit_code: int = 1):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.summary = summary
        self.exit_code = exit_code
        """1 for bad input; 2 when the command line named something that does not exist (as a
        usage error exits)."""

    @property
    def message(self) -> str:
        """What stopped it, without the locations: for a message that names them itself."""
        return "; ".join(problem.message for problem in self.problems)


_FREE_SPACE = "free some space, then run it again"
_PERMISSIONS = "check the permissions of the file and of the folders above it"
_OS_ERRORS = {  # errno -> what could not be done, and what to do about it
    errno.ENOSPC: ("write", f"the disk is full: {_FREE_SPACE}"),
    errno.EDQUOT: ("write", f"the disk quota is used up: {_FREE_SPACE}"),
    errno.EFBIG: ("write", "the file is larger than this system allows"),
    errno.EROFS: ("write", "the file system is read-only: make it writable, or work on a copy"),
    errno.EACCES: ("use", _PERMISSIONS),
    errno.EPERM: ("use", _PERMISSIONS),
    errno.EISDIR: ("use", "a folder is where a file should be: move it away"),
    errno.ENOTDIR: ("use", "a file is where a folder should be: move it away"),
    errno.EEXIST: ("create", "something of that name is in the way: move it away"),
    errno.ELOOP: ("use", "a symbolic link is where a file should be: put the file itself there"),
    errno.ENAMETOOLONG: ("use", "the name is longer than the file system allows"),
    errno.ENOENT: ("find", ""),
}


def os_problem(exc: OSError, doing: str = "") -> Problem:
    """An error of the file system as a problem of the file it concerns (the file as a whole):
    `build/x/x.md: error: cannot write: No space left on device (the disk is full: ...)`.
    `doing` names what failed when the errno alone does not ("write the send log")."""
    verb, hint = _OS_ERRORS.get(exc.errno, ("use", ""))
    name = exc.filename2 if exc.filename2 is not None else exc.filename
    where = _shown(name) if name is not None else "reportgen"
    return Problem(where, 0, 0, f"cannot {doing or verb}: {exc.strerror or exc}", hint)


def _shown(name: str | bytes | int) -> str:
    """A path as short as it can be said: relative to the working folder when inside it."""
    path = os.fsdecode(name) if isinstance(name, str | bytes) else str(name)
    try:
        here = os.getcwd() + os.sep
    except OSError:  # the working folder was removed
        return path
    return path.removeprefix(here) if os.path.isabs(path) else path
