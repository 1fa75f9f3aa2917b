"""What the PDF engine keeps between builds, and asks its caller to keep for it: laid-out parts
(`parts`) and each part's share of the joined file (`join`), each under a name that is a
digest of everything it is made from. The engine never reads or writes a file itself: its
caller hands it a `Cache` (the build's: `reportgen.write.cache.FolderCache`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Cache(Protocol):
    """Bytes kept by kind ("part", "share") and name."""

    def get(self, kind: str, name: str) -> bytes | None:
        """The bytes put under this name, exactly; None when missing or damaged."""

    def put(self, kind: str, name: str, data: bytes) -> None:
        """Keep `data` under this name (replacing what was there)."""

    def keep_only(self, kind: str, names: Iterable[str]) -> None:
        """Forget every entry of this kind but these: what a build did not use is not kept."""
