"""Find the build's input files and tell which changed, cheaply: one `stat` per file, and a hash
only for files whose size or mtime moved (or that were modified too recently to trust).

This module must stay light: the no-op build runs it and nothing else, so it imports no models,
no YAML and no templates.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.layout import CONFIG_FILE, RECORD_FOLDERS, REGISTRY_FILES, package_templates, record_files
from reportgen.make.state import Stamp, State, digest_json, file_sha256
from reportgen.render import fonts

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
    fonts: list[fonts.Resolved] | None = None
    """What the theme's font stacks resolved to, when the scan had to ask fontconfig again."""

    @property
    def clean(self) -> bool:
        return not self.changed and not self.deleted


def key_path(root: Path, key: str) -> Path:
    """The file a key stands for."""
    if key.startswith(PACKAGE_PREFIX):
        return package_templates().parent / key.removeprefix(PACKAGE_PREFIX)
    return root / key


def input_files(root: Path, templates_dir: str) -> dict[str, os.stat_result]:
    """Every file a build may read, with its stat: config, sources, records, templates."""
    found: dict[str, os.stat_result] = {}
    for name in (CONFIG_FILE, *REGISTRY_FILES):
        with contextlib.suppress(OSError):
            found[name] = os.stat(root / name)
    for folder in RECORD_FOLDERS:
        found.update(record_files(root, folder)[0])
    _walk(root / templates_dir, Path(templates_dir).as_posix(), found)
    _walk(package_templates(), PACKAGE_PREFIX + "templates", found)
    return found


def _walk(folder: Path, prefix: str, found: dict[str, os.stat_result]) -> None:
    """Regular files below a templates folder (symlinks are not followed)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), f"{prefix}/{entry.name}", found)
        elif entry.is_file(follow_symlinks=False):
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
    _scan_fonts(root, templates_dir or state.templates_dir, state.files.get(fonts.FONTS_KEY), result)
    result.deleted = [key for key in state.files if key not in result.stamps]
    return result


def _scan_fonts(root: Path, templates_dir: str, old: Stamp | None, result: Scan) -> None:
    """The fonts the theme gets, as a virtual input (`fonts.FONTS_KEY`): its size and mtime are
    a fingerprint of the font folders and the PDF's stylesheets, its digest that of what the
    theme's font stacks resolve to, asked of fontconfig only when the fingerprint moved."""
    folders = [root / templates_dir, package_templates()]
    count, checksum = fonts.folders_fingerprint([f / name for name in fonts.STYLESHEETS for f in folders])
    if old and old.size == count and old.mtime_ns == checksum:
        result.stamps[fonts.FONTS_KEY] = old
        return
    result.fonts = fonts.resolve(fonts.theme_stacks(fonts.theme_css(folders)))
    digest = digest_json([[item.wanted, item.family, item.file] for item in result.fonts])
    result.stamps[fonts.FONTS_KEY] = Stamp(count, checksum, digest)
    if old is None or old.sha256 != digest:
        result.changed.append(fonts.FONTS_KEY)
    else:
        result.refreshed += 1
