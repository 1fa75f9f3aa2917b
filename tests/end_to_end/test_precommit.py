"""The pre-commit hook: its definition parses with pre-commit's own loader, and its entry runs."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pre_commit.clientlib import load_config, load_manifest

from reportgen.cli import main
from tests.conftest import REPO, require_tool

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def script(name: str) -> str:
    """A console script of this environment (the venv's bin folder first)."""
    candidate = Path(sys.executable).with_name(name)
    found = str(candidate) if candidate.exists() else shutil.which(name)
    assert found, f"{name} is not installed"
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "desk"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    return root


def the_hook() -> dict:
    (hook,) = load_manifest(str(MANIFEST))
    return hook


def test_manifest_defines_the_reportgen_check_hook():
    hook = the_hook()
    assert (hook["id"], hook["language"], hook["entry"]) == ("reportgen-check", "python",
                                                             "reportgen check --strict")
    assert hook["pass_filenames"] is False


@pytest.mark.parametrize(("path", "runs"), [
    ("incidents/2024/2024-02-07-baghdad.yaml", True), ("actors/kataib-hezbollah.yaml", True),
    ("sources.yaml", True), ("reportgen.yaml", True), ("README.md", False),
    ("templates/briefing.html.j2", False), ("docs/reportgen.yaml", False),
])
def test_hook_runs_for_corpus_files_only(path: str, runs: bool):
    assert bool(re.search(the_hook()["files"], path)) is runs


def test_hook_entry_passes_a_good_project_and_stops_a_bad_one(project: Path):
    command, *args = shlex.split(the_hook()["entry"])
    good = subprocess.run([script(command), *args], cwd=project, capture_output=True, text=True,
                          timeout=120, check=False)
    assert good.returncode == 0, good.stdout + good.stderr
    actor = project / "actors/example-brigade.yaml"
    actor.write_text(actor.read_text(encoding="utf-8").replace("kind: militia", "kind: militai"),
                     encoding="utf-8")
    bad = subprocess.run([script(command), *args], cwd=project, capture_output=True, text=True,
                         timeout=120, check=False)
    assert bad.returncode == 1
    assert "actors/example-brigade.yaml:6:1: error: 'militai' is not an allowed value" in bad.stdout


def test_init_config_uses_the_same_hook(project: Path):
    config = load_config(str(project / ".pre-commit-config.yaml"))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    manifest = the_hook()
    assert hook["id"] == manifest["id"] and hook["entry"] == manifest["entry"]
    assert hook["files"] == manifest["files"] and hook["pass_filenames"] is False


@pytest.mark.slow
def test_pre_commit_runs_the_hook_in_a_new_project(project: Path, tmp_path: Path):
    git = require_tool("git")
    env = {**os.environ, "PATH": f"{Path(script('reportgen')).parent}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"), "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}

    def pre_commit() -> subprocess.CompletedProcess:
        return subprocess.run([script("pre-commit"), "run", "--all-files"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    subprocess.run([git, "init", "-q"], cwd=project, env=env, check=True)
    subprocess.run([git, "add", "-A"], cwd=project, env=env, check=True)
    passed = pre_commit()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"reportgen check\.+Passed", passed.stdout)
    incident = next((project / "incidents").rglob("*.yaml"))
    incident.write_text(incident.read_text(encoding="utf-8").replace("grade: C3", "grade: Z9"),
                        encoding="utf-8")
    subprocess.run([git, "add", "-A"], cwd=project, env=env, check=True)
    failed = pre_commit()
    assert failed.returncode == 1
    assert "'Z9' is not an Admiralty grade" in failed.stdout
