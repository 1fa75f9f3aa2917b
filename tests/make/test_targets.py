"""Targets: a build asked for a report, an output path or a format builds exactly that."""

from __future__ import annotations

import re

from reportgen.make import build
from tests.support.builds import cli, outputs, rebuilt


def test_targets_by_report_id_output_path_and_format(synthetic_project):
    root = synthetic_project
    assert rebuilt(build(root, ["synthetic-report-1"], jobs=1)) == outputs("synthetic-report-1")
    assert rebuilt(build(root, ["build/synthetic-report-0/synthetic-report-0.md"], jobs=1)) == {
        "build/synthetic-report-0/synthetic-report-0.md"}
    assert rebuilt(build(root, formats=["html"], jobs=1)) == {
        "build/synthetic-report-0/synthetic-report-0.html"}
    assert rebuilt(build(root, ["synthetic-report-1"], force=True, formats=["md"], jobs=1)) == {
        "build/synthetic-report-1/synthetic-report-1.md"}
    unknown = cli(root, "build", "no-such-report")
    assert unknown.returncode == 2
    assert "no target 'no-such-report' (reports: synthetic-report-0, synthetic-report-1;" in unknown.stderr


def test_a_format_no_report_builds_is_refused_not_nothing_to_do(synthetic_project):
    """`--format docx` where no report lists docx would otherwise say 'nothing to do'."""
    for args in (["--format", "docx"], ["synthetic-report-1", "--format", "pdf"]):
        done = cli(synthetic_project, "build", *args)
        assert done.returncode == 2, done.stderr
        assert re.search(r"builds? no (docx|pdf)", done.stderr), done.stderr
        assert "add it to the report's formats" in done.stderr
    assert not (synthetic_project / "build" / "synthetic-report-1").exists()
