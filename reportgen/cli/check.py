"""`reportgen check`: load and validate the project, list every problem."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from reportgen.cli.options import project_dir
from reportgen.cli.output import print_text, to_json
from reportgen.pipeline import open_project


@click.command("check")
@project_dir
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Human-readable lines or JSON for tools.")
@click.option("--strict", is_flag=True, help="A draft's errors are errors too (by default they "
              "are warnings and the draft is left out).")
def command(root: Path, output: str, strict: bool) -> None:
    """Validate incidents, actors, sources, reportgen.yaml and the project's templates.

    \b
    Example:
      reportgen check -C my-desk --format json
    """
    project = open_project(root, strict_drafts=strict)
    if output == "json":
        click.echo(to_json(project.problems, project.summary()))
    else:
        print_text(project.problems, project.summary(), Console(highlight=False))
    raise SystemExit(1 if project.errors else 0)
