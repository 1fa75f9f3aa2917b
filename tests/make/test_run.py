"""The build under concurrency and `kill -9`: real `reportgen build` processes, a real lock."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.make import build
from reportgen.make.lock import build_lock
from reportgen.make.state import STATE_FILE
from tests.make.test_rebuild import cli, outputs, rebuilt
from tests.support.synthetic import write_corpus

ALL = "synthetic-report-0", "synthetic-report-1"


def start(root: Path, *args: str, stderr=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reportgen", "build", *args, "-C", str(root)],
                            stdout=subprocess.PIPE, stderr=stderr, text=True, start_new_session=True)


def test_no_wait_fails_at_once_while_another_build_runs(synthetic_project):
    with build_lock(synthetic_project / "build"):
        done = cli(synthetic_project, "build", "--no-wait")
    assert done.returncode == 1
    assert (f"reportgen build: another build is running in this project (pid {os.getpid()}; lock "
            f"{synthetic_project / 'build' / '.reportgen.lock'}); not waiting (--no-wait)") in done.stderr
    assert not (synthetic_project / "build" / STATE_FILE).exists()


def test_a_script_without_a_main_guard_fails_instead_of_hanging(synthetic_project, tmp_path):
    """Worker processes import the script that started the build; one that calls build() at
    import would have each of them wait for the parent's lock for ever."""
    script = tmp_path / "unguarded.py"
    script.write_text(f"from reportgen.make import build\nbuild({str(synthetic_project)!r}, jobs=2)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    assert done.returncode != 0
    assert 'Put the call under `if __name__ == "__main__":`' in done.stderr


@pytest.mark.slow
def test_a_second_build_waits_for_the_first_and_says_so(synthetic_project, tmp_path):
    log = tmp_path / "stderr.txt"
    with build_lock(synthetic_project / "build"), log.open("w") as stderr:
        waiting = start(synthetic_project, "-j1", stderr=stderr)
        time.sleep(1.5)
        assert waiting.poll() is None
    assert waiting.wait(timeout=60) == 0
    assert log.read_text().startswith(
        f"waiting for another build of this project to finish (pid {os.getpid()})...")


@pytest.mark.slow
def test_two_concurrent_builds_do_not_corrupt_the_state(synthetic_project):
    builds = [start(synthetic_project, "--force", "-j1") for _ in range(2)]
    for process in builds:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    state = json.loads((synthetic_project / "build" / STATE_FILE).read_text())
    assert set(state["targets"]) == outputs(*ALL)
    again = build(synthetic_project, jobs=1)
    assert rebuilt(again) == set() and not again.loaded


@pytest.mark.slow
def test_kill_9_at_random_moments_leaves_old_or_new_outputs_and_the_next_build_finishes(tmp_path):
    """Alternate the project between two versions (the desk name, shown in every output); start a
    build and SIGKILL it at a random moment, again and again. Every output must always be one of
    the two complete versions; then one build finishes the job and the next has nothing to do."""
    root = write_corpus(tmp_path / "project", incidents=300, actors=12, reports=2)
    config = root / "reportgen.yaml"
    versions = [config.read_text(), config.read_text().replace("desk: Synthetic Desk", "desk: Desk B")]
    expected = [_outputs_of(tmp_path / f"reference-{i}", root, text) for i, text in enumerate(versions)]
    assert expected[0] != expected[1]
    config.write_text(versions[0])
    assert rebuilt(build(root, jobs=1)) == outputs(*ALL)
    rng = random.Random(6)
    for attempt in range(30):
        version = (attempt + 1) % 2
        config.write_text(versions[version])
        process = start(root, f"-j{1 + attempt % 2}")
        time.sleep(rng.uniform(0.2, 2.0))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        _no_process_left(process.pid)
        for path in outputs(*ALL):
            content = (root / path).read_bytes()
            assert content in (expected[0][path], expected[1][path]), f"{path} after kill {attempt}"
    final = build(root, jobs=2)
    assert final.ok
    assert {path: (root / path).read_bytes() for path in outputs(*ALL)} == expected[version]
    assert not list((root / "build").rglob("*.tmp"))
    assert rebuilt(build(root, jobs=1)) == set()


def _outputs_of(folder: Path, project: Path, config: str) -> dict[str, bytes]:
    """What a clean build of the project with this config writes."""
    shutil.copytree(project, folder, ignore=shutil.ignore_patterns("build"))
    (folder / "reportgen.yaml").write_text(config)
    assert rebuilt(build(folder, jobs=1)) == outputs(*ALL)
    return {path: (folder / path).read_bytes() for path in outputs(*ALL)}


def _no_process_left(group: int) -> None:
    """The build's workers and forkserver notice the build is gone and exit."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("processes of the killed build are still running")
