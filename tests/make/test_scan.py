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


def test_the_workers_server_starts_early_only_for_a_report_that_may_be_long(built):
    """Before anything is read, a one-report build starts the workers' server early only when
    a PDF is asked for and a report may be long: an earlier build kept a PDF's parts, or, with
    no build yet, the project holds more incident files than a long report holds. A weekly
    report in a large project, built before, starts no process it will not use."""
    import shutil

    from reportgen.make import _may_be_long
    from reportgen.make.scan import scan
    from reportgen.make.state import load_state
    from reportgen.select import LONG_REPORT

    def may_be_long(formats: tuple[str, ...] = ()) -> bool:
        return _may_be_long(built, scan(built, load_state(built, set_aside=False)), list(formats))

    incidents = sorted((built / "incidents").rglob("*.yaml"))
    text = incidents[0].read_text()
    for n in range(LONG_REPORT + 1 - len(incidents)):
        (built / "incidents" / f"copy-{n}.yaml").write_text(text)
    assert not may_be_long()  # built before, no PDF in parts: a weekly report's project
    parts = built / "build" / "any-report" / "parts"
    parts.mkdir(parents=True)
    assert not may_be_long()
    (parts / "kept.part").write_bytes(b"x")
    assert may_be_long() and may_be_long(("md", "pdf"))
    assert not may_be_long(("md", "html"))  # no PDF asked for: no process to lay it out
    shutil.rmtree(built / "build")
    assert may_be_long()  # never built: counted from the files
    (built / "incidents" / "copy-0.yaml").unlink()
    assert not may_be_long()  # exactly LONG_REPORT files: no report can hold more
