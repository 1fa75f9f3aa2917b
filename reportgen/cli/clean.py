"""`reportgen clean`: remove the built outputs and the build state."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.cli.options import project_dir
from reportgen.make import clean


@click.command("clean")
@project_dir
@click.option("--archive", is_flag=True,
              help="Remove the archive of issues built (build/REPORT/archive/) too.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing.")
def command(root: Path, archive: bool, quiet: bool) -> None:
    """Remove every built output and the build state (waits for a running build).

    Mail send logs and issue manifests in build/ are kept, and so is each report's archive of
    the issues built, unless --archive.

    \b
    Examples:
      reportgen clean
      reportgen clean --archive -C my-desk
    """
    removed = clean(root, reporter=None, archive=archive)
    if not quiet:
        for path in removed:
            click.echo(f"removed {path}")
        click.echo(f"removed {len(removed)} file{'s' * (len(removed) != 1)}")
