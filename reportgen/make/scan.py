"""Find the build's input files and tell which changed, cheaply: one `stat` per file, and a hash
only for files whose size or mtime moved (or that were modified too recently to trust).

This module must stay light: the no-op build runs it and nothing else, so it imports no models,
no YAML and no templates.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .state import Stamp, State

CONFIG_FILE = "reportgen.yaml"
SOURCES_FILE = "sources.yaml"
RECORD_FOLDERS = ("incidents", "actors")
RECORD_SUFFIXES = (".yaml", ".yml")
PACKAGE_PREFIX = "reportgen:"
"""Keys of the default theme's files (shipped inside the package) start with this."""
RACY_NS = 2_000_000_000
"""A file modified less than this long before a scan may change again within the same mtime
tick and keep its size; its stamp is not trusted and it is hashed again next time (as git does)."""


@dataclass
class Scan:
    stamps: dict[str, Stamp]
    """Every input file now, by key (path relative to the project, or PACKAGE_PREFIX + path)."""
    changed: list[str] = field(default_factory=list)
    """New files and files whose content differs from the state."""
    deleted: list[str] = field(default_factory=list)
    refreshed: int = 0
    """Files whose stamp moved (size, mtime, trust) but whose content did not."""

    @property
    def clean(self) -> bool:
        return not self.changed and not self.deleted


@functools.cache
def package_templates() -> Path:
    """The default theme shipped with reportgen."""
    return Path(__file__).resolve().parent.parent / "templates"


def key_path(root: Path, key: str) -> Path:
    """The file a key stands for."""
    if key.startswith(PACKAGE_PREFIX):
        return package_templates().parent / key.removeprefix(PACKAGE_PREFIX)
    return root / key


def input_files(root: Path, templates_dir: str) -> dict[str, os.stat_result]:
    """Every file a build may read, with its stat: config, sources, records, templates."""
    found: dict[str, os.stat_result] = {}
    for name in (CONFIG_FILE, SOURCES_FILE):
        with contextlib.suppress(OSError):
            found[name] = os.stat(root / name)
    for folder in RECORD_FOLDERS:
        _walk(root / folder, folder, found, RECORD_SUFFIXES)
    _walk(root / templates_dir, Path(templates_dir).as_posix(), found, None)
    _walk(package_templates(), PACKAGE_PREFIX + "templates", found, None)
    return found


def _walk(folder: Path, prefix: str, found: dict[str, os.stat_result],
          suffixes: tuple[str, ...] | None) -> None:
    """Regular files below `folder` (symlinks are not followed, as the loader does not)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), f"{prefix}/{entry.name}", found, suffixes)
        elif entry.is_file(follow_symlinks=False) and (suffixes is None
                                                      or entry.name.endswith(suffixes)):
            found[f"{prefix}/{entry.name}"] = entry.stat(follow_symlinks=False)


def scan(root: Path, state: State, templates_dir: str | None = None) -> Scan:
    """Compare the input files with the state; hash only what looks changed."""
    started = time.time_ns()
    current = input_files(root, templates_dir or state.templates_dir)
    result = Scan(stamps={})
    for key, info in current.items():
        old = state.files.get(key)
        if old and old.trusted and old.size == info.st_size and old.mtime_ns == info.st_mtime_ns:
            result.stamps[key] = old
            continue
        try:
            sha = file_sha256(key_path(root, key))
        except OSError:
            continue  # vanished between stat and read: as if it was never there
        stamp = Stamp(info.st_size, info.st_mtime_ns, sha, info.st_mtime_ns < started - RACY_NS)
        result.stamps[key] = stamp
        if old is None or old.sha256 != sha:
            result.changed.append(key)
        elif stamp != old:
            result.refreshed += 1
    result.deleted = [key for key in state.files if key not in result.stamps]
    return result


def file_sha256(path: Path) -> str:
    import hashlib  # here: loading OpenSSL is a tenth of a no-op build, which hashes nothing

    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
