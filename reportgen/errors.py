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


class ReportgenError(Exception):
    """Raised to stop a command; carries the problems that stopped it."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
