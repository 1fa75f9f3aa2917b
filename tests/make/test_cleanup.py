"""What a build removes (outputs of reports no longer configured, leftovers of a killed build)
and what clean removes."""

from __future__ import annotations

import yaml

from reportgen.make import build
from reportgen.make.state import RECORDS_DIR
from tests.support.builds import ALL, cli, outputs, rebuilt


def test_clean_removes_outputs_and_state_then_everything_is_rebuilt(built):
    done = cli(built, "clean")
    assert done.returncode == 0, done.stderr
    left = sorted(p.relative_to(built / "build").as_posix() for p in (built / "build").rglob("*")
                  if p.is_file())
    # kept: the lock, each report's issue history ("what changed since the last issue") and
    # its archive of the issues built (`clean --archive` removes that too)
    assert [path for path in left if "/archive/" not in path] == [
        ".reportgen.lock", "synthetic-report-0/issues/1.json", "synthetic-report-1/issues/1.json"]
    assert {"synthetic-report-0/archive/index.html", "synthetic-report-1/archive/1/issue.json"} <= set(left)
    assert rebuilt(build(built, jobs=1)) == outputs(*ALL)


def test_a_report_removed_from_the_config_loses_its_outputs(built):
    config = built / "reportgen.yaml"
    data = yaml.safe_load(config.read_text())
    data["reports"] = data["reports"][:1]
    config.write_text(yaml.safe_dump(data, sort_keys=False))
    charts = sorted((built / "build/synthetic-report-1/charts").glob("*.svg"))
    assert charts
    result = build(built, jobs=1)
    assert rebuilt(result) == set()
    assert set(result.removed) == outputs("synthetic-report-1") | {
        chart.relative_to(built).as_posix() for chart in charts}
    # what is left is the report's issue history, kept for "what changed since the last issue",
    # and its archive of the issues built
    assert sorted(p.name for p in (built / "build" / "synthetic-report-1").iterdir()) == ["archive", "issues"]


def test_leftovers_of_a_killed_build_are_swept_and_other_tools_files_kept(built):
    folder = built / "build" / "synthetic-report-0"
    leftover = folder / ".synthetic-report-0.html.k3j2x9.tmp"
    half_set = built / "build" / RECORDS_DIR / ".0123456789abcdef.json.k3j2x9.tmp"
    half_set.write_text("{")
    others = [folder / ".sent.jsonl.tmp", folder / "outbox" / ".message.eml.tmp"]
    for path in [leftover, *others]:
        path.parent.mkdir(exist_ok=True)
        path.write_text("half a file")
    assert rebuilt(build(built, jobs=1)) == set()
    assert not leftover.exists() and not half_set.exists()
    assert all(path.exists() for path in others)
