"""`reportgen next [REPORT]`: start the next issue of a report in reportgen.yaml."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from reportgen.cli.options import project_dir
from reportgen.cli.output import stopping
from reportgen.cycle import NextIssue, next_issue
from reportgen.layout import CONFIG_FILE
from reportgen.pipeline import open_project
from reportgen.problems import ReportgenError
from reportgen.write.atomic import write_in_place


@click.command("next", short_help="Start the next issue of a report (edits reportgen.yaml).")
@click.argument("report_id", metavar="[REPORT]", required=False)
@project_dir
@click.option("-n", "--dry-run", is_flag=True, help="Print the edit of reportgen.yaml; write nothing.")
def command(report_id: str | None, root: Path, dry_run: bool) -> None:
    """Start the next issue of REPORT (default: the first report) by editing reportgen.yaml in
    place: the issue number + 1, the period and cut-off rolled by the report's cadence,
    previous_issue set to this issue's date, and the bottom line, key judgments and outlook
    carried over and listed under `review` (check warns until each is removed). Comments and
    layout are kept. Refused, nothing written, while reportgen.yaml has errors.

    \b
    Examples:
      reportgen next                       # the first report
      reportgen next escalation-brief -n   # show the edit only
    """
    project = open_project(root, templates=False)
    with stopping(f"nothing was written: fix {CONFIG_FILE} first" if project.config is None
                  else "nothing was written"):
        if project.config is None:
            raise ReportgenError(project.errors)
        report = project.config.report(report_id) if report_id else project.config.default_report
        issue = next_issue(project, report.id)
    if dry_run:
        click.echo("".join(difflib.unified_diff(issue.original.splitlines(keepends=True),
                                                issue.text.splitlines(keepends=True),
                                                CONFIG_FILE, CONFIG_FILE)), nl=False)
    else:
        write_in_place(project.root / CONFIG_FILE, issue.text.encode("utf-8"))
    print_summary(issue, dry_run)


def print_summary(issue: NextIssue, dry_run: bool) -> None:
    click.echo(f"{issue.report.id}: {'would start' if dry_run else 'started'} issue {issue.report.issue}")
    for change in issue.changes:
        click.echo(f"  {change.label + ':':<16}{change.old or '(none)'} -> {change.new}")
    if issue.review:
        click.echo(f"  to review: {', '.join(item.replace('-', ' ') for item in issue.review)} "
                   f"(carried over unchanged; remove each from review: in {CONFIG_FILE} once confirmed)")
    if dry_run:
        click.echo("nothing written (--dry-run)")
