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


def test_the_workers_server_starts_early_only_for_a_project_that_may_hold_a_long_report(built):
    """The scan alone says whether a report may be long (more incident files than a long
    report holds), so a one-report build starts the workers' server before loading only then,
    and only when it builds a PDF: a weekly project's build starts no process it will not use."""
    from reportgen.make import _may_be_long
    from reportgen.make.scan import scan
    from reportgen.make.state import load_state
    from reportgen.select import LONG_REPORT

    def may_be_long(formats: tuple[str, ...] = ()) -> bool:
        return _may_be_long(scan(built, load_state(built, set_aside=False)), list(formats))

    incidents = sorted((built / "incidents").rglob("*.yaml"))
    assert not may_be_long()
    text = incidents[0].read_text()
    for n in range(LONG_REPORT - len(incidents)):
        (built / "incidents" / f"copy-{n}.yaml").write_text(text)
    assert not may_be_long()  # exactly LONG_REPORT files: no report can hold more
    (built / "incidents" / "one-more.yaml").write_text(text)
    assert may_be_long() and may_be_long(("md", "pdf"))
    assert not may_be_long(("md", "html"))  # no PDF asked for: no process to lay it out
