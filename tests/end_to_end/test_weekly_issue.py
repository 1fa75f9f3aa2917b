"""A typical weekly issue, as a reader gets it: the example's escalation brief cut to the week
of 2-8 February 2024 (the US strikes after Tower 22), its PDF built. Page 1 briefs; the main
text (page 1, the overview, the week's chronology) fits in six pages; the evidence is in the
annexes; no page before them is left half empty."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.pipeline import open_project
from reportgen.select import select
from tests.conftest import copy_example
from tests.support.pdf_tools import outline, page_fill, page_texts

pytestmark = pytest.mark.slow
REPORT = "escalation-brief"
PERIOD = "period: {from: 2023-10-01, to: 2024-02-08}"
WEEK = "period: {from: 2024-02-02, to: 2024-02-08}\n    previous_issue: 2024-02-01"


@pytest.fixture(scope="module")
def week(tmp_path_factory) -> Path:
    root = copy_example(tmp_path_factory.mktemp("week") / "project")
    config = (root / "reportgen.yaml").read_text(encoding="utf-8")
    assert config.index(PERIOD) < config.index("id: kataib-hezbollah-profile")
    (root / "reportgen.yaml").write_text(config.replace(PERIOD, WEEK, 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", REPORT, "--format", "pdf", "-C", str(root)])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def pdf(week) -> Path:
    return week / "build" / REPORT / f"{REPORT}.pdf"


def test_page_one_is_the_briefing(pdf):
    first = " ".join(page_texts(pdf)[0].split())
    for heading in ("Bottom line up front", "Key judgments", "Since the last issue",
                    "The period at a glance", "Killed and injured"):
        assert heading in first
    texts = page_texts(pdf)
    assert "Where it happened" in texts[1], "the map has page 2 to itself"
    assert "CONTENTS" in texts[2] and "CONTENTS" not in texts[0] + texts[1]


def test_the_main_text_of_a_week_fits_in_seven_pages(week, pdf):
    """Page 1, the map, the contents, and the week's chronology by page 7."""
    project = open_project(week)
    incidents = select(project, project.config.report(REPORT)).incidents
    assert len(incidents) >= 5
    texts = [" ".join(text.split()) for text in page_texts(pdf)]
    last_entry = next(n for n, text in enumerate(texts) if f"— {incidents[-1].title}" in text)
    assert last_entry < 7, f"the chronology ends on page {last_entry + 1}"


def test_no_page_before_the_annexes_is_half_empty(pdf):
    """A page may end short only where a new part must start on its own page: page 1 (the map
    opens page 2), the map's page (the contents open page 3) and the page before the annexes."""
    marks = outline(pypdf.PdfReader(pdf))
    annexes = next(page for depth, title, page in marks if title.startswith("Annex A"))
    short = [n + 1 for n, fill in enumerate(page_fill(pdf)[:annexes - 1]) if fill < 0.5 and n > 1]
    assert short == []
