"""The collector setting: raised once where a reportgen process starts, never lowered."""

from __future__ import annotations

import gc
import subprocess
import sys

from reportgen.make.tuning import YOUNG_THRESHOLD, collect_less


def test_raised_and_never_lowered():
    before = gc.get_threshold()
    try:
        collect_less()
        assert gc.get_threshold() == (max(YOUNG_THRESHOLD, before[0]), *before[1:])
        gc.set_threshold(YOUNG_THRESHOLD * 2, *before[1:])
        collect_less()
        assert gc.get_threshold()[0] == YOUNG_THRESHOLD * 2
    finally:
        gc.set_threshold(*before)


def test_every_kind_of_reportgen_process_sets_it():
    """The command line and the workers (which fork from the preloaded forkserver, and start in
    `_watch_parent`) each start by collecting less."""
    script = ("import gc, sys; from reportgen.cli import main; from reportgen.make import run, preload; "
              "from click.testing import CliRunner; before = gc.get_threshold()[0]; "
              "CliRunner().invoke(main, ['--version']); cli = gc.get_threshold()[0]; "
              "gc.set_threshold(700); run._watch_parent(); worker = gc.get_threshold()[0]; "
              "print(before, cli, worker)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, cli, worker = map(int, done.stdout.split())
    assert before == YOUNG_THRESHOLD  # importing preload (the forkserver's module) set it
    assert cli == worker == YOUNG_THRESHOLD
