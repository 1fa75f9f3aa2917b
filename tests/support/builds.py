"""Helpers for tests of the build: what it rebuilt and why, edits of a generated project,
the command line run for real."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from reportgen.make import build
from tests.support.synthetic import write_corpus

ALL = "synthetic-report-0", "synthetic-report-1"


def outputs(*reports: str, formats: tuple[str, ...] = ("md", "html")) -> set[str]:
    return {f"build/{r}/{r}.{fmt}" for r in reports for fmt in formats}


def rebuilt(result) -> set[str]:
    assert result.ok, [str(f) for f in result.failed] + [str(p) for p in result.problems]
    return {target.path for target in result.built}


def reasons(result) -> dict[str, list[str]]:
    return {item.target.path: [str(reason) for reason in item.reasons] for item in result.stale}


def incident(root: Path, index: int) -> Path:
    (path,) = root.glob(f"incidents/*/*-synthetic-{index}.yaml")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def cli(root: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportgen", *args, "-C", str(root)],
                          capture_output=True, text=True, timeout=120, **kwargs)


def start(root: Path, *args: str, stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reportgen", "build", *args, "-C", str(root)],
                            stdout=subprocess.PIPE, stderr=stderr, text=True, start_new_session=True)


def built_corpus(folder: Path, **corpus) -> Path:
    """A generated project in `folder`, built once (by default 4 incidents, 2 actors, Markdown)."""
    root = write_corpus(folder / "project", **{"incidents": 4, "actors": 2, "formats": ("md",), **corpus})
    result = build(root, jobs=1)
    assert result.ok, [str(f) for f in result.failed] + [str(p) for p in result.problems]
    return root


def copy_built(built: Path, tmp_path: Path) -> Path:
    """A copy of a built project (its links, sizes and mtimes as built: up to date) to change."""
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def edit_an_incident(root: Path) -> None:
    """Change an input, so that a build plans (and removes what the state says is stale)."""
    path = next(root.glob("incidents/*/*.yaml"))
    path.write_text(path.read_text().replace("title: ", "title: Edited ", 1))


IRAQI = "2021-01-03-synthetic-3"
"""Incident 3 of the generated project: in Iraq, linked to nothing, so outside the Syria
report's filters and every link of its incidents."""


def syria_outlook(root: Path) -> Path:
    """The generated project, its Syria report's outlook naming the Iraqi incident."""
    config = yaml.safe_load((root / "reportgen.yaml").read_text(encoding="utf-8"))
    report = config["reports"][1]
    report["outlook"] = [{"text": "Synthetic attacks spread across the border",
                          "time_frame": report["period"], "status": "observed",
                          "incidents": [IRAQI]}]
    (root / "reportgen.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root
