"""One entry point for every export format: select what may go out, then render it."""

from __future__ import annotations

import importlib

from reportgen.exchange.content import Export, content_of
from reportgen.model.project import Project

# format -> (module under reportgen.exchange, function); imported only when used
FORMATS = {
    "csv": ("csv_export", "export_csv"),
    "geojson": ("geojson_export", "export_geojson"),
    "json": ("json_export", "export_json"),
    "stix": ("stix_export", "export_stix"),
}


def export(project: Project, output_format: str, report_id: str | None = None) -> tuple[str, Export]:
    """The export's text and what it holds; ReportgenError for an unknown report."""
    content = content_of(project, report_id)
    module_name, function = FORMATS[output_format]
    module = importlib.import_module(f"reportgen.exchange.{module_name}")
    return getattr(module, function)(content), content
