"""The collector setting of the big stages: raised inside, restored exactly, whoever leaves last."""

from __future__ import annotations

import gc
import threading

from reportgen.make.tuning import YOUNG_THRESHOLD, fewer_collections


def test_raised_inside_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(YOUNG_THRESHOLD, before[0])
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before


def test_restored_when_the_stage_fails():
    before = gc.get_threshold()
    try:
        with fewer_collections():
            raise ValueError("a failing render")
    except ValueError:
        pass
    assert gc.get_threshold() == before


def test_nested_and_overlapping_stages_restore_only_when_the_last_leaves():
    before = gc.get_threshold()
    inside, leave = threading.Event(), threading.Event()

    def other_stage():
        with fewer_collections():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_stage)
    with fewer_collections():
        thread.start()
        assert inside.wait(5)
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] >= YOUNG_THRESHOLD  # the inner one left, two still inside
    assert gc.get_threshold()[0] >= YOUNG_THRESHOLD  # the thread is still inside
    leave.set()
    thread.join(5)
    assert gc.get_threshold() == before
