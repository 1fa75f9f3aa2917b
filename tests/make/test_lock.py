"""One build of a project at a time: a second waits and says so, or with --no-wait fails at
once; real processes, a real lock."""

from __future__ import annotations

import json
import os
import time

import pytest

from reportgen.make import build
from reportgen.make.lock import build_lock
from reportgen.make.state import STATE_FILE
from tests.support.builds import ALL, cli, outputs, rebuilt, start


def test_no_wait_fails_at_once_while_another_build_runs(synthetic_project):
    with build_lock(synthetic_project / "build"):
        done = cli(synthetic_project, "build", "--no-wait")
    assert done.returncode == 1
    assert (f"{synthetic_project / 'build' / '.reportgen.lock'}: error: another build is running in "
            f"this project (pid {os.getpid()}) (wait for it to finish, or build without --no-wait)"
            ) in done.stderr
    assert "nothing was built" in done.stderr
    assert not (synthetic_project / "build" / STATE_FILE).exists()


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
