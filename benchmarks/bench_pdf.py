"""PDF render time of a briefing next to a bare WeasyPrint call on the same HTML, side by side.

    .venv/bin/python benchmarks/bench_pdf.py [--report escalation-brief] [--rounds 5] [-C DIR]

The HTML is the briefing made for print (print stylesheet, analysis and charts included),
rendered once. "bare" is
`weasyprint.HTML(string=html).write_pdf()` with no options and the default URL fetcher;
"reportgen" is `html_to_pdf` with the report's settings: the locked URL fetcher, PDF/UA
tagging (or the report's variant), metadata, captured warnings, and fewer garbage-collector
passes (`reportgen.make.tuning`). Three more rows show where the time goes: bare WeasyPrint with the
same variant (its tagging), the same again with reportgen's collector setting, and reportgen
untagged. All alternate, after one warm-up each, so they see the same machine load, each from a
freshly collected heap; the best of each is kept, in wall-clock and in process CPU time (the steadier of
the two on a shared machine). Target: reportgen <= 1.15x bare.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from reportgen.make.tuning import collect_less
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.pdf import (
    VARIANTS,
    asset_roots,
    html_to_pdf,
    pdf_info,
    print_html,
    project_templates,
)

TARGET = 1.15


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one call, from a collected heap."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def as_reportgen_runs(function: Callable[[], object]) -> object:
    """`function` with the collector setting every reportgen process starts with (it is the
    process's, so the benchmark sets it around the call and puts back what was there)."""
    saved = gc.get_threshold()
    collect_less()
    try:
        return function()
    finally:
        gc.set_threshold(*saved)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="escalation-brief")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-C", "--project", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()

    project = open_project(args.project)
    report = project.config.report(args.report)
    briefing = make_briefing(project, report)
    html = print_html(briefing)
    info, roots = pdf_info(project, report), asset_roots(project, report)
    base = project_templates(project)
    runs: dict[str, Callable[[], object]] = {
        "bare": lambda: weasyprint.HTML(string=html).write_pdf(),
        "reportgen": lambda: as_reportgen_runs(lambda: html_to_pdf(html, info=info, base=base, roots=roots,
                                                                   variant=report.pdf.variant)),
        # Where the time goes: WeasyPrint's own tagging, the collector, and reportgen untagged.
        f"bare, {report.pdf.variant}": lambda: weasyprint.HTML(string=html).write_pdf(
            pdf_variant=VARIANTS[report.pdf.variant]),
        f"bare, {report.pdf.variant}, fewer gc": lambda: as_reportgen_runs(
            lambda: weasyprint.HTML(string=html).write_pdf(pdf_variant=VARIANTS[report.pdf.variant])),
        "reportgen, none": lambda: as_reportgen_runs(lambda: html_to_pdf(html, info=info, base=base,
                                                                         roots=roots, variant="none")),
    }
    for run in runs.values():
        run()  # warm-up: fontconfig, font files, imports
    best = {name: [float("inf"), float("inf")] for name in runs}
    for _ in range(args.rounds):
        for name, run in runs.items():
            wall, cpu = timed(run)
            best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]

    pages = len(weasyprint.HTML(string=html).render().pages)
    print(f"{report.id}: {len(html):,} characters of HTML, {pages} pages, variant {report.pdf.variant}; "
          f"best of {args.rounds}, {platform.machine()}, CPython {platform.python_version()}, "
          f"WeasyPrint {weasyprint.__version__}")
    print(f"{'':24} {'wall':>8} {'cpu':>8}")
    for name, (wall, cpu) in best.items():
        ratio = f"{wall / best['bare'][0]:.2f}x / {cpu / best['bare'][1]:.2f}x"
        print(f"{name:24} {wall:7.2f}s {cpu:7.2f}s   {ratio}")
    worst = max(best["reportgen"][0] / best["bare"][0], best["reportgen"][1] / best["bare"][1])
    print(f"target <= {TARGET:.2f}x: {'met' if worst <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
