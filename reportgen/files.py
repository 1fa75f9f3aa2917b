"""Writing files for commands that create or export: never half a file, never a traceback."""

from __future__ import annotations

from pathlib import Path

from . import write
from .errors import ReportgenError, error


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; fails rather than replacing a file that exists."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise ReportgenError([error(path, 1, 1, "file exists already; it is never overwritten")]) from None
    except OSError as exc:
        raise cannot_write(path, exc) from None


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace `path` in one step (see reportgen.write); an OS error becomes a located message."""
    try:
        write.write_atomic(path, data)
    except OSError as exc:
        raise cannot_write(path, exc) from None


def cannot_write(path: Path, exc: OSError) -> ReportgenError:
    return ReportgenError([error(path, 1, 1, f"cannot write: {exc.strerror or exc}",
                                 "check that the folder exists and is writable")])
