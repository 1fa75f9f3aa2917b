"""The send log, `build/<report-id>/sent.jsonl`: who was sent which content, and how it went.

One JSON line per recipient and attempt, appended and forced to disk before the next recipient
is tried, so a crash loses at most the line of the message in flight. The log is what makes a
re-run idempotent: a recipient with a `sent` line for the same content digest is served.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..write import name_file

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


def recipient_key(address: str) -> str:
    """Addresses compare case-insensitively, so Reader@Example.org is served once."""
    return address.lower()


class SendLog:
    def __init__(self, path: Path):
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")

    def served(self, digest: str) -> set[str]:
        """Recipient keys already sent this content."""
        return {recipient_key(r.recipient) for r in self.records()
                if r.digest == digest and r.result == SENT}

    def records(self) -> Iterator[SendRecord]:
        """Every readable line; a line torn by a crash mid-write is skipped."""
        if not self.path.is_file():
            return
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                record = _parse(line)
                if record is not None:
                    yield record

    def append(self, record: SendRecord) -> None:
        """Add one line and force it to disk before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
        try:
            with self.path.open("a+b") as log:
                if _ends_torn(log):
                    line = "\n" + line
                log.write(line.encode("utf-8"))
                log.flush()
                os.fsync(log.fileno())
        except OSError as exc:  # a full disk: the write names no file
            name_file(exc, self.path)
            raise

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the log exclusively: a second `mail` run waits, then sees who was served."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with self.lock_path.open("a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _parse(line: str) -> SendRecord | None:
    try:
        data = json.loads(line)
        return SendRecord(**data | {"lists": tuple(data.get("lists", ()))})
    except (ValueError, TypeError, AttributeError):
        return None


def _ends_torn(log) -> bool:
    """True when the file's last line has no newline (a write cut short by a crash)."""
    size = log.seek(0, os.SEEK_END)
    if size == 0:
        return False
    log.seek(size - 1)
    return log.read(1) != b"\n"
