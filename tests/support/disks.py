"""Disks that fail for real, for root too (who writes through any permission bits): a small
tmpfs that fills up (ENOSPC), or one remounted read-only (EROFS). Mounting needs root (or a
user namespace); a test that cannot mount is skipped, saying why."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def tmpfs(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A fresh file system of `size` mounted at `folder` (created), unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path) -> Path:
    """Take every free byte of the file system holding `folder`; returns the file to remove."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


def read_only(folder: Path) -> None:
    """Remount the tmpfs at `folder` read-only."""
    _mount("-o", "remount,ro", str(folder))


def _mount(*args: str) -> None:
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root and mount(8)")
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
