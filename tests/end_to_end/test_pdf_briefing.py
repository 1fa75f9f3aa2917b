"""The example briefing's PDF, checked with the tools its readers' software relies on: qpdf,
poppler (pdftotext, pdffonts) and pypdf. Built once per module (about 15 s)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.filters import date_of, group_label
from reportgen.render.pdf import print_html
from reportgen.select import select
from tests.conftest import TODAY, copy_example
from tests.support.pdf_tools import fonts, outline, page_fill, page_texts, run_tool
from tests.support.table_scopes import follows_html, html_rows, pdf_rows, ua_findings

pytestmark = pytest.mark.slow
REPORT = "escalation-brief"
JORDAN = "2024-01-28-drone-attack-tower-22-jordan"
MONTH_HEADING = re.compile(r"^(JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|"
                           r"NOVEMBER|DECEMBER) \d{4} \(\d+ INCIDENTS?\)$")


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """A copy of the example project with its briefing's PDF built."""
    root = copy_example(tmp_path_factory.mktemp("example") / "project")
    result = CliRunner().invoke(main, ["build", REPORT, "--format", "pdf", "-C", str(root)])
    assert result.exit_code == 0, result.output
    assert "warning: WeasyPrint" not in result.output, "the default theme makes WeasyPrint warn"
    assert f"wrote build/{REPORT}/{REPORT}.pdf" in result.output
    return root


@pytest.fixture(scope="module")
def pdf(example) -> Path:
    return example / "build" / REPORT / f"{REPORT}.pdf"


@pytest.fixture(scope="module")
def texts(pdf) -> list[str]:
    return page_texts(pdf)


@pytest.fixture(scope="module")
def reader(pdf) -> pypdf.PdfReader:
    return pypdf.PdfReader(pdf)


@pytest.fixture(scope="module")
def selection(example):
    project = open_project(example, today=TODAY)
    report = next(r for r in project.config.reports if r.id == REPORT)
    return select(project, report)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_qpdf_finds_no_structural_problem(pdf):
    done = run_tool("qpdf", "--check", str(pdf))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors found" in done.stdout


def test_every_font_is_embedded_and_arabic_has_one(pdf):
    table = fonts(pdf)
    assert table, "no fonts at all"
    assert [f["name"] for f in table if f["emb"] != "yes"] == []
    assert [f["name"] for f in table if f["uni"] != "yes"] == [], "text would not copy or read aloud"
    assert any("Arabic" in f["name"] for f in table), [f["name"] for f in table]


def test_every_page_carries_the_marking_cutoff_and_page_number(texts):
    assert len(texts) > 10
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert lines.count("TLP:CLEAR") >= 2, f"page {number}: marking missing in header or footer"
        assert "US–militia escalation" in lines, f"page {number}: running title missing"
        assert "Information as of 8 Feb 2024" in lines, f"page {number}: cut-off missing"
        assert f"Page {number} of {len(texts)}" in lines, f"page {number}: page number missing"


def test_every_incident_title_and_the_arabic_names_are_in_the_text(texts, selection):
    text = flat(" ".join(texts))
    missing = [i.title for i in selection.incidents if flat(i.title) not in text]
    assert missing == []
    assert "كتائب حزب" in text, "Kataib Hezbollah's native name is not in the text layer"


def test_page_one_has_title_marking_cutoff_issue_desk_and_the_briefing(texts):
    cover = flat(texts[0])
    for expected in ("US forces and Iran-aligned militias in Iraq, Syria and Jordan",
                     "Escalation chronology, October 2023 to February 2024",
                     "EXAMPLE RESEARCH DESK (DEMONSTRATION) · ISSUE 1 · 8 FEB 2024",
                     "Information as of 8 Feb 2024", "Handling: TLP:CLEAR",
                     "Bottom line up front", "Key judgments", "The period at a glance"):
        assert expected in cover
    assert cover.count("TLP:CLEAR") == 3, "the header's and footer's marking, and the handling line"
    assert "Where it happened" in texts[1], "the map has page 2 to itself"
    assert "CONTENTS" in texts[2] and "CONTENTS" not in texts[0] + texts[1]


def test_bookmarks_nest_sections_months_and_entries(reader, selection):
    marks = outline(reader)
    top = [title for depth, title, _ in marks if depth == 0]
    assert top[0].startswith("Cover: US forces")
    assert top[1:] == ["Bottom line up front", "Key judgments", "The period at a glance",
                       "Where it happened", "Escalation overview", "Incidents at a glance", "Chronology",
                       "Actor profiles", "What the judgments rest on", "Outlook: what to watch",
                       "Annex A: Evidence by incident", "Annex B: The escalation ladder",
                       "Annex C: Action and reaction", "Annex D: Tempo in detail",
                       "Annex E: Sources and method", "Annex F: Index of actors"]
    chronology = marks.index(next(m for m in marks if m[1] == "Chronology"))
    months, entries = [], []
    for depth, title, _ in marks[chronology + 1:]:
        if depth == 0:
            break
        (months if depth == 1 else entries).append(title)
    assert months == [month_heading(g) for g in selection.groups()]
    assert entries == [f"{n}. {date_of(i)} — {i.title}"  # numbered as on the map
                       for n, i in enumerate(selection.incidents, start=1)]


def month_heading(group) -> str:
    """A month heading as its bookmark reads: 'October 2023 (4 incidents)'."""
    count = len(group.incidents)
    return f"{group_label(group)} ({count} incident{'s' * (count != 1)})"


def test_contents_page_numbers_match_where_sections_start(reader, texts):
    starts = {title: page + 1 for depth, title, page in outline(reader) if depth == 0}
    contents = texts[2][texts[2].index("CONTENTS"):]
    listed = dict((title, int(page)) for title, page in
                  re.findall(r"^\d+ (.+?)\s*\n?\s*(\d+)$", contents, re.MULTILINE))
    assert listed, contents
    for title, page in listed.items():
        assert starts[title] == page, f"contents say {title!r} starts on {page}, it is {starts[title]}"


def test_internal_links_reach_their_targets(reader, texts):
    names = reader.named_destinations
    targets = [annotation.get_object()["/Dest"] for page in reader.pages
               for annotation in page.get("/Annots", [])
               if annotation.get_object().get("/Dest") is not None]
    assert len(targets) > 100
    assert [t for t in targets if t not in names] == [], "links to nowhere"
    assert "actor-kataib-hezbollah" in targets and f"inc-{JORDAN}" in targets
    profile = reader.get_destination_page_number(names["actor-kataib-hezbollah"])
    assert "Kataib Hezbollah (" in texts[profile]
    jordan = reader.get_destination_page_number(names[f"inc-{JORDAN}"])
    assert "Drone attack on Tower 22 in Jordan kills three US soldiers" in flat(texts[jordan])


def test_metadata_says_what_the_document_is(reader):
    meta = reader.metadata
    assert meta.title == "US forces and Iran-aligned militias in Iraq, Syria and Jordan"
    assert meta.author == "Example Research Desk (demonstration)"
    assert meta.subject == "Escalation chronology, October 2023 to February 2024"
    assert {"TLP:CLEAR", "Iraq", "Syria", "Jordan"} <= set(meta["/Keywords"].split(", "))
    assert meta["/Marking"] == "TLP:CLEAR"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"], "not tagged (PDF/UA)"
    assert b"pdfuaid:part" in reader.xmp_metadata.stream.get_data()


def test_no_month_heading_ends_a_page(texts):
    for number, text in enumerate(texts, start=1):
        body = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in body if line not in ("TLP:CLEAR", "US–militia escalation")
                and not line.startswith(("Information as of", "Page "))]
        assert body, f"page {number} is empty"
        assert not MONTH_HEADING.match(body[-1]), f"page {number} ends with {body[-1]!r}"


def test_a_second_build_in_another_process_is_byte_identical(example, pdf):
    """Another process, another hash seed, another clock: the same bytes."""
    first = pdf.read_bytes()
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-m", "reportgen", "build", REPORT, "--format", "pdf",
                           "-C", str(example)], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert pdf.read_bytes() == first


def test_no_page_before_the_annexes_is_half_empty(pdf, reader):
    """Only page 1 (the contents open page 2) and the page before the annexes may end short."""
    annexes = next(page for depth, title, page in outline(reader) if title.startswith("Annex A"))
    short = [n + 1 for n, fill in enumerate(page_fill(pdf)[:annexes - 1]) if fill < 0.5 and n]
    assert short == []


def test_every_table_header_cell_carries_the_scope_its_html_gives(example, reader):
    """Row by row, each header cell's /Scope is the one its HTML's `scope` gives, the table
    heads repeated on later pages included."""
    project = open_project(example, today=TODAY)
    report = next(r for r in project.config.reports if r.id == REPORT)
    html = print_html(make_briefing(project, report))
    rows = pdf_rows(reader)
    assert {scope for _, scopes in rows for scope in scopes} == {"/Row", "/Column"}
    assert follows_html(rows, html_rows(html))


def test_the_pdf_ua_checker_finds_nothing(pdf):
    assert ua_findings(pdf) == {}
