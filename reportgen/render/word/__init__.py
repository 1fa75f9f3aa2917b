"""A report's briefing as a Word document (.docx), made the way the field makes one: Pandoc's
Word writer on the Markdown briefing, with a reference document for the styles (as Quarto does).

- **Source**: the Markdown briefing's own templates, with `medium` "word" (charts embedded as
  pictures whose description is the chart's text alternative; the contents list marked as
  Word's contents field). Pandoc reads it as GitHub-flavoured Markdown, the dialect it is
  written in, with the extensions that would give curators' text another meaning switched off
  (TeX maths, emoji, bare-address links, a metadata block).
- **House template**: `reference.docx` of the theme (Pandoc's own, its table style at 9 pt with
  a row never split across pages); a project overrides it with a file of the same name in its
  templates folder, like any template. Its styles (headings, tables, captions),
  page size and margins, and its header and footer are kept; reportgen puts the marking first
  in every header and last in every footer (`docx/header.xml.j2`, `docx/footer.xml.j2`).
- **Contained**: Pandoc runs in its sandbox: it reads only the files named on its command line
  (the house template and `briefing.lua`) and fetches nothing; pictures come inside the text.
- **Reproducible**: the document is dated SOURCE_DATE_EPOCH when set, else the cut-off.
"""

from __future__ import annotations

import base64
import calendar
import dataclasses
import datetime as dt
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import docx
import pypandoc
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from jinja2 import Environment

from reportgen.formats import Rendered
from reportgen.layout import theme_file
from reportgen.problems import Note, ReportgenError, error
from reportgen.render.context import ChartView, briefing_context
from reportgen.render.environment import make_environment
from reportgen.render.reproducible import SOURCE_DATE_EPOCH, fixed_date
from reportgen.render.text import TEMPLATES, located_template_errors, project_templates

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from reportgen.briefing import Briefing

HOUSE_TEMPLATE = "reference.docx"
HEADER = "docx/header.xml.j2"
FOOTER = "docx/footer.xml.j2"
FILTER = Path(__file__).with_name("briefing.lua")
READER = "gfm-tex_math_dollars-tex_math_gfm-emoji-yaml_metadata_block-alerts-autolink_bare_uris"
PANDOC_SECONDS = 300
RASTERIZER = "rsvg-convert"
SCREEN_DPI = 96
PICTURE_DPI = 192
"""Charts are drawn into PNG at twice the screen's resolution, and Pandoc told so, so that
they print sharp at the size the HTML shows them."""


def render_docx(briefing: Briefing, environment: Environment | None = None, *,
                pool: Executor | None = None) -> Rendered:
    """The briefing as a Word document. Raises ReportgenError (a located problem) for a broken
    template or house template."""
    project, report = briefing.project, briefing.report
    env = environment or make_environment(project_templates(project))
    context = briefing_context(briefing, medium="word")
    context["charts"], notes = pictures(context["charts"])
    with located_template_errors(project.root):
        text = env.get_template(TEMPLATES["md"]).render(context)
        header = env.get_template(HEADER).render(context)
        footer = env.get_template(FOOTER).render(context)
    house = theme_file(project.root, project.config.project.templates, HOUSE_TEMPLATE)
    shown = house.relative_to(project.root) if house.is_relative_to(project.root) else Path(HOUSE_TEMPLATE)
    date = fixed_date(report.issue_date)
    try:
        reference = dated(marked(house, header, footer), date)
    except Exception as exc:  # noqa: BLE001 - any unreadable house template is the editor's to fix
        raise ReportgenError([error(shown, 1, 1, f"the Word house template cannot be read: {exc}",
                                    "save it again from Word as a .docx document")]) from exc
    return Rendered(pandoc(text, reference, date, shown), notes=notes)


def pictures(views: dict[str, ChartView]) -> tuple[Mapping[str, ChartView], list[Note]]:
    """The charts as the Word document's pictures: PNG drawn from their SVG at twice the
    screen's resolution, which every version of Word shows (Word before 2016, and LibreOffice
    7, show no SVG), each drawn when a template first asks for it (the phone's map, say, is
    never asked for). Without rsvg-convert on this machine they stay SVG, and a note says so."""
    if shutil.which(RASTERIZER) is None:
        return views, [Note(f"{RASTERIZER} is not installed: the Word briefing's charts are SVG, "
                            "which Word 2016 and later show but older Word and LibreOffice 7 do not",
                            "install librsvg2-bin (see the README's system packages)",
                            key="docx:rsvg-convert")]
    return _Pictures(views), []


class _Pictures(Mapping):
    """Chart views by name, each as PNG, drawn when first looked up."""

    def __init__(self, views: dict[str, ChartView]):
        self.views = views
        self.drawn: dict[str, ChartView] = {}

    def __getitem__(self, name: str) -> ChartView:
        if name not in self.drawn:
            view = self.views[name]
            self.drawn[name] = dataclasses.replace(view, src=_png(view.src))
        return self.drawn[name]

    def __iter__(self):
        return iter(self.views)

    def __len__(self) -> int:
        return len(self.views)


def _png(src: str) -> str:
    """A `data:` URI of an SVG as one of the same picture in PNG, at `PICTURE_DPI`."""
    svg = base64.b64decode(src.partition(",")[2])
    done = subprocess.run([RASTERIZER, "--zoom", str(PICTURE_DPI / SCREEN_DPI), "--format", "png"],
                          input=svg, capture_output=True, timeout=PANDOC_SECONDS, check=True)
    return "data:image/png;base64," + base64.b64encode(done.stdout).decode("ascii")


def marked(house: Path, header: str, footer: str) -> bytes:
    """The house template with the marking first in every page header and last in every
    footer (those of a first page and of even pages too, where the template has them). A
    header or footer the template does not have is made, holding the marking only."""
    document = docx.Document(str(house))
    _update_fields_on_opening(document)
    even = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        kinds = [("header", "footer")]
        if section.different_first_page_header_footer:
            kinds.append(("first_page_header", "first_page_footer"))
        if even:
            kinds.append(("even_page_header", "even_page_footer"))
        for top, bottom in kinds:
            _put(getattr(section, top), header, first=True)
            _put(getattr(section, bottom), footer, first=False)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def dated(document: bytes, date: dt.datetime) -> bytes:
    """The document with every file in it dated `date`: Pandoc keeps the dates of the house
    template's parts it copies (header, footer, theme), and python-docx dated them now."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(zipfile.ZipInfo(item.filename, date.timetuple()[:6]), source.read(item),
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _update_fields_on_opening(document) -> None:
    """Word fills the contents field (and the footer's page count) in when the document is
    opened, asking the reader first, as it does for Pandoc's own contents; until then the
    field shows the briefing's list of sections, without page numbers."""
    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    settings.append(parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))


def _put(part, paragraph: str, *, first: bool) -> None:
    """One paragraph of WordprocessingML first (or last) in a header or footer."""
    fresh = part.is_linked_to_previous  # none of its own yet: python-docx makes an empty one
    element = part._element  # noqa: SLF001 - python-docx has no public call for a raw paragraph
    if fresh:
        for old in list(element):
            element.remove(old)
    if first:
        element.insert(0, parse_xml(paragraph))
    else:
        element.append(parse_xml(paragraph))


def pandoc(text: str, reference: bytes, date: dt.datetime, shown: Path) -> bytes:
    """Pandoc's Word writer on the Markdown `text`, in its sandbox, dated `date` (UTC)."""
    with tempfile.TemporaryDirectory(prefix="reportgen-docx-") as folder:
        house = Path(folder) / HOUSE_TEMPLATE
        house.write_bytes(reference)
        out = Path(folder) / "briefing.docx"
        environment = {**os.environ, SOURCE_DATE_EPOCH: str(calendar.timegm(date.timetuple()))}
        done = subprocess.run(
            [pypandoc.get_pandoc_path(), "--sandbox", "--from", READER, "--to", "docx",
             "--dpi", str(PICTURE_DPI),
             "--reference-doc", str(house), "--lua-filter", str(FILTER), "--output", str(out)],
            input=text.encode("utf-8"), capture_output=True, env=environment,
            timeout=PANDOC_SECONDS, cwd=folder, check=False)
        if done.returncode != 0:
            said = done.stderr.decode("utf-8", "replace").strip()
            raise ReportgenError([error(shown, 1, 1, f"Pandoc could not make the Word document: {said}",
                                        "check the house template, or leave docx out of the formats")])
        return out.read_bytes()
