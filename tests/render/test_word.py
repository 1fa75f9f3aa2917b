"""The Word briefing, opened as Word opens it: the document's parts (python-docx and the XML),
not reportgen's Markdown. Real Pandoc, real rsvg-convert."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from reportgen.pipeline import make_briefing, open_project
from reportgen.problems import ReportgenError
from reportgen.render.word import render_docx
from tests.support.briefings import FIXTURE, TODAY

needs_rsvg = pytest.mark.skipif(shutil.which("rsvg-convert") is None and os.environ.get("CI") != "true",
                                reason="rsvg-convert (librsvg2-bin) is not installed")


def word(root: Path = FIXTURE, report_id: str = "fixture-brief") -> tuple[bytes, object]:
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    briefing = make_briefing(project, project.config.report(report_id))
    return render_docx(briefing).data, briefing


@pytest.fixture(scope="module")
def made() -> tuple[bytes, object]:
    return word()


def parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()
                if name.endswith((".xml", ".rels"))}


def test_every_page_has_the_marking_first_in_its_header_and_in_its_footer(made):
    data, briefing = made
    marking = str(briefing.report.marking)
    document = docx.Document(io.BytesIO(data))
    for section in document.sections:
        assert section.header.paragraphs[0].text.strip() == marking
        assert marking in section.footer.paragraphs[-1].text
        assert "issue" in section.footer.paragraphs[-1].text
    footer = "".join(text for name, text in parts(data).items() if name.startswith("word/footer"))
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer


def test_headings_are_word_heading_styles_and_the_contents_is_a_field(made):
    data, briefing = made
    document = docx.Document(io.BytesIO(data))
    styles = {p.style.name for p in document.paragraphs if p.text.strip()}
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert {"Heading 1", "Heading 2", "Heading 3"} <= styles
    assert "Bottom line up front" in headings and "Contents" in headings
    body = parts(data)["word/document.xml"]
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-2" \\h \\z \\u </w:instrText>', body)
    begin, end = body.index('w:fldCharType="begin"'), body.index('w:fldCharType="end"')
    assert "Escalation overview" in body[begin:end]  # the list is the field's text until updated
    assert '<w:updateFields w:val="true"' in parts(data)["word/settings.xml"]  # page numbers on opening


def test_every_internal_link_leads_to_a_bookmark(made):
    body = parts(made[0])["word/document.xml"]
    anchors = set(re.findall(r'w:anchor="([^"]+)"', body))
    bookmarks = set(re.findall(r'<w:bookmarkStart[^>]*w:name="([^"]+)"', body))
    assert anchors and anchors <= bookmarks


def test_tables_are_word_tables_across_the_page(made):
    data, _ = made
    document = docx.Document(io.BytesIO(data))
    table_style = document.styles["Table"].element.xml
    assert "<w:cantSplit/>" in table_style and '<w:sz w:val="18"/>' in table_style  # 9 pt, rows whole
    assert len(document.tables) >= 3
    assert any(cell.text == "Party" for table in document.tables for cell in table.rows[0].cells)
    body = parts(data)["word/document.xml"]
    assert body.count('<w:tblW w:type="pct" w:w="5000"') == len(document.tables)


@needs_rsvg
def test_charts_are_pictures_with_their_text_alternative(made):
    data, briefing = made
    body = parts(data)["word/document.xml"]
    described = [re.sub("&#39;", "'", d) for d in re.findall(r'<wp:docPr descr="([^"]*)"', body)]
    alts = [chart.alt for chart in briefing.charts if chart.name != "map-phone"]
    assert sorted(described) == sorted(a.replace("&", "&amp;").replace('"', "&quot;") for a in alts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert media and all(n.endswith(".png") for n in media)
    assert "data:image" not in body  # each picture once, in the media, not again as its address


def test_the_same_briefing_gives_the_same_bytes(made):
    data, briefing = made
    assert render_docx(briefing).data == data


@pytest.mark.slow  # renders the fixture again (about a second): CI runs it
def test_a_house_template_keeps_its_own_header_and_styles(tmp_path, made):
    root = shutil.copytree(FIXTURE, tmp_path / "project")
    house = docx.Document(io.BytesIO(made[0]))  # any .docx will do as a house template
    section = house.sections[0]
    section.header.is_linked_to_previous = False
    section.header.paragraphs[0].text = "Fictional Desk letterhead"
    house.styles["Heading 2"].font.size = docx.shared.Pt(17)
    (root / "templates").mkdir(exist_ok=True)
    house.save(root / "templates" / "reference.docx")
    data, briefing = word(root)
    document = docx.Document(io.BytesIO(data))
    lines = [p.text.strip() for p in document.sections[0].header.paragraphs]
    assert lines[:2] == [str(briefing.report.marking), "Fictional Desk letterhead"]
    assert document.styles["Heading 2"].font.size == docx.shared.Pt(17)


def test_a_broken_house_template_is_a_located_error(tmp_path):
    root = shutil.copytree(FIXTURE, tmp_path / "project")
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "reference.docx").write_text("not a Word document", encoding="utf-8")
    with pytest.raises(ReportgenError) as caught:
        word(root)
    (problem,) = caught.value.problems
    assert Path(problem.path).as_posix() == "templates/reference.docx"
    assert "house template" in problem.message


HOSTILE = ('Costs $5 and $6 today :smile: {=openxml} <w:p><w:r><w:t>INJECTED</w:t></w:r></w:p> '
           'www.example.invalid file:///etc/passwd [x](file:///etc/passwd)\n\n'
           '```{=openxml}\n<w:p><w:r><w:t>INJECTED2</w:t></w:r></w:p>\n```\n')


def test_curators_text_stays_text(tmp_path):
    """Pandoc reads Markdown with more meanings than the briefing's: none of them may turn a
    curator's words into Word markup, maths, an emoji or a link."""
    root = shutil.copytree(FIXTURE, tmp_path / "project")
    path = root / "incidents" / "2021" / "2021-03-02-depot-rocket-attack.yaml"
    text = path.read_text(encoding="utf-8")
    old = "summary: Three rockets struck a fuel depot used by Blue Force at Fictiville."
    assert old in text
    block = "".join(f"  {line}\n" for line in HOSTILE.splitlines())
    path.write_text(text.replace(old, "summary: |\n" + block), encoding="utf-8")
    every = parts(word(root)[0])
    body = every["word/document.xml"]
    assert "INJECTED" in body  # as text ...
    assert "<w:t>INJECTED</w:t>" not in body and "<w:t>INJECTED2</w:t>" not in body  # ... not markup
    assert "$5 and $6" in body and ":smile:" in body and "<m:oMath" not in body
    assert "file:///etc/passwd" in body and 'Target="file:' not in "".join(every.values())
