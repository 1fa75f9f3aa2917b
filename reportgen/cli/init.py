"""`reportgen init DIR`: scaffold a new project that passes `reportgen check` at once."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.scaffold.new_project import init_project


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Example briefing", show_default=True, help="Project title.")
@click.option("--desk", default="Example Desk (replace with yours)", show_default=True,
              help="Issuing desk, shown on every briefing's cover.")
def command(directory: Path, title: str, desk: str) -> None:
    """Scaffold a new project in DIRECTORY (created if needed; nothing is overwritten).

    It gets reportgen.yaml with one report, sources.yaml, incidents/ and actors/ with one
    invented example each, schemas/ for editors, a .gitignore and a .pre-commit-config.yaml that
    runs `reportgen check` before each commit.

    \b
    Example:
      reportgen init my-desk && cd my-desk && reportgen check
    """
    written = init_project(directory, title=title, desk=desk)
    for path in written:
        click.echo(f"wrote {path.relative_to(directory).as_posix()}")
    click.echo(f"next: cd {directory} && reportgen check")
