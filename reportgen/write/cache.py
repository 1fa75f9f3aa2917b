"""A folder of kept bytes in build/: the one cache service behind what a build keeps for the
next one but its state file: the PDF engine's laid-out parts and their shares of the joined file
(`reportgen.pdf.cache.Cache`), the record sets the build state names, and the charts
(`reportgen.render.charts.cache`).

One file per entry, `<name>.<kind>`, written atomically, beginning with the sha256 of what
follows: an entry damaged or edited by hand is never handed back (`get` says it is missing and
it is made again; `read` says why, for a caller that warns). What the bytes say is validated by
their owner. Names are digests (hexadecimal); a name of any other shape is refused, so no
entry can be read or written outside the folder. (The build state itself is read by the no-op
build, which imports no hashing and no pydantic: it is checked field by field instead, see
`make.state`. Measured on 2026-12-07: importing pydantic and building an adapter for the state
takes 0.064 s, a third of the whole 0.19 s no-op `reportgen build` process.)
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from reportgen.layout import read_kept
from reportgen.write.atomic import write_atomic
from reportgen.write.damage import Damaged

NAME = re.compile(r"[0-9a-f]{8,64}")
KINDS = ("part", "share", "records", "chart")
"""The kinds of entry the folder holds."""
EARLIER = ("pdf", "json", "joined")
"""Suffixes of entries as earlier versions kept them: dropped with the unused. (A file set
aside as damaged, `<entry>.damaged`, stays for a person to look at.)"""


class FolderCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, kind: str, name: str) -> Path:
        if kind not in KINDS or not NAME.fullmatch(name):
            raise ValueError(f"not a kept entry: {kind} {name!r}")
        return self.folder / f"{name}.{kind}"

    def path(self, kind: str, name: str) -> Path:
        """Where the entry is kept; ValueError for a kind or name not of this cache."""
        return self._path(kind, name)

    def get(self, kind: str, name: str) -> bytes | None:
        """The bytes put under this name; None when missing or damaged."""
        try:
            return self.read(kind, name)
        except (OSError, ValueError):
            return None

    def read(self, kind: str, name: str) -> bytes | None:
        """The bytes put under this name; None when missing; Damaged when they are not what
        was put (OSError when the file cannot be read: a folder in its place, say)."""
        try:
            head, separator, data = read_kept(self._path(kind, name)).partition(b"\n")
        except FileNotFoundError:
            return None
        if not separator or head != hashlib.sha256(data).hexdigest().encode("ascii"):
            raise Damaged("its content does not match its checksum")
        return data

    def put(self, kind: str, name: str, data: bytes) -> None:
        path = self._path(kind, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, hashlib.sha256(data).hexdigest().encode("ascii") + b"\n" + data)

    def keep_only(self, kind: str, names: Iterable[str]) -> None:
        kept = {f"{name}.{kind}" for name in names}
        if not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            suffix = entry.suffix.lstrip(".")
            if entry.is_file() and entry.name not in kept and suffix in (kind, *EARLIER):
                entry.unlink(missing_ok=True)

    def touch(self, kind: str, name: str) -> None:
        """Mark the entry used now (`keep_newest` keeps the most lately used)."""
        with contextlib.suppress(OSError):  # read-only, or gone: it is only kept less long
            self._path(kind, name).touch(exist_ok=True)

    def keep_newest(self, kind: str, count: int) -> None:
        """Remove all but the `count` entries of this kind used most lately."""
        if not self.folder.is_dir():
            return
        entries = [entry for entry in self.folder.iterdir()
                   if entry.suffix == f".{kind}" and entry.is_file()]
        if len(entries) <= count:
            return
        by_use = sorted(entries, key=lambda entry: (entry.stat().st_mtime_ns, entry.name), reverse=True)
        for entry in by_use[count:]:
            entry.unlink(missing_ok=True)
