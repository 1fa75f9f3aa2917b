"""The PDF engine on small invented documents: metadata, variants, attachments, reproducibility, and
WeasyPrint's warnings surfaced instead of swallowed."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pypdf
import pytest

from reportgen.pdf import PdfInfo, PdfSettings, SourceFile, make_pdf
from reportgen.pdf.layout import captured_warnings, file_identifier
from tests.conftest import require_tool
from tests.support import REPO
from tests.support.pdf_tools import write_variable_font
from tests.support.table_scopes import html_rows, pdf_rows, ua_findings

INFO = PdfInfo(title="Invented briefing", author="Invented Desk", subject="A test document",
               keywords=("testing", "invented"), language="en-GB", marking="TLP:AMBER",
               identity="invented-brief/issue-3", date=dt.datetime(2024, 2, 8))
HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>ignored title</title>
<meta name="dcterms.created" content="2020-01-01T00:00:00Z"><meta name="viewport" content="x">
</head><body><h1>Invented briefing</h1><h2 id="one">First section</h2><p>Text <a href="#two">to two</a>.</p>
<h2 id="two">Second section</h2><p>Arabic: <bdi dir="rtl">كتائب حزب الله</bdi>.</p></body></html>"""


def render(tmp_path: Path, html: str = HTML, *, sources=(), **options) -> bytes:
    return make_pdf(html, PdfSettings(INFO, tmp_path, (tmp_path,), sources=tuple(sources), **options)).data


def test_metadata_comes_from_the_report_not_the_html(tmp_path):
    reader = pypdf.PdfReader(io.BytesIO(render(tmp_path)))
    meta = reader.metadata
    assert (meta.title, meta.author, meta.subject) == (INFO.title, INFO.author, INFO.subject)
    assert meta["/Keywords"] == "testing, invented"
    assert meta["/Marking"] == "TLP:AMBER"
    assert "/CreationDate" not in meta and "/ModDate" not in meta, "a date makes builds differ"
    assert "/viewport" not in meta
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert "/ID" not in reader.trailer, "only PDF/A needs the costly identifier"
    assert outline(reader.outline) == [(0, "Invented briefing"), (1, "First section"),
                                       (1, "Second section")]


def outline(items: list, depth: int = 0) -> list[tuple[int, str]]:
    """pypdf's nested outline as (depth, title) pairs, in reading order."""
    found = []
    for item in items:
        if isinstance(item, list):
            found += outline(item, depth + 1)
        else:
            found.append((depth, item.title))
    return found


def test_pdf_ua_is_tagged_and_none_is_not(tmp_path):
    tagged = pypdf.PdfReader(io.BytesIO(render(tmp_path, variant="pdf/ua-1")))
    assert "/StructTreeRoot" in tagged.trailer["/Root"]
    assert tagged.trailer["/Root"]["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a pypdf BooleanObject
    plain = pypdf.PdfReader(io.BytesIO(render(tmp_path, variant="none")))
    assert "/StructTreeRoot" not in plain.trailer["/Root"]


def test_pdf_a3_attaches_sources_with_fixed_dates(tmp_path):
    record = tmp_path / "2024-01-01-invented.yaml"
    record.write_text("id: 2024-01-01-invented\ntitle: Invented\n")
    sources = [SourceFile("incidents/2024/2024-01-01-invented.yaml", record.read_bytes(),
                          "Incident record")]
    data = render(tmp_path, variant="pdf/a-3b", sources=sources)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.attachments == {"incidents/2024/2024-01-01-invented.yaml": [record.read_bytes()]}
    assert b"pdfaid" in reader.xmp_metadata.stream.get_data()
    assert reader.trailer["/ID"][0] == file_identifier(INFO.identity).decode()
    assert b"D:20240208000000Z" in qpdf_uncompressed(data, tmp_path)
    assert render(tmp_path, variant="pdf/a-3b", sources=sources) == data


VARIABLE_FONT_HTML = HTML.replace("</head>", """<style>@font-face { font-family: Invented;
src: url(variable.ttf) } body { font-family: Invented; font-weight: 600 }</style></head>""")
PDF_A_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from reportgen.pdf import SourceFile
from tests.pdf.test_layout import VARIABLE_FONT_HTML, render
source = SourceFile("invented.yaml", b"id: invented\\n", "Incident record")
sys.stdout.buffer.write(render(Path({base!r}), VARIABLE_FONT_HTML, variant="pdf/a-3b", sources=[source]))
"""


def test_pdf_a_bytes_depend_neither_on_the_clock_nor_on_the_process(tmp_path):
    """fontTools dates every font it saves to the second, and WeasyPrint saves variable fonts
    (and every font, where HarfBuzz cannot subset) through it: the same PDF/A rendered twice,
    after other renders, a second apart, and once more in another process, is the same file."""
    write_variable_font(tmp_path / "variable.ttf")
    source = SourceFile("invented.yaml", b"id: invented\n", "Incident record")
    render(tmp_path)
    render(tmp_path, VARIABLE_FONT_HTML, variant="none")
    first = render(tmp_path, VARIABLE_FONT_HTML, variant="pdf/a-3b", sources=[source])
    time.sleep(1.05)
    second = render(tmp_path, VARIABLE_FONT_HTML, variant="pdf/a-3b", sources=[source])
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    other = subprocess.run([sys.executable, "-c", PDF_A_SCRIPT.format(repo=str(REPO), base=str(tmp_path))],
                           capture_output=True, env=env, check=True, cwd=tmp_path).stdout
    assert first.startswith(b"%PDF-") and b"Invented" in qpdf_uncompressed(first, tmp_path)
    assert first == second == other
    assert "SOURCE_DATE_EPOCH" not in os.environ


def qpdf_uncompressed(data: bytes, folder: Path) -> bytes:
    """The PDF with every stream and object stream expanded, to search its text."""
    source = folder / "compressed.pdf"
    source.write_bytes(data)
    require_tool("qpdf")
    return subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(source), "-"],
                          capture_output=True, check=False).stdout


SCRIPT = """
import datetime as dt, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
from tests.pdf.test_layout import render
sys.stdout.buffer.write(render(Path({base!r})))
"""


@pytest.mark.slow
def test_identical_input_gives_identical_bytes_across_processes(tmp_path):
    """Two processes with different hash seeds (set and dict orders differ) and different
    clocks give the same file."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("SOURCE_DATE_EPOCH", None)
        done = subprocess.run([sys.executable, "-c", SCRIPT.format(repo=str(REPO), base=str(tmp_path))],
                              capture_output=True, env=env, check=True, cwd=tmp_path)
        outputs.append(done.stdout)
    assert outputs[0].startswith(b"%PDF-")
    assert outputs[0] == outputs[1]


def test_weasyprint_warnings_are_returned(tmp_path):
    html = HTML.replace("</head>", "<style>p { colour: red; margin: banana }</style></head>")
    result = make_pdf(html, PdfSettings(INFO, tmp_path, (tmp_path,)))
    messages = [n.message for n in result.notices]
    assert sum(n.count for n in result.notices) == 2, messages  # both, perhaps as one kind
    assert any("colour" in m for m in messages), messages
    assert all(m.startswith("WeasyPrint: ") for m in messages)


def test_captured_warnings_keep_to_their_thread():
    logger = logging.getLogger("weasyprint")
    other_ready, other_done = threading.Event(), threading.Event()

    def other_thread():
        other_ready.wait(5)
        logger.warning("from another build")
        other_done.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with captured_warnings() as records:
        logger.warning("from this build")
        logging.getLogger("weasyprint.progress").error("progress trouble")
        other_ready.set()
        other_done.wait(5)
    thread.join()
    assert [r.getMessage() for r in records] == ["from this build", "progress trouble"]


def test_the_same_notice_for_many_fonts_is_one_notice(tmp_path):
    """WeasyPrint says one thing per font (no HarfBuzz subsetting: thirteen times on the example):
    grouped by its message before the arguments, it is one notice with a count."""
    html = HTML.replace("</head>", "<style>p { colour: red }</style></head>")
    logger = logging.getLogger("weasyprint")
    with captured_warnings() as records:
        for family in ("Noto Sans", "Noto Serif", "DejaVu Sans"):
            logger.warning('Using fontTools instead of HarfBuzz-Subset for font "%s".', family)
    from reportgen.pdf.fetcher import LockedFetcher
    from reportgen.pdf.layout import _notices

    notices = _notices(html, tmp_path.as_uri(), LockedFetcher([tmp_path], 10), records)
    assert [(n.message, n.count) for n in notices] == [
        ('WeasyPrint: Using fontTools instead of HarfBuzz-Subset for font "Noto Sans".', 3)]


@pytest.mark.slow  # two PDFs built through the command line: 5.5 s, in CI (the notices
# themselves are counted in one layout by the test above)
def test_weasyprint_notices_reach_a_build_once_and_unlocated(tmp_path):
    """Notices about the theme or the machine have no line in any file: a build says each kind
    once, as a note, and never invents a location for it (`build/x.pdf:1:1`)."""
    from click.testing import CliRunner

    from reportgen.cli import main
    from tests.support.synthetic import write_corpus

    root = write_corpus(tmp_path / "p", incidents=3, actors=2, reports=2, formats=("pdf",))
    (root / "templates").mkdir(exist_ok=True)
    theme = REPO / "templates" / "print.css"
    (root / "templates" / "print.css").write_text(theme.read_text() + "\np { colour: red }\n"
                                                  "h1 { banana: 1 }\nh2 { zebra: 2 }\n")
    result = CliRunner().invoke(main, ["build", "-j1", "--format", "pdf", "-C", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert not [line for line in lines if ".pdf:1:1" in line], result.output
    notes = [line for line in lines if line.startswith("note: WeasyPrint:")]
    assert len(notes) == 1 and notes[0].endswith("(said 3 times)"), result.output


TABLES_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>
<body><h1>Tables</h1>
<table><caption>Head and row headers</caption>
<thead><tr><th scope="col">Rung</th><th scope="col" colspan="2">Name and incidents</th></tr></thead>
<tbody><tr><th scope="row">1</th><td>Probe</td><td>2</td></tr>
<tr><th scope="row">2</th><td>Strike</td><td>5</td></tr></tbody></table>
<table><caption>Row header after a data cell, no head</caption>
<tr><td>2024-01-28</td><th scope="row">Tower 22</th><td>Jordan</td></tr></table>
<table><caption>Header row in the body, a column header beside data</caption>
<tbody><tr><th>Side</th><th>Count</th></tr>
<tr><th scope="col">Totals</th><td>7</td></tr><tr><td>A</td><td>3</td></tr></tbody></table>
</body></html>"""


def test_every_table_header_cell_carries_the_scope_its_html_gives(tmp_path):
    reader = pypdf.PdfReader(io.BytesIO(render(tmp_path, TABLES_HTML, variant="pdf/ua-1")))
    assert pdf_rows(reader) == html_rows(TABLES_HTML) == [
        (True, ("/Column", "/Column")), (False, ("/Row",)), (False, ("/Row",)),
        (False, ("/Row",)),
        (False, ("/Column", "/Column")), (False, ("/Column",)), (False, ())]


def test_the_tables_leave_the_pdf_ua_checker_nothing_to_find(tmp_path):
    pdf = tmp_path / "tables.pdf"
    pdf.write_bytes(render(tmp_path, TABLES_HTML, variant="pdf/ua-1"))
    assert ua_findings(pdf) == {}
