"""The build graph's record inputs are complete: making a report (analysis, charts, texts) from a
project restricted to them gives exactly the same briefing as making it from the whole project.
The inputs are what the select stage says the report reads (`pipeline.report_reads`).

Workers only ever see the restricted project, pickled (its records as JSON text, see `Project`), so
a record the renderer reads but the graph misses, or a record that does not survive the trip,
would change an output; these tests would then fail (and say which report and format).
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest
import yaml

from reportgen.make import build
from reportgen.make.graph import restrict
from reportgen.model.project import Project
from reportgen.pipeline import make_briefing, open_project, report_reads
from reportgen.render.text import render
from tests.conftest import REPO
from tests.support.briefings import FIXTURE, TODAY
from tests.support.builds import IRAQI, syria_outlook
from tests.support.synthetic import write_corpus


def record_keys(project: Project, report) -> frozenset:
    """Every record the report's briefing may read."""
    return report_reads(project, report)[1]


def assert_restriction_changes_nothing(root: Path, today: dt.date | None = None) -> None:
    project = open_project(root, today=today)
    assert not project.errors, [str(p) for p in project.errors]
    for report in project.config.reports:
        keys = record_keys(project, report)
        restricted = shipped(restrict(project, keys))
        assert restricted.incidents == {i: project.incidents[i] for i in restricted.incidents}
        assert restricted.actors == {i: project.actors[i] for i in restricted.actors}
        whole, alone = make_briefing(project, report), make_briefing(restricted, report)
        for fmt in ("md", "html"):
            assert render(alone, fmt) == render(whole, fmt), f"{report.id}.{fmt} reads a record it has not"
        assert [c.svg for c in alone.charts] == [c.svg for c in whole.charts], report.id


def shipped(project: Project) -> Project:
    """The project as a worker receives it."""
    return pickle.loads(pickle.dumps(project))


def test_the_golden_fixture_project(tmp_path):
    assert_restriction_changes_nothing(FIXTURE, TODAY)


@pytest.mark.slow
def test_the_example_project():
    assert_restriction_changes_nothing(REPO)


@pytest.mark.slow  # the example and the fixture cover the quick suite
def test_a_generated_project(tmp_path):
    assert_restriction_changes_nothing(write_corpus(tmp_path, incidents=45, actors=5, reports=3))


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_larger_generated_projects(tmp_path, seed):
    assert_restriction_changes_nothing(write_corpus(tmp_path, incidents=120, actors=8, reports=4,
                                                    seed=seed))


def test_a_record_neither_selected_nor_linked_is_not_an_input(tmp_path):
    root = write_corpus(tmp_path, incidents=30, actors=6, reports=2)
    project = open_project(root)
    syria = next(r for r in project.config.reports if r.filters.countries == ["SY"])
    keys = record_keys(project, syria)
    selected = {("incident", i.id) for i in project.incidents.values() if i.location.country == "SY"}
    # incident 9 (Iraq) is answered by incident 10 (Syria); incident 3 (Iraq) is linked to nothing
    assert selected < keys
    assert ("incident", "2021-01-07-synthetic-9") in keys
    assert ("incident", "2021-01-03-synthetic-3") not in keys


def test_each_job_arrives_with_exactly_its_own_records(tmp_path):
    """Pickled as a worker receives it, a restricted project has its records, equal to the
    loaded ones, and no others."""
    project = open_project(write_corpus(tmp_path, incidents=30, actors=6, reports=3))
    for report in project.config.reports:
        restricted = restrict(project, record_keys(project, report))
        arrived = shipped(restricted)
        assert arrived.incidents == restricted.incidents
        assert arrived.actors == restricted.actors
        assert arrived.config == project.config and arrived.root == project.root


def test_an_outlook_naming_an_incident_outside_the_filters_reads_it(tmp_path):
    root = syria_outlook(write_corpus(tmp_path, incidents=12, actors=4, reports=2))
    project = open_project(root)
    syria = project.config.reports[1]
    assert ("incident", IRAQI) in record_keys(project, syria)
    title = project.incidents[IRAQI].title
    assert title in render(make_briefing(project, syria), "md")
    assert_restriction_changes_nothing(root)


def test_the_issue_what_changed_compares_with_is_read(tmp_path):
    """An incident of the last issue, retracted since and linked to nothing: "what changed"
    says it was retracted, which only its record can tell."""
    root = write_corpus(tmp_path, incidents=12, actors=4, reports=2, formats=("md",))
    assert build(root, jobs=1).ok
    config = yaml.safe_load((root / "reportgen.yaml").read_text(encoding="utf-8"))
    syria = config["reports"][1]
    syria.update(issue=2, previous_issue=syria["period"]["to"])
    (root / "reportgen.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (path,) = root.glob("incidents/*/*-synthetic-1.yaml")
    path.write_text(path.read_text(encoding="utf-8") + "status: retracted\n", encoding="utf-8")
    project = open_project(root)
    keys = record_keys(project, project.config.reports[1])
    assert ("incident", "2021-01-01-synthetic-1") in keys
    assert_restriction_changes_nothing(root)
    assert build(root, jobs=1).ok
    text = (root / "build/synthetic-report-1/synthetic-report-1.md").read_text(encoding="utf-8")
    assert "retracted" in text and "deleted from the corpus" not in text
