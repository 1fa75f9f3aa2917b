"""Writing files for commands that create records: never half a file, never one replaced."""

from __future__ import annotations

from pathlib import Path

from reportgen.problems import Problem, ReportgenError


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; fails rather than replacing a file that exists. Any other OS
    error goes up to the command line's edge, which says it once."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        exists = Problem(str(path), 0, 0, "the file exists already; it is never overwritten")
        raise ReportgenError([exists]) from None
