"""`reportgen export`: the corpus (or one report's part of it) as CSV, GeoJSON, JSON or STIX."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.cli.options import project_dir
from reportgen.exchange.exporting import FORMATS, export
from reportgen.model.text import counted
from reportgen.pipeline import open_project
from reportgen.problems import ReportgenError
from reportgen.write.atomic import write_atomic


@click.command("export")
@project_dir
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), required=True,
              help="csv: ACLED-like table; geojson: incidents with coordinates (QGIS); json: the "
                   "normalised corpus; stix: a STIX 2.1 bundle (OpenCTI, MISP).")
@click.option("--report", "report_id", help="Only what this report selects and may contain "
                                            "under its TLP marking (default: the whole corpus).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def command(root: Path, output_format: str, report_id: str | None, output: Path | None) -> None:
    """Export incidents and actors for spreadsheets, GIS and threat-intelligence platforms.

    Output is deterministic: the same corpus gives the same bytes. Without --report everything
    is exported, drafts and every marking included.

    \b
    Examples:
      reportgen export --format csv -o incidents.csv
      reportgen export --format stix --report escalation-brief -o brief.stix.json
    """
    project = open_project(root, templates=False)
    if project.errors:
        raise ReportgenError(project.errors, f"{project.summary()}; nothing exported")
    text, selection = export(project, output_format, report_id)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text)  # an OS error is said once, at the command line's edge
    click.echo(f"wrote {output} ({counted(len(selection.incidents), 'incident')}, "
               f"{counted(len(selection.actors), 'actor')})",
               err=True)
