"""`reportgen doctor`: check the environment and say what to install."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from reportgen.cli.checks import run_checks
from reportgen.cli.options import project_dir
from reportgen.pipeline import open_project


@click.command("doctor")
@project_dir
@click.option("--no-smtp", is_flag=True, help="Do not contact the configured SMTP server.")
def command(root: Path, no_smtp: bool) -> None:
    """Check Pango, HarfBuzz, fonts, the build folder and the SMTP server.

    \b
    Example:
      reportgen doctor --no-smtp
    """
    config = open_project(root, templates=False).config if (root / "reportgen.yaml").is_file() else None
    console = Console(highlight=False)
    findings = run_checks(root.resolve(), config, smtp=not no_smtp)
    for finding in findings:
        mark = "[green]ok[/]  " if finding.ok else "[bold red]FAIL[/]"
        fix = f"\n      [dim]fix: {escape(finding.fix)}[/]" if finding.fix and not finding.ok else ""
        console.print(f"{mark} {escape(finding.name)}: {escape(finding.detail)}{fix}")
    failed = [f for f in findings if not f.ok]
    console.print(f"{len(findings) - len(failed)} ok, {len(failed)} to fix")
    raise SystemExit(1 if failed else 0)
