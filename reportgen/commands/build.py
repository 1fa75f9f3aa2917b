"""`reportgen build [REPORT-ID...]`: render the reports' Markdown and HTML into build/."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from ..build import BuildResult, build_outputs, pick_reports
from ..errors import ReportgenError
from ..project import open_project
from ..render import TEXT_FORMATS
from ..report_problems import print_text
from .options import project_dir


@click.command("build")
@click.argument("report_ids", nargs=-1, metavar="[REPORT-ID]...")
@project_dir
def command(report_ids: tuple[str, ...], root: Path) -> None:
    """Build every report (or the ones named) into build/<report-id>/."""
    project = open_project(root)
    console = Console(highlight=False)
    if project.errors or project.config is None:
        print_text(project.problems, project.summary(), console)
        click.echo("build stopped: fix the errors above first")
        raise SystemExit(1)
    reports, unknown = pick_reports(project, report_ids)
    if unknown:
        known = ", ".join(r.id for r in project.config.reports)
        raise click.UsageError(f"no report {', '.join(map(repr, unknown))} (reports: {known})")
    if project.warnings:
        print_text(project.warnings, project.summary(), console)
    for report in reports:
        try:
            result = build_outputs(project, report)
        except ReportgenError as stop:
            print_text(stop.problems, f"{report.id}: not built", console)
            raise SystemExit(1) from None
        except OSError as exc:
            click.echo(f"{report.id}: cannot write the outputs: {exc}", err=True)
            raise SystemExit(1) from None
        _print_result(result, project.root)


def _print_result(result: BuildResult, root: Path) -> None:
    report = result.report
    for path in result.written:
        click.echo(f"wrote {path.relative_to(root)}")
    for fmt in report.formats:
        if fmt not in TEXT_FORMATS:
            click.echo(f"{report.id}: {fmt} is not built yet (this version renders md and html)")
    withheld = result.selection.withheld
    if withheld:
        click.echo(f"{report.id}: withheld {len(withheld)} record{'s' * (len(withheld) != 1)} "
                   f"marked above {report.marking}: " + ", ".join(map(str, withheld)))
