"""How render processes start and how many this machine gives, for the build's pool
(`make.run.Workers`) and the PDF's (`worker_pool`, which the PDF engine's caller owns and hands
it).

The build bounds the total: a report rendered in a build worker gets its share of `-j N` for
the layout of its PDF (`make.plan`), so that N build workers never start N pools of N.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager

PRELOAD = ["reportgen.make.preload"]


def default_workers() -> int:
    """The cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def worker_context() -> multiprocessing.context.BaseContext:
    """How a render process starts: forked from a server that has imported the renderer."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def start_server() -> None:
    """Start the workers' server now, without waiting for it: its imports of the renderer
    (about 0.9 s) then overlap the caller's loading and validation, instead of holding up the
    first job of the first pool (a long report's charts and parts). Nothing when processes are
    spawned rather than forked from a server."""
    if worker_context().get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def layout_share(workers: int, reports: int) -> int:
    """The processes each report's PDF may lay its parts out in, when `reports` are rendered at
    once by at most `workers` build workers: together never more than `workers`."""
    return max(1, workers // max(1, min(workers, reports)))


class LazyPool(Executor):
    """A pool of `count` render processes started at the first job, not before: a short
    document, laid out whole, starts none. `release` lets them go between jobs (the next job
    starts them again, forked from the warm server)."""

    def __init__(self, count: int):
        self.count = count
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable, /, *args, **kwargs) -> Future:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.count, mp_context=worker_context())
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def release(self) -> None:
        """Stop the processes, idle once their jobs are done, until there is work again."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)


@contextmanager
def worker_pool(count: int) -> Iterator[LazyPool | None]:
    """Up to `count` processes for one PDF's parts, shut down after it; None for one."""
    if count <= 1:
        yield None
        return
    pool = LazyPool(count)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
