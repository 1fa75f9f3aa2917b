"""A folder of kept bytes: the PDF engine's cache (`reportgen.pdf.cache.Cache`) in build/.

One file per entry, `<name>.<kind>`, written atomically, beginning with the sha256 of what
follows: an entry damaged or edited by hand reads as missing, and is made again. Names are
digests the engine makes (hexadecimal); a name of any other shape is refused, so no entry can
be read or written outside the folder.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from reportgen.layout import read_kept
from reportgen.write.atomic import write_atomic

NAME = re.compile(r"[0-9a-f]{8,64}")
KINDS = ("part", "share")
"""The kinds of entry the folder holds; any other file there is an earlier format's, dropped."""


class FolderCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, kind: str, name: str) -> Path:
        if kind not in KINDS or not NAME.fullmatch(name):
            raise ValueError(f"not a kept entry: {kind} {name!r}")
        return self.folder / f"{name}.{kind}"

    def get(self, kind: str, name: str) -> bytes | None:
        try:
            head, data = read_kept(self._path(kind, name)).split(b"\n", 1)
        except (OSError, ValueError):
            return None
        return data if head == hashlib.sha256(data).hexdigest().encode("ascii") else None

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
            if entry.is_file() and entry.name not in kept and (suffix == kind or suffix not in KINDS):
                entry.unlink(missing_ok=True)
