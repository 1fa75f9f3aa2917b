"""Render the scaffolding templates; refuse to start when any target exists already."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import jinja2
import yaml

from reportgen.problems import ReportgenError, error


def yaml_scalar(value: object) -> str:
    """A value as one YAML flow scalar, quoted only when YAML needs it."""
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000)
    return text.removesuffix("\n...\n").rstrip("\n")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reportgen.scaffold", "templates"),
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False,
    )
    env.filters["yaml"] = yaml_scalar
    return env


def render(template: str, **context: object) -> str:
    return _environment().get_template(template).render(**context)


def schema_comment_path(schemas: Path, name: str, file: Path) -> str:
    """The `$schema=` path of a record file, relative to the file as editors resolve it."""
    return Path(os.path.relpath(schemas / f"{name}.schema.json", file.parent)).as_posix()


def refuse_existing(root: Path, paths: list[Path]) -> None:
    """Stop before writing anything when any target exists: scaffolding never overwrites."""
    existing = [p for p in paths if p.exists()]
    if existing:
        raise ReportgenError([
            error(p.relative_to(root).as_posix() if p.is_relative_to(root) else str(p), 1, 1,
                  "file exists already; reportgen never overwrites it",
                  "choose another title, name or --id, or remove the file")
            for p in existing
        ])
