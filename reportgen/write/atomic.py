"""Atomic writes: a reader sees the old file or the new one, never half of one.

An OSError (a full or read-only disk, a folder where the file should be) names the file being
written, not its temporary file: that is the one the person reading the message knows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def write_atomic(path: Path, data: str | bytes | Iterable[str]) -> Path:
    """Write to a temporary file in the same folder, fsync it, then rename it over `path`.
    Text may come in pieces (written as they come, UTF-8); if making them fails, `path` is
    left as it was."""
    return stage(path, data).commit()


@dataclass(frozen=True)
class Staged:
    """A complete temporary file beside `path`, not yet in place: several outputs can be made
    first and put in place together, so a failure in the last leaves all of them as they were."""

    path: Path
    temporary: Path

    def commit(self) -> Path:
        try:
            os.replace(self.temporary, self.path)
        except BaseException as exc:
            self.discard()
            name_file(exc, self.path, str(self.temporary))
            raise
        _sync_folder(self.path.parent)
        return self.path

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)


def stage(path: Path, data: str | bytes | Iterable[str]) -> Staged:
    """Write `data` to a temporary file beside `path` (`.<name>.<random>.tmp`) and fsync it."""
    pieces = [data] if isinstance(data, str | bytes) else data
    import tempfile  # here: the no-op build, which writes nothing, need not import it

    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        name_file(exc, path)
        raise
    try:
        text = {} if isinstance(data, bytes) else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, "wb" if isinstance(data, bytes) else "w", **text) as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        name_file(exc, path, temporary)
        raise
    return Staged(path, Path(temporary))


def name_file(exc: BaseException, path: Path, temporary: str | None = None) -> None:
    """Make an OSError that names the temporary file, or no file at all (a write to an open
    file names none), name `path` instead; one that names another file (the folder that could
    not be made, a template the text was rendered from) is left as it is."""
    if isinstance(exc, OSError) and exc.filename in (None, temporary):
        exc.filename, exc.filename2 = str(path), None


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (not possible on every platform)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
