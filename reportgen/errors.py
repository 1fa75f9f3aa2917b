"""Problems are values with a location; they are rendered once, at the edge (the CLI)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One located finding: `path:line:col: severity: message (hint)`."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
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
    """Raised to stop a command; carries the problems that stopped it."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
