"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

project_dir = click.option(
    "-C", "--directory", "root", type=click.Path(file_okay=False, path_type=Path),
    default=Path("."), show_default=True, help="Project folder (holding reportgen.yaml).",
)
