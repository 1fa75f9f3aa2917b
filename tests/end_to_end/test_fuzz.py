"""Property tests over the whole load + validate pipeline: generated valid incidents pass;
mutated ones only ever produce located problems, never an exception.

CI runs a fixed budget (the profile below); for a release run a longer search:
    HYPOTHESIS_PROFILE=release .venv/bin/pytest tests/end_to_end/test_fuzz.py -m ''
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.pipeline import open_project
from reportgen.problems import Severity
from tests.conftest import TODAY
from tests.support.strategies import incidents, long_literals, mutated_documents
from tests.support.synthetic import write_corpus

settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("release", max_examples=5000, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TARGET = Path("incidents") / "2022" / "2022-01-05-fuzzed.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("fuzz") / "p", incidents=3, actors=4)


def check(root: Path, raw: bytes):
    path = root / TARGET
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    return open_project(root, today=TODAY)


@given(record=incidents())
def test_generated_valid_incidents_pass(project: Path, record: dict):
    raw = yaml.safe_dump(record, allow_unicode=True).encode("utf-8")
    result = check(project, raw)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert errors == [], errors
    assert result.incidents["2022-01-05-fuzzed"].title == record["title"].strip()


@pytest.mark.slow
@given(raw=mutated_documents())
def test_mutated_incidents_only_give_located_problems(project: Path, raw: bytes):
    result = check(project, raw)
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
        assert problem.path.startswith(("incidents/", "actors/", "reportgen.yaml", "sources.yaml"))
    if "2022-01-05-fuzzed" not in result.incidents:
        assert any(p.path == TARGET.as_posix() for p in result.errors)


LITERAL_FIELDS = [("date",), ("end",), ("time",), ("time_utc",), ("title",), ("location", "lat"),
                  ("location", "country"), ("sources", 0, "date"), ("sources", 0, "grade"),
                  ("actors", 0, "actor"), ("casualties", 0, "killed"), ("marking",), ("id",)]
PLACEHOLDER = "literal-placeholder"


@given(record=incidents(), where=st.sampled_from(LITERAL_FIELDS), literal=long_literals)
def test_odd_numbers_dates_and_times_in_any_field_only_give_located_problems(
        project: Path, record: dict, where: tuple, literal: str):
    """Written as plain (unquoted) YAML, so the loader's scalar resolution meets them first."""
    record.setdefault("casualties", [{"according_to": "a wire", "killed": 1}])
    parent = record
    for part in where[:-1]:
        parent = parent[part]
    parent[where[-1]] = PLACEHOLDER
    raw = yaml.safe_dump(record, allow_unicode=True).replace(PLACEHOLDER, literal, 1).encode()
    result = check(project, raw)
    for problem in result.problems:
        assert problem.line >= 1 and problem.column >= 1 and problem.message
    if "2022-01-05-fuzzed" not in result.incidents:
        assert any(p.path == TARGET.as_posix() for p in result.errors)
