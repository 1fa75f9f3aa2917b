"""`reportgen build [REPORT-ID...]`: analyse the reports and render their Markdown, HTML and PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.console import Console

from ..build import FORMATS, BuildResult, build_outputs, pick_reports
from ..errors import ReportgenError
from ..project import open_project
from ..report_problems import print_text
from .options import project_dir


@click.command("build")
@click.argument("report_ids", nargs=-1, metavar="[REPORT-ID]...")
@project_dir
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the previous issue, for 'what changed' (default: the report's "
                   "previous_issue).")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Only outputs in this format (repeatable).")
def command(report_ids: tuple[str, ...], root: Path, since: dt.datetime | None,
            formats: tuple[str, ...]) -> None:
    """Build every report (or the ones named) into build/<report-id>/.

    \b
    Examples:
      reportgen build
      reportgen build escalation-brief -C my-desk
      reportgen build escalation-brief --since 2024-02-01
      reportgen build escalation-brief --format pdf
    """
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
            result = build_outputs(project, report, formats=_wanted(report, formats),
                                   since=since.date() if since else None)
        except ReportgenError as stop:
            print_text(stop.problems, f"{report.id}: not built", console)
            raise SystemExit(1) from None
        except OSError as exc:
            click.echo(f"{report.id}: cannot write the outputs: {exc}", err=True)
            raise SystemExit(1) from None
        _print_result(result, project.root, console)


def _wanted(report, formats: tuple[str, ...]) -> tuple[str, ...] | None:
    """The report's formats, less those not asked for with --format (None: all of them)."""
    return tuple(f for f in report.formats if f in formats) if formats else None


def _print_result(result: BuildResult, root: Path, console: Console) -> None:
    report = result.report
    if result.problems:
        count = len(result.problems)
        print_text(result.problems, f"{report.id}: {count} warning{'s' * (count != 1)}", console)
    for path in result.written:
        click.echo(f"wrote {path.relative_to(root)}")
    if result.charts:
        folder = result.charts[0].parent.relative_to(root)
        click.echo(f"wrote {len(result.charts)} chart{'s' * (len(result.charts) != 1)} "
                   f"into {folder}/")
    withheld = result.selection.withheld
    if withheld:
        click.echo(f"{report.id}: withheld {len(withheld)} record{'s' * (len(withheld) != 1)} "
                   f"marked above {report.marking}: " + ", ".join(map(str, withheld)))
