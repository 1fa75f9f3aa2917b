"""PDFs of the small fictional fixture project: the first pages compared with reference pictures,
and hostile records or templates that try to make the PDF fetch something.

After an intended change to the print theme (or a WeasyPrint upgrade), regenerate the pictures,
look at them, and commit them:

    UPDATE_REFERENCE=1 .venv/bin/pytest -m slow tests/end_to_end/test_pdf_fixture.py -k picture
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.pipeline import build_report, make_briefing, open_project
from reportgen.render.pdf import print_html
from tests.support import TESTS
from tests.support.audit import watching
from tests.support.briefings import FIXTURE, TODAY
from tests.support.http_recorder import recording_server
from tests.support.pdf_tools import image_difference, page_texts, render_pages
from tests.support.table_scopes import follows_html, html_rows, pdf_rows, ua_findings

REFERENCE = TESTS / "reference"
UPDATE = os.environ.get("UPDATE_REFERENCE") == "1"
INCIDENT = "incidents/2021/2021-03-02-depot-rocket-attack.yaml"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def build_pdf(root: Path, report_id: str = "fixture-brief") -> tuple[Path, list]:
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    report = next(r for r in project.config.reports if r.id == report_id)
    result = build_report(project, report, ("pdf",))
    return result.written[0], result.problems


@pytest.mark.slow
def test_picture_of_the_first_two_pages_matches_the_reference(project_dir, tmp_path):
    pdf, problems = build_pdf(project_dir)
    assert problems == []
    pages = render_pages(pdf, tmp_path, 1, 2, dpi=50)
    assert len(pages) == 2
    for number, page in enumerate(pages, start=1):
        expected = REFERENCE / f"fixture-brief-page{number}.png"
        if UPDATE:
            REFERENCE.mkdir(exist_ok=True)
            shutil.copyfile(page, expected)
        assert expected.is_file(), f"no reference picture: run UPDATE_REFERENCE=1 pytest -m slow {__file__}"
        mean, far = image_difference(page, expected)
        # Tolerance: anti-aliasing and font hinting may differ a little between machines; a moved
        # block, a lost header or a changed font does not stay under these.
        assert mean < 2.0 and far < 0.01, (
            f"page {number} differs from {expected.name} (mean {mean:.2f}, {far:.2%} of pixels far "
            f"off); if intended: UPDATE_REFERENCE=1 .venv/bin/pytest -m slow {__file__} -k picture")


def test_picture_comparison_notices_a_changed_page(project_dir, tmp_path):
    """Control for the picture test: a different page is not within the tolerance."""
    expected = REFERENCE / "fixture-brief-page1.png"
    other = REFERENCE / "fixture-brief-page2.png"
    mean, far = image_difference(other, expected)
    assert mean >= 2.0 or far >= 0.01


@pytest.mark.slow
def test_markdown_images_in_records_build_and_fetch_nothing(project_dir):
    incident = project_dir / INCIDENT
    with recording_server() as (base, requests), watching() as seen:
        incident.write_text(incident.read_text().replace(
            "summary: Three rockets struck a fuel depot used by Blue Force at Fictiville.",
            f"summary: 'Three rockets struck. ![x](file:///etc/passwd) ![y]({base}/pixel.png)'"))
        pdf, problems = build_pdf(project_dir)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert requests == []
    # The build's own worker pool talks over a local multiprocessing socket (/tmp/pymp-*);
    # anything else connected to is a fetch.
    connects = [e for e in seen if e.startswith("connect") and "/pymp-" not in e]
    assert not [event for event in seen if "passwd" in event] and not connects
    text = " ".join(" ".join(page_texts(pdf)).split())
    assert "Three rockets struck." in text


@pytest.mark.slow
def test_a_template_asking_for_urls_gets_located_warnings_and_nothing_is_fetched(project_dir):
    """A project template that puts record data into image URLs: the fetch is refused, the
    build goes on, and the warning names the incident file whose entry asked."""
    partial = project_dir / "templates" / "partials" / "incident.html.j2"
    partial.parent.mkdir(parents=True)
    with recording_server() as (base, requests), watching() as seen:
        partial.write_text(f'<article class="incident" id="inc-{{{{ incident.id }}}}">'
                           f'<h4>{{{{ incident.title }}}}</h4>'
                           f'<img src="{base}/{{{{ incident.id }}}}.png" alt="map"></article>\n')
        (project_dir / "templates" / "print.css").write_text(
            '@page { size: A4 } body { background: url("file:///etc/passwd") }')
        config = project_dir / "reportgen.yaml"
        config.write_text(config.read_text().replace("formats: [md, html]", "formats: [pdf]", 1))
        result = CliRunner().invoke(main, ["build", "fixture-brief", "-C", str(project_dir)])
    assert result.exit_code == 0, result.output
    assert requests == []
    # The build's own worker pool talks over a local multiprocessing socket (/tmp/pymp-*);
    # anything else connected to is a fetch.
    connects = [e for e in seen if e.startswith("connect") and "/pymp-" not in e]
    assert not [event for event in seen if "passwd" in event] and not connects
    output = " ".join(result.output.split())
    assert (f"{INCIDENT}:25:1: warning: build/fixture-brief/fixture-brief.pdf: refused to fetch "
            f"{base}/2021-03-02-depot-rocket-attack.png: http URLs are not fetched") in output
    assert ("templates: warning: build/fixture-brief/fixture-brief.pdf: refused to fetch "
            "file:///etc/passwd: file outside the project's template and asset folders") in output
    assert "wrote build/fixture-brief/fixture-brief.pdf" in output


@pytest.mark.slow
def test_table_headers_carry_their_scope_and_the_pdf_ua_checker_finds_nothing(project_dir):
    pdf, problems = build_pdf(project_dir)
    assert problems == []
    project = open_project(project_dir, today=TODAY)
    report = next(r for r in project.config.reports if r.id == "fixture-brief")
    rows = pdf_rows(pypdf.PdfReader(pdf))
    assert any(scopes for _, scopes in rows), "the fixture briefing has no table headers"
    assert follows_html(rows, html_rows(print_html(make_briefing(project, report))))
    assert ua_findings(pdf) == {}
