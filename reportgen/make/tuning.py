"""Fewer garbage-collector passes, set once at the start of every reportgen process.

Every stage of a build makes a large heap that stays alive until the stage ends: validating a
corpus (the models), rendering a report (its analysis), laying out a PDF (WeasyPrint's boxes).
CPython starts a young collection every 700 net allocations and, as the heap grows, full
collections that walk all of it: about an eighth of the example briefing's PDF render time (15 s
of 93 s for a 1,500-incident PDF), a sixth of loading 10,000 incidents, a tenth of rendering a
report of 4,666 of them. Collecting less often finds the same garbage later; peak memory stayed
the same for the PDFs and grew by 17 MB (to 195 MB) for a worker rendering 10,000 incidents
(`benchmarks/bench_pdf.py` and `bench_build.py` show the effects).

The threshold belongs to the process, so it is set where a process starts and nowhere else: the
command line (`reportgen.cli`), the build's planning process and its workers (`make.run`,
`make.preload`). A program using reportgen as a library may call `collect_less()` itself.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 100_000
"""Net allocations between young collections (CPython's default: 700)."""


def collect_less() -> None:
    """Raise this process's young-generation threshold to YOUNG_THRESHOLD (never lower it)."""
    young, *older = gc.get_threshold()
    gc.set_threshold(max(YOUNG_THRESHOLD, young), *older)
