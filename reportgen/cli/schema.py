"""`reportgen schema`: print (or write) the JSON Schema generated from the models."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.model.json_schema import SCHEMAS, schema_json, write_schemas


@click.command("schema")
@click.argument("name", type=click.Choice(sorted(SCHEMAS)), required=False)
@click.option("--write", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Write every schema into this folder (e.g. schemas/).")
def command(name: str | None, folder: Path | None) -> None:
    """Print the JSON Schema for incident, actor, config or sources files.

    \b
    Examples:
      reportgen schema incident
      reportgen schema --write schemas
    """
    if folder:
        for path in write_schemas(folder):
            click.echo(f"wrote {path}")
    elif name:
        click.echo(schema_json(name), nl=False)
    else:
        raise click.UsageError("name a schema or pass --write DIR")
