"""A report's briefing as a PDF: its HTML made for print, its settings (metadata, what it may
read, what it attaches), handed to the PDF engine (`reportgen.pdf`) with a process pool and the
report's cache of laid-out parts; the engine's notices located in the project.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from jinja2 import Environment

from reportgen.formats import Rendered
from reportgen.layout import BUILD_DIR, PARTS_DIR, build_path, package_templates
from reportgen.model.common import country_name
from reportgen.model.config import Report
from reportgen.model.project import Project
from reportgen.pdf import Notice, PdfInfo, PdfSettings, SourceFile, make_pdf
from reportgen.problems import Note, Problem, warning
from reportgen.render.reproducible import fixed_date
from reportgen.render.text import project_templates, stream
from reportgen.select import Selection
from reportgen.write.cache import FolderCache

if TYPE_CHECKING:
    from reportgen.briefing import Briefing

RECORD_ANCHORS = {"inc": ("incident", "summary"), "actor": ("actor", "profile")}
"""Element id prefix -> the record kind it shows, and the field its narrative comes from."""


def render_pdf(briefing: Briefing, environment: Environment | None = None, *,
               pool: Executor | None = None) -> Rendered:
    """The briefing's PDF. Raises ReportgenError (a located problem) for a broken template.
    `environment` defaults to the project's; a build may pass one that records what it loads.
    A long one is laid out in parts by the processes of the caller's `pool` (when given), its
    parts kept in build/<report>/parts/ for the next build."""
    project, report = briefing.project, briefing.report  # the redacted view: all the PDF reads
    html = print_html_written(briefing, environment)  # laid out part by part as it is written
    sources = source_files(briefing.selection) if report.pdf.attach_sources else []
    settings = PdfSettings(pdf_info(project, report), project_templates(project),
                           tuple(asset_roots(project, report)), report.pdf.variant, tuple(sources),
                           home=project.root)
    cache = FolderCache(build_path(project.root, f"{BUILD_DIR}/{report.id}/{PARTS_DIR}"))
    result = make_pdf(html, settings, pool=pool, cache=cache)
    located = [n for n in result.notices if n.owner or n.url]
    notes = [Note(n.message + (f" (said {n.count} times)" if n.count > 1 else ""), key=n.kind)
             for n in result.notices if not (n.owner or n.url)]
    return Rendered(result.data, [locate(n, project, report) for n in located], notes)


def print_html(briefing: Briefing, environment: Environment | None = None) -> str:
    """The briefing's HTML made for print, whole: what the benchmark lays out."""
    return "".join(print_html_written(briefing, environment))


def print_html_written(briefing: Briefing, environment: Environment | None = None) -> Iterator[str]:
    """The briefing's HTML made for print, as the template writes it: the PDF's source, whose
    parts the PDF engine lays out while the template writes the rest."""
    return stream(briefing, "html", environment, medium="print")


def asset_roots(project: Project, report: Report) -> list[Path]:
    """Where the PDF may read files: the project's templates and the default theme (its
    stylesheets, fonts, images). Nothing in build/: the charts come inside the HTML, as data:
    URIs, and are written only after the PDF is made."""
    return [project_templates(project), package_templates()]


def pdf_info(project: Project, report: Report) -> PdfInfo:
    cutoff = report.issue_date
    period = f"{report.period.from_.isoformat()} to {report.period.to.isoformat()}"
    keywords = [str(report.marking), "briefing", *map(country_name, report.filters.countries),
                *(project.actors[a].name for a in report.filters.actors if a in project.actors),
                *report.filters.tags, *report.filters.types]
    return PdfInfo(
        title=report.title,
        author=project.config.project.desk,
        subject=report.subtitle or f"Briefing, {period}",
        keywords=tuple(dict.fromkeys(keywords)),
        language=report.language,
        marking=str(report.marking),
        identity=f"reportgen:{project.config.project.title}:{report.id}:issue-{report.issue}",
        date=fixed_date(cutoff),
    )


def source_files(selection: Selection) -> list[SourceFile]:
    """What a PDF/A-3 briefing was made from, attached for readers who check: the report's own
    settings (not reportgen.yaml itself, whose lists hold readers' addresses and whose other
    reports are not this one's business), the outlets it cites, and each record it shows, all
    as the report's redacted view holds them, under the records' file names: nothing the
    marking withholds, not even an id in a link, can be attached."""
    view, report = selection.project, selection.report
    found = [SourceFile("report.yaml", report_settings(view, report),
                        "The report's settings from reportgen.yaml"),
             SourceFile("sources.yaml", _yaml({"outlets": [o.readers_data() for o in view.outlets.values()]}),
                        "The outlets the briefing cites, from the sources registry")]
    for kind, records in (("incident", selection.incidents), ("actor", selection.actors.values())):
        for record in records:
            document = view.origins.get((kind, record.id))
            name = document.path if document else f"{kind}s/{record.id}.yaml"
            found.append(SourceFile(name, _yaml(record.readers_data()), f"{kind.capitalize()} record"))
    return found


def _yaml(data: dict) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def report_settings(project: Project, report: Report) -> bytes:
    """The part of reportgen.yaml this report is made with, as a reportgen.yaml of its own."""
    config = project.config
    return _yaml({"project": config.project.readers_data(),
                  "escalation_ladder": [rung.readers_data() for rung in config.escalation_ladder],
                  "reports": [report.readers_data()]})


def locate(notice: Notice, project: Project, report: Report) -> Problem:
    """A refused fetch as a warning at the file it concerns: the record that asked for it,
    else the templates."""
    pdf = f"build/{report.id}/{report.id}.pdf"
    prefix, _, record_id = notice.owner.partition("-")
    kind, field_name = RECORD_ANCHORS.get(prefix, ("", ""))
    document = project.origins.get((kind, record_id))
    if document is not None:
        line, column = document.locate((field_name,))
        return warning(document.path, line, column, f"{pdf}: {notice.message}",
                       "the PDF fetches nothing a record names; describe the image in words")
    asked = f" (asked for by the '{notice.owner}' part)" if notice.owner else ""
    return warning(project.config.project.templates, 0, 0, f"{pdf}: {notice.message}{asked}",
                   "the PDF reads only files under the templates folder and small data: URLs")


