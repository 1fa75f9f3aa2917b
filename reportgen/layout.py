"""Where things are in a project: the files reportgen reads, and the one folder it writes.

Standard library only: the no-op build reads this and must not import models or YAML.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "reportgen.yaml"
SOURCES_FILE = "sources.yaml"
INCIDENTS_DIR = "incidents"
ACTORS_DIR = "actors"
RECORD_FOLDERS = (INCIDENTS_DIR, ACTORS_DIR)
RECORD_SUFFIXES = (".yaml", ".yml")
NOT_RECORDS = (".md", ".gitkeep")
"""Files a record folder may hold that are known not to be records (its README, a placeholder
keeping an empty folder in git): skipped without a word."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a record folder that is not read, and why."""

    path: str
    reason: str
    hint: str


def record_files(root: Path, folder: str) -> tuple[list[tuple[str, os.stat_result]], list[Skipped]]:
    """The record files under `root/folder` (path relative to `root`, and stat), in a stable
    order, and every other file there with the reason it is not read. Symbolic links are not
    followed: a record must live in the project, where its history is."""
    found: list[tuple[str, os.stat_result]] = []
    skipped: list[Skipped] = []
    _walk(root / folder, folder, found, skipped)
    found.sort()
    skipped.sort(key=lambda item: item.path)
    return found, skipped


def _walk(folder: Path, prefix: str, found: list, skipped: list[Skipped]) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        path = f"{prefix}/{entry.name}"
        if entry.is_symlink():
            skipped.append(Skipped(path, "is a symbolic link, which reportgen does not follow",
                                   "move the file itself into the folder"))
        elif entry.is_dir():
            _walk(Path(entry.path), path, found, skipped)
        elif not entry.is_file():
            skipped.append(Skipped(path, "is not a regular file", "remove it"))
        elif entry.name.endswith(RECORD_SUFFIXES):
            found.append((path, entry.stat(follow_symlinks=False)))
        elif entry.name.lower().endswith(RECORD_SUFFIXES):
            suffix = entry.name[entry.name.rfind("."):]
            skipped.append(Skipped(path, f"ends in '{suffix}', and only '.yaml' and '.yml' "
                                   "(lower case) are read", f"rename it to end in '{suffix.lower()}'"))
        elif not entry.name.lower().endswith(NOT_RECORDS):
            skipped.append(Skipped(path, "is not a YAML file", "records end in '.yaml'; "
                                   "move other files out of the record folders"))
