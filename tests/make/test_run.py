"""The build under concurrency and `kill -9`: real `reportgen build` processes, a real lock."""

from __future__ import annotations

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
from tests.support.builds import ALL, outputs, rebuilt, start
from tests.support.synthetic import write_corpus


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
