"""The send log, `build/<report-id>/sent.jsonl`: who was sent which content, and how it went.

Two JSON lines per recipient and run: an `attempt` with the message's Message-ID before the
message leaves, and its outcome (`sent` or `failed`) after; each is forced to disk before the
program goes on. A crash can then lose nothing but the outcome of the message in flight, and the
attempt without an outcome tells the next run that this recipient is "in doubt" and which
Message-ID to send again. A recipient with a `sent` line for the same content digest is served.
Every way the log cannot be used is a ReportgenError located at the log.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportgen.layout import open_regular
from reportgen.problems import ReportgenError, error

ATTEMPT = "attempt"
SENT = "sent"
FAILED = "failed"


@dataclass(frozen=True)
class SendRecord:
    digest: str
    recipient: str
    message_id: str
    time: str
    result: str
    detail: str = ""
    lists: tuple[str, ...] = ()


@dataclass
class Standing:
    """What the log says about one recipient and one issue."""

    accepted: set[str] = field(default_factory=set)  # Message-IDs the server accepted
    open: dict[str, None] = field(default_factory=dict)  # attempted, no outcome yet (in order)

    @property
    def served(self) -> bool:
        return bool(self.accepted)

    @property
    def in_doubt(self) -> str:
        """The Message-ID of the latest attempt a crash left without an outcome, or ''."""
        return next(reversed(self.open), "")


def recipient_key(address: str) -> str:
    """Addresses compare case-insensitively, so Reader@Example.org is served once."""
    return address.lower()


class SendLog:
    def __init__(self, path: Path, shown: str = ""):
        self.path = path
        self.shown = shown or str(path)  # the name problems are located at
        self.lock_path = path.with_name(path.name + ".lock")

    def standings(self, digest: str) -> dict[str, Standing]:
        """Each recipient key the log names for this content, and where it stands."""
        found: dict[str, Standing] = {}
        for record in self.records():
            if record.digest != digest:
                continue
            standing = found.setdefault(recipient_key(record.recipient), Standing())
            if record.result == ATTEMPT:
                standing.open[record.message_id] = None
            else:
                standing.open.pop(record.message_id, None)
                if record.result == SENT:
                    standing.accepted.add(record.message_id)
        return found

    def records(self) -> list[SendRecord]:
        """Every readable line; a line torn by a crash mid-write is skipped."""
        with self._as_problem("read"):
            if self.path.is_dir() or not (self.path.exists() or self.path.is_symlink()):
                return []  # nothing logged yet (a folder in its place fails the first write)
            with open_regular(self.path) as raw:
                lines = io.TextIOWrapper(raw, encoding="utf-8", errors="replace")
                return [record for record in map(_parse, lines) if record is not None]

    def check_appendable(self) -> None:
        """Fail now, before any connection, if a line could not be added: nothing is ever sent
        that the log cannot record."""
        with self._appending():
            pass

    def append(self, record: SendRecord) -> None:
        """Add one line and force it to disk before returning."""
        line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
        with self._appending() as log:
            if _ends_torn(log):
                line = "\n" + line
            log.write(line.encode("utf-8"))
            log.flush()
            os.fsync(log.fileno())

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the log exclusively: a second `mail` run waits, then sees who was served.
        The lock goes with the file's closing, and with the process if it is killed."""
        with self._as_problem("lock"):
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            lock = open_regular(self.lock_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        with lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            yield

    @contextmanager
    def _appending(self) -> Iterator[BinaryIO]:
        with self._as_problem("write"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open_regular(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT) as log:
                yield log

    @contextmanager
    def _as_problem(self, doing: str) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            reason = exc.strerror or str(exc)
            if exc.filename and Path(exc.filename) != self.path:
                reason += f" ({exc.filename})"  # its lock or folder
            raise ReportgenError([error(
                self.shown, 0, 0, f"cannot {doing} the send log: {reason}",
                f"it records who was sent each issue, so nothing is sent without it; make {self.shown} "
                "a file reportgen can read and append to")]) from None


def _parse(line: str) -> SendRecord | None:
    try:
        data = json.loads(line)
        return SendRecord(**data | {"lists": tuple(data.get("lists", ()))})
    except (ValueError, TypeError, AttributeError):
        return None


def _ends_torn(log: BinaryIO) -> bool:
    """True when the file's last line has no newline (a write cut short by a crash)."""
    size = log.seek(0, os.SEEK_END)
    if size == 0:
        return False
    log.seek(size - 1)
    return log.read(1) != b"\n"
