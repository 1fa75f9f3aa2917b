"""The front door for Python users: read and validate a project in one call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportgen.load.read import read_project
from reportgen.make.tuning import fewer_collections
from reportgen.model.project import Project
from reportgen.validate import validate_project


def open_project(root: str | Path = ".", today: dt.date | None = None) -> Project:
    """Load and validate the project at `root`. Problems are in `project.problems`."""
    with fewer_collections():  # every parsed file and model stays alive until the end
        return validate_project(read_project(Path(root).resolve()), today=today)
