"""`reportgen new`: a blank incident or actor file in the right folder with a valid id.

The file carries the schema line for editors and leaves the required fields empty, so
`reportgen check` (and the pre-commit hook) point at every field still to fill in. New incidents
start as drafts, which no briefing includes until a curator sets `status: published`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from reportgen.layout import ACTORS_DIR, CONFIG_FILE, INCIDENTS_DIR
from reportgen.model.common import SLUG_PATTERN
from reportgen.model.ids import incident_id, slugify
from reportgen.problems import ReportgenError, error
from reportgen.scaffold.files import refuse_existing, render, schema_comment_path
from reportgen.write.atomic import write_new

SCHEMAS_DIR = "schemas"


def new_incident(root: Path, day: dt.date, title: str | None = None,
                 record_id: str | None = None) -> Path:
    """Write incidents/<year>/<id>.yaml; the id is the date plus the title's words."""
    _require_project(root)
    record_id = record_id or incident_id(day, title or "new incident")
    path = root / _checked(f"{INCIDENTS_DIR}/{day.year}", record_id)
    refuse_existing(root, [path])
    write_new(path, render("incident.yaml.j2", id=record_id, title=title, date=day.isoformat(),
                           schema=schema_comment_path(root / SCHEMAS_DIR, "incident", path)))
    return path


def new_actor(root: Path, name: str, kind: str | None = None, record_id: str | None = None) -> Path:
    """Write actors/<id>.yaml; the id is the name transliterated to ASCII."""
    _require_project(root)
    record_id = record_id or slugify(name)
    if not record_id:
        raise ReportgenError([error(ACTORS_DIR, 1, 1, f"cannot make an id from the name '{name}'",
                                    "give a Latin-script id with --id, e.g. --id kataib-hezbollah")])
    path = root / _checked(ACTORS_DIR, record_id)
    refuse_existing(root, [path])
    write_new(path, render("actor.yaml.j2", id=record_id, name=name, kind=kind,
                           schema=schema_comment_path(root / SCHEMAS_DIR, "actor", path)))
    return path


def _require_project(root: Path) -> None:
    """Records belong in a project: refuse rather than scatter folders in the wrong place."""
    if not (root / CONFIG_FILE).is_file():
        raise ReportgenError([error(CONFIG_FILE, 1, 1, f"no {CONFIG_FILE} in {root}",
                                    "run reportgen in the project folder, pass -C DIR, "
                                    "or start one with `reportgen init DIR`")])


def _checked(folder: str, record_id: str) -> str:
    """The record's path inside the project, once the id is known to be a valid slug."""
    relative = f"{folder}/{record_id}.yaml"
    if not re.fullmatch(SLUG_PATTERN, record_id):
        raise ReportgenError([error(relative, 1, 1, f"'{record_id}' is not a valid id",
                                    "use lower-case letters, digits and hyphens")])
    return relative
