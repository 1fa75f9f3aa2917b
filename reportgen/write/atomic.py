"""Atomic writes: a reader sees the old file or the new one, never half of one; and new files
that are whole or not there, never replacing one that is.

An OSError (a full or read-only disk, a folder where the file should be) names the file being
written, not its temporary file: that is the one the person reading the message knows.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen.problems import Problem, ReportgenError

COPY_CHUNK = 1 << 20


def write_atomic(path: Path, data: str | bytes | Iterable[str]) -> Path:
    """Write to a temporary file in the same folder, fsync it, then rename it over `path`.
    Text may come in pieces (written as they come, UTF-8); if making them fails, `path` is
    left as it was."""
    return stage(path, data).commit()


def write_in_place(path: Path, data: bytes) -> Path:
    """`write_atomic` for a file a person keeps (reportgen.yaml): through a symbolic link to the
    file it names, which keeps its place, and with the file's mode and owner, so an edit never
    widens a file that holds mail settings or replaces a link with a copy."""
    target = path.resolve(strict=True)
    before = target.stat()
    staged = stage(target, data)
    try:
        os.chmod(staged.temporary, stat.S_IMODE(before.st_mode))
        if hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):  # not ours to give away: the mode holds
                os.chown(staged.temporary, before.st_uid, before.st_gid)
    except BaseException:
        staged.discard()
        raise
    return staged.commit()


def copy_atomic(source: Path, path: Path) -> Path:
    """`write_atomic` of another file's bytes, read in pieces (a briefing of 10,000 incidents,
    20 MB of HTML, is never held whole)."""
    with source.open("rb") as handle:
        return stage(path, iter(lambda: handle.read(COPY_CHUNK), b""), binary=True).commit()


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text` for a command that makes records (`new`, `init`, `import`):
    staged beside it and linked into place, so it is whole or not there; a file already at
    `path` is never replaced (a located problem). Any other OS error goes up to the command
    line's edge, which says it once."""
    staged = stage(path, text)
    try:
        os.link(staged.temporary, path)
    except FileExistsError:
        exists = Problem(str(path), 0, 0, "the file exists already; it is never overwritten")
        raise ReportgenError([exists]) from None
    except OSError as exc:
        name_file(exc, path, str(staged.temporary))
        raise
    finally:
        staged.discard()
    _sync_folder(path.parent)


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


def stage(path: Path, data: str | bytes | Iterable[str] | Iterable[bytes], *,
          binary: bool = False) -> Staged:
    """Write `data` to a temporary file beside `path` (`.<name>.<random>.tmp`) and fsync it;
    pieces are text unless `binary`."""
    pieces = [data] if isinstance(data, str | bytes) else data
    binary = binary or isinstance(data, bytes)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, temporary = _create_beside(path)
    except OSError as exc:
        name_file(exc, path)
        raise
    try:
        text = {} if binary else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, "wb" if binary else "w", **text) as handle:
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


def _create_beside(path: Path) -> tuple[int, str]:
    """A new, empty file `.<name>.<random>.tmp` beside `path`, open for writing: never one that
    was there already, nor one a link points to (as tempfile.mkstemp makes it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        temporary = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temporary, flags, 0o600), temporary
        except FileExistsError:
            continue


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
