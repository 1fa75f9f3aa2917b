"""The fixture project's briefings, compared with checked-in expected files.

After an intended change to the theme or the fixture, regenerate the expected files and review
the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/end_to_end/test_golden.py
"""

from __future__ import annotations

import functools
import hashlib
import os

import pytest

from tests.support.briefings import GOLDEN, INLINE_SVG, TEXT_FORMATS, fixture_briefings, fixture_report_ids

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def digest(found) -> str:
    return "data:image/svg+xml;sha256," + hashlib.sha256(found.group().encode()).hexdigest()[:16]


@functools.cache
def rendered(report_id: str, fmt: str) -> str:
    """The briefing, its charts inline in the HTML standing as their digest: deterministic,
    checked, and readable."""
    return INLINE_SVG.sub(digest, fixture_briefings()[report_id][fmt])


CASES = [(report_id, fmt) for report_id in fixture_report_ids() for fmt in TEXT_FORMATS]


@pytest.mark.parametrize(("report_id", "fmt"), CASES)
def test_briefing_matches_golden_file(report_id, fmt):
    expected = GOLDEN / f"{report_id}.{fmt}"
    actual = rendered(report_id, fmt)
    if UPDATE:
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
    assert expected.is_file(), f"no golden file {expected.name}: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == expected.read_text(encoding="utf-8"), (
        f"{report_id}.{fmt} differs from {expected}; if the change is intended, "
        "run UPDATE_GOLDEN=1 .venv/bin/pytest tests/end_to_end/test_golden.py and review the diff")


def test_every_golden_file_is_still_produced():
    produced = {f"{report_id}.{fmt}" for report_id, outputs in fixture_briefings().items()
                for fmt in outputs}
    assert {p.name for p in GOLDEN.iterdir()} == produced
