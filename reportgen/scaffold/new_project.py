"""`reportgen init`: a new project that passes `reportgen check` and builds straight away.

Its example incident and actor are invented (an attack on a made-up station in Antarctica) so
nobody mistakes them for reporting; the files say to delete them.
"""

from __future__ import annotations

from pathlib import Path

from reportgen.layout import ACTORS_DIR, CONFIG_FILE, INCIDENTS_DIR, SOURCES_FILE
from reportgen.model.json_schema import write_schemas
from reportgen.scaffold.files import refuse_existing, render
from reportgen.scaffold.records import SCHEMAS_DIR
from reportgen.write.atomic import write_new

EXAMPLE_INCIDENT = "2024-01-15-fictional-drone-strike-on-example-station"
# template under templates/project/ -> file in the new project
SKELETON = {
    "reportgen.yaml.j2": CONFIG_FILE,
    "sources.yaml": SOURCES_FILE,
    "example-incident.yaml": f"{INCIDENTS_DIR}/2024/{EXAMPLE_INCIDENT}.yaml",
    "example-actor.yaml": f"{ACTORS_DIR}/example-brigade.yaml",
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
}


def init_project(root: Path, title: str = "Example briefing",
                 desk: str = "Example Desk (replace with yours)") -> list[Path]:
    """Write the skeleton into `root` (created if needed); refuses if any file exists."""
    targets = {template: root / relative for template, relative in SKELETON.items()}
    schemas = root / SCHEMAS_DIR
    refuse_existing(root, [*targets.values(), schemas])
    for template, path in targets.items():
        write_new(path, render(f"project/{template}", title=title, desk=desk))
    return [*targets.values(), *write_schemas(schemas)]
