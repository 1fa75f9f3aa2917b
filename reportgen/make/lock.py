"""One build at a time per project: an exclusive `flock` on `build/.reportgen.lock`.

A second build waits for the first to finish (and says so), or with `wait=False` gives up at
once. The kernel releases the lock when its holder exits, however it exits (even `kill -9`), so
there is never a stale lock to delete by hand. The lock file itself is never removed: removing
it while another process waits on it would let a third one lock a new file alongside.

What stands in the way (a file named build, a folder or a symbolic link named like the lock, a
read-only disk) is an OSError naming the path, which the command line says in one line.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from reportgen.problems import Problem, ReportgenError

LOCK_FILE = ".reportgen.lock"


class LockBusy(ReportgenError):
    """Another build holds the lock and we were asked not to wait."""

    def __init__(self, path: Path, holder: str):
        super().__init__([Problem(str(path), 0, 0, f"another build is running in this project ({holder})",
                                  "wait for it to finish, or build without --no-wait")],
                         "nothing was built")
        self.path, self.holder = path, holder


@contextmanager
def build_lock(build_dir: Path, *, wait: bool = True,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's build lock for the duration of the block."""
    if build_dir.exists() and not build_dir.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(build_dir))
    build_dir.mkdir(parents=True, exist_ok=True)
    path = build_dir / LOCK_FILE
    # not through a symbolic link: the pid written into it would land in whatever file it names
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not wait:
                raise LockBusy(path, holder) from None
            if on_wait:
                on_wait(holder)
            fcntl.flock(fd, fcntl.LOCK_EX)
        _record_holder(fd)
        yield
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    """Who holds the lock, as far as the lock file says."""
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        text = ""
    return f"pid {text}" if text.isdigit() else "pid unknown"


def _record_holder(fd: int) -> None:
    """Our pid, padded to a fixed width so no truncation is needed."""
    os.pwrite(fd, f"{os.getpid():<15}\n".encode("ascii"), 0)
