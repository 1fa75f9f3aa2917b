"""Execute render jobs: inline when there is one job or `-j1`, otherwise in a pool of separate
processes (forkserver: workers fork from a clean server that has imported the renderer once, so
starting one is cheap and nothing of the parent's threads or locks is inherited).

Jobs are started largest first, at most `workers` at a time; each finished job is handed to
`finished` at once, so the caller can record it before the next one ends. Without
`keep_going`, the first failure stops new jobs from starting; running ones finish.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from .worker import Failed, Job, Outcome, run_job

PRELOAD = ["reportgen.make.worker"]


def default_workers() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def execute(jobs: list[Job], workers: int, *, keep_going: bool,
            started: Callable[[Job], None], finished: Callable[[Outcome], None]) -> None:
    queue = sorted(jobs, key=lambda job: -job.weight)
    if workers <= 1 or len(queue) <= 1:
        for job in queue:
            started(job)
            outcome = run_job(job)
            finished(outcome)
            if outcome.failed and not keep_going:
                return
        return
    _execute_in_pool(queue, min(workers, len(queue)), keep_going, started, finished)


def _execute_in_pool(queue: list[Job], workers: int, keep_going: bool,
                     started: Callable[[Job], None], finished: Callable[[Outcome], None]) -> None:
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                               initializer=_watch_parent)
    running: dict[Future, Job] = {}
    stop = False
    try:
        while queue or running:
            while queue and not stop and len(running) < workers:
                job = queue.pop(0)
                started(job)
                running[pool.submit(run_job, job)] = job
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                outcome = _outcome(future, running.pop(future))
                finished(outcome)
                stop = stop or (bool(outcome.failed) and not keep_going)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _outcome(future: Future, job: Job) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        message = f"the worker process died ({exc})"
    except Exception as exc:  # noqa: BLE001 - e.g. a job that could not be sent to the worker
        message = f"{type(exc).__name__}: {exc}"
    return Outcome(job.report, failed=[Failed(target, message) for target in job.targets])


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def _watch_parent() -> None:
    """Worker initializer: exit when the build is gone (killed with -9, say) instead of lingering.
    The worker's parent (the forkserver, which exits with the build) then changes. A half-written
    output is only ever a temporary file, swept by the next build."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-build", daemon=True).start()
