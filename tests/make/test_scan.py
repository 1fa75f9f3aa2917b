"""The scan: what counts as an input, and when a file counts as changed."""

from __future__ import annotations

import os

from reportgen.make import build
from tests.support.builds import rebuilt


def test_touching_files_without_changing_them_rebuilds_nothing(built):
    for path in [*built.rglob("*.yaml")]:
        os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    result = build(built, jobs=1)
    assert rebuilt(result) == set()
    assert not result.loaded


def test_symlinks_are_not_inputs_as_the_loader_does_not_read_them(built, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "2024-01-01-linked.yaml").write_text("id: not-read\n")
    (built / "incidents" / "linked.yaml").symlink_to(outside / "2024-01-01-linked.yaml")
    (built / "incidents" / "linked-folder").symlink_to(outside, target_is_directory=True)
    result = build(built, jobs=1)
    assert rebuilt(result) == set() and not result.loaded
