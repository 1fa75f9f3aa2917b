"""Execute render jobs: inline when there is one job (or `-j1`), otherwise in a pool of separate
processes.

The pool uses the forkserver start method: workers fork from a clean server process that has
imported the renderer once, so nothing of the parent's threads or locks is inherited and a worker
starts in milliseconds. It is started *before* the project is loaded (`Workers.start`), so the
server's imports (about 1.5 s) overlap with the planning process's loading and validation.

Jobs are started largest first, at most one per worker at a time; each finished job is handed to
`finished` at once, so the caller can record it before the next one ends. Without `keep_going`,
the first failure stops new jobs from starting; running ones finish.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TYPE_CHECKING

from reportgen.make.jobs import Job, Outcome, PackedJob, Plan
from reportgen.make.targets import Failure
from reportgen.make.tuning import collect_less
from reportgen.processes import worker_context

if TYPE_CHECKING:
    from pathlib import Path

    from reportgen.make.result import Options
    from reportgen.make.scan import Scan
    from reportgen.make.state import State

class Workers:
    """A pool of render processes, started ahead of need."""

    def __init__(self, count: int):
        self.count = count
        self.pool = ProcessPoolExecutor(max_workers=count, mp_context=worker_context(),
                                        initializer=_watch_parent)
        self.starter: threading.Thread | None = None

    @classmethod
    def start(cls, count: int) -> Workers:
        """Start `count` workers in the background: starting the forkserver waits for its
        imports, which must not hold up the caller."""
        workers = cls(count)
        workers.starter = threading.Thread(target=workers._warm, name="start-workers", daemon=True)
        workers.starter.start()
        return workers

    def _warm(self) -> None:
        with contextlib.suppress(RuntimeError, BrokenProcessPool):  # closed before it started
            for _ in range(self.count):
                self.pool.submit(os.getpid)

    def plan(self, root: Path, state: State, found: Scan, options: Options) -> Plan:
        """`plan.make_plan` in a process of its own, which exits afterwards: the loaded
        project never stays in this process, nor in a worker. A fresh interpreter (spawn), not
        a fork of the workers' server: it imports only the models (0.2 s) and starts loading
        at once, while the server is still importing the renderer (1.5 s)."""
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                 max_tasks_per_child=1) as planner:
            return planner.submit(_plan, root, state, found, options).result()

    def close(self) -> None:
        if self.starter is not None:
            self.starter.join()
        self.pool.shutdown(wait=True, cancel_futures=True)


def _plan(root: Path, state: State, found: Scan, options: Options) -> Plan:
    from reportgen.make.plan import make_plan  # in the planning process, which starts bare

    collect_less()
    return make_plan(root, state, found, options, pack=True)


def execute(jobs: list[Job] | list[PackedJob], workers: Workers | None, *, keep_going: bool,
            started: Callable, finished: Callable[[Outcome], None],
            made: Callable[[str, str], None] | None = None) -> None:
    """`Job`s run here, one after another; `PackedJob`s (planned for workers) in the workers.
    Takes the jobs out of `jobs`, so that each is freed once it has been handed over. `made`
    (for a progress bar) hears (report, format) as each output is rendered."""
    queue = sorted(jobs, key=lambda job: -job.weight)
    jobs.clear()
    if workers is None:
        from reportgen.make.worker import run_job

        for job in queue:
            started(job)
            outcome = run_job(job, None if made is None else partial(made, job.report))
            finished(outcome)
            if outcome.failed and not keep_going:
                return
        return
    with _news(made) as news:
        _execute_in_pool(queue, workers, keep_going, started, finished, news)


@contextlib.contextmanager
def _news(made: Callable[[str, str], None] | None):
    """A queue the workers put (report, format) on as they render, read here by a thread that
    hands each to `made`; None (and no manager process) when nobody listens."""
    if made is None:
        yield None
        return
    with worker_context().Manager() as manager:
        news = manager.Queue()

        def relay() -> None:
            while (item := news.get()) is not None:
                made(*item)

        reader = threading.Thread(target=relay, name="build-news", daemon=True)
        reader.start()
        try:
            yield news
        finally:
            news.put(None)
            reader.join()


def _execute_in_pool(queue: list[PackedJob], workers: Workers, keep_going: bool,
                     started: Callable, finished: Callable[[Outcome], None], news) -> None:
    running: dict[Future, Job] = {}
    stop = False
    while queue or running:
        while queue and not stop and len(running) < workers.count:
            job = queue.pop(0)
            started(job)
            running[workers.pool.submit(_run_packed, job, news)] = Job(None, job.report, job.formats)
        if not running:
            break
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            outcome = _outcome(future, running.pop(future))
            finished(outcome)
            stop = stop or (bool(outcome.failed) and not keep_going)


def _run_packed(job: PackedJob, news) -> Outcome:
    """In the worker. (Importing the worker module here, not in the build's process, keeps the
    renderer, the charts and matplotlib out of it.)"""
    from reportgen.make.worker import run_packed

    return run_packed(job, news)


def _outcome(future: Future, job: Job) -> Outcome:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        message = f"the worker process died ({exc})"
    except Exception as exc:  # noqa: BLE001 - e.g. a job that could not be sent to the worker
        message = f"{type(exc).__name__}: {exc}"
    return Outcome(job.report, failed=[Failure(target, message) for target in job.targets])


def _watch_parent() -> None:
    """Worker initializer: exit when the build is gone (killed with -9, say) instead of lingering.
    The worker's parent (the forkserver, which exits with the build) then changes. A half-written
    output is only ever a temporary file, swept by the next build."""
    collect_less()
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-build", daemon=True).start()
