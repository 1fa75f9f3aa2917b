"""Per-report PDF settings on the fictional fixture project: paper size, PDF/A-3b with the source
YAML attached, charts as images with alt text, and marking labels legible in greyscale."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdf
import pytest
import yaml
from PIL import Image

from reportgen.model import Incident, SourcesRegistry
from reportgen.model.config import ProjectConfig
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.pdf import render_pdf
from reportgen.select import select
from tests.support.briefings import FIXTURE, TODAY
from tests.support.pdf_tools import render_pages

pytestmark = pytest.mark.slow


def fixture_report(tmp_path: Path, report_id: str = "fixture-front", **settings: str):
    """The fixture project with `settings` added to one report's YAML (`pdf:`, `marking:`)."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    config = root / "reportgen.yaml"
    head, anchor, rest = config.read_text().partition(f"  - id: {report_id}\n")
    lines = rest.splitlines(keepends=True)
    end = next((i for i, line in enumerate(lines) if not line.startswith("    ")), len(lines))
    own = [line for line in lines[:end] if line.split(":")[0].strip() not in settings]
    extra = [f"    {key}: {value}\n" for key, value in settings.items()]
    config.write_text(head + anchor + "".join(extra + own + lines[end:]))
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    return project, next(r for r in project.config.reports if r.id == report_id)


def test_letter_paper_when_the_report_asks(tmp_path):
    project, report = fixture_report(tmp_path, pdf="{page_size: Letter}")
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(make_briefing(project, report)).data))
    assert {tuple(round(float(v)) for v in page.mediabox) for page in reader.pages} == {(0, 0, 612, 792)}


def test_pdf_a3b_attaches_the_yaml_it_was_made_from(tmp_path):
    """The records, the outlets they cite and the report's settings, as the briefing saw them."""
    project, report = fixture_report(tmp_path, pdf="{variant: pdf/a-3b, attach_sources: true}")
    briefing = render_pdf(make_briefing(project, report))
    assert briefing.problems == []
    reader = pypdf.PdfReader(io.BytesIO(briefing.data))
    attached = reader.attachments
    assert {"report.yaml", "sources.yaml", "actors/umbrella-front.yaml",
            "incidents/2021/2021-03-02-depot-rocket-attack.yaml"} <= set(attached)
    depot = yaml.safe_load(attached["incidents/2021/2021-03-02-depot-rocket-attack.yaml"][0])
    assert Incident.model_validate(depot) == project.incidents["2021-03-02-depot-rocket-attack"]
    cited = {s.outlet for i in select(project, report).incidents for s in i.sources}
    outlets = SourcesRegistry.model_validate(yaml.safe_load(attached["sources.yaml"][0])).outlets
    assert {o.id for o in outlets} == cited
    settings = yaml.safe_load(attached["report.yaml"][0])
    assert [r["id"] for r in settings["reports"]] == [report.id]
    assert ProjectConfig.model_validate(settings).reports[0] == report
    assert b"pdfaid:part>3<" in reader.xmp_metadata.stream.get_data() or \
        b'pdfaid:part="3"' in reader.xmp_metadata.stream.get_data()
    assert render_pdf(make_briefing(project, report)).data == briefing.data


def test_pdf_a3b_attaches_records_as_the_report_may_see_them(tmp_path):
    """fixture-brief (TLP:GREEN) shows the checkpoint clash, whose file names grey-unit (RED):
    it is attached as the briefing saw it, without the reference; grey-unit is not attached."""
    project, report = fixture_report(tmp_path, "fixture-brief",
                                     pdf="{variant: pdf/a-3b, attach_sources: true}")
    briefing = render_pdf(make_briefing(project, report))
    attached = pypdf.PdfReader(io.BytesIO(briefing.data)).attachments
    clash = "incidents/2021/2021-03-12-checkpoint-clash.yaml"
    assert "grey-unit" in (project.root / clash).read_text()
    assert clash in attached and b"grey-unit" not in attached[clash][0]
    assert not [name for name, data in attached.items() if b"grey" in data[0].lower()]
    assert "actors/grey-unit.yaml" not in attached
    assert "incidents/2021/2021-03-10-convoy-drone-strike.yaml" in attached
    assert briefing.problems == []


def test_charts_are_images_with_their_alt_text_in_the_tags(tmp_path):
    project, report = fixture_report(tmp_path, "fixture-brief")
    made = make_briefing(project, report)
    assert made.charts, "the fixture briefing draws no chart"
    briefing = render_pdf(made)
    assert briefing.problems == []
    reader = pypdf.PdfReader(io.BytesIO(briefing.data))
    figures = [element for element in struct_elements(reader) if element["/S"] == "/Figure"]
    printed = [c.alt for c in made.charts if c.name != "map-phone"]  # that map is for screens
    assert sorted(str(f.get("/Alt")) for f in figures) == sorted(printed)


def struct_elements(reader: pypdf.PdfReader) -> list:
    """Every structure element of a tagged PDF, depth first."""
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                found.append(kid)
                stack.append(kid)
    return found


@pytest.mark.parametrize("marking", ["TLP:RED", "TLP:AMBER+STRICT", "TLP:GREEN", "TLP:CLEAR"])
def test_marking_label_stays_legible_in_greyscale(tmp_path, marking):
    """Printed in greyscale (luma, as PIL and most printer drivers convert), the label's letters
    keep at least 3:1 contrast against its black box: WCAG's minimum for large text, which the
    bold 14pt label is. TLP:RED is the darkest, at about 3.9:1."""
    project, report = fixture_report(tmp_path, marking=f'"{marking}"')
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(render_pdf(make_briefing(project, report)).data)
    page = Image.open(render_pages(pdf, tmp_path, 2, 2, dpi=150)[0]).convert("L")
    width, height = page.size
    header = page.crop((width // 2, 0, width, height * 19 // 297))  # top margin, right half
    box = header.point(lambda level: 255 if level < 20 else 0).getbbox()
    assert box is not None, "no black label box in the header"
    left, top, right, bottom = box
    assert bottom - top >= 14 / 72 * 150, "label box lower than 14pt text: not 'large text'"
    inside = header.crop((left + 3, top + 3, right - 3, bottom - 3))
    background, letters = inside.getextrema()
    assert contrast(letters, background) >= 3.0, f"{marking}: grey {letters} letters on {background}"


def contrast(grey_a: int, grey_b: int) -> float:
    """WCAG contrast ratio of two grey levels (0-255, sRGB)."""
    def luminance(level: int) -> float:
        c = level / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    high, low = sorted((luminance(grey_a), luminance(grey_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
