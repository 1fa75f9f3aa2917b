"""Find a project's files and parse each one; no meaning is checked here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.layout import ACTORS_DIR, CONFIG_FILE, INCIDENTS_DIR, SOURCES_FILE, TALLIES_FILE, record_files
from reportgen.load.yaml_loader import Document, load_yaml
from reportgen.problems import Problem, error, warning


@dataclass
class RawProject:
    root: Path
    config: Document | None = None
    sources: Document | None = None
    tallies: Document | None = None
    incidents: list[Document] = field(default_factory=list)
    actors: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_project(root: Path) -> RawProject:
    """Parse reportgen.yaml, sources.yaml, tallies.yaml, incidents/**/*.yaml and actors/**/*.yaml."""
    raw = RawProject(root=root)
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        raw.problems.append(error(CONFIG_FILE, 1, 1, f"no {CONFIG_FILE} in {root}",
                                  "run reportgen in the project folder or pass -C DIR"))
    else:
        raw.config = _read(root, config_path, raw.problems)
    if (root / SOURCES_FILE).is_file():
        raw.sources = _read(root, root / SOURCES_FILE, raw.problems)
    if (root / TALLIES_FILE).is_file():
        raw.tallies = _read(root, root / TALLIES_FILE, raw.problems)
    raw.incidents = _read_folder(root, INCIDENTS_DIR, raw.problems)
    raw.actors = _read_folder(root, ACTORS_DIR, raw.problems)
    return raw


def _read_folder(root: Path, folder: str, problems: list[Problem]) -> list[Document]:
    paths, skipped = record_files(root, folder)
    problems.extend(warning(item.path, 0, 0, f"not read: the file {item.reason}", item.hint)
                    for item in skipped)
    documents = []
    for relative, _ in sorted(paths):
        document = _read(root, root / relative, problems)
        if document is not None:
            documents.append(document)
    return documents


def _read(root: Path, path: Path, problems: list[Problem]) -> Document | None:
    document, found = load_yaml(path, path.relative_to(root).as_posix())
    problems.extend(found)
    return document
