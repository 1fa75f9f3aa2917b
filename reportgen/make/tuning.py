"""Fewer garbage-collector passes while a stage builds a large, long-lived heap.

Laying out a briefing (WeasyPrint's boxes), validating a corpus (the models) or rendering a
report (its analysis) allocates millions of objects that all stay alive until the stage ends.
CPython starts a young collection every 700 net allocations and, as the heap grows, full
collections that walk all of it: about an eighth of the example briefing's PDF render time (15 s
of 93 s for a 1,500-incident PDF), a sixth of loading 10,000 incidents, a tenth of rendering a
report of 4,666 of them. Collecting less often inside those stages finds the same garbage later;
peak memory stayed the same for the PDFs and grew by 17 MB (to 195 MB) for a worker rendering
10,000 incidents (`benchmarks/bench_pdf.py` and `bench_build.py` show the effects).

The threshold is process-wide, so nested and concurrent stages (threads) count who is inside:
the first to enter raises it, the last to leave restores what it was.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 100_000
"""Net allocations between young collections inside a stage (CPython's default: 700)."""

_lock = threading.Lock()
_inside = 0
_saved: tuple[int, ...] = ()


@contextmanager
def fewer_collections() -> Iterator[None]:
    global _inside, _saved
    with _lock:
        if _inside == 0:
            _saved = gc.get_threshold()
            gc.set_threshold(max(YOUNG_THRESHOLD, _saved[0]), *_saved[1:])
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                gc.set_threshold(*_saved)
