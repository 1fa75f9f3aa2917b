"""SVG charts of an analysis, each with an alt text that says what it shows. A chart is one
module here with a `draw(analysis) -> list[Chart]` function, and one line in `CHARTS` (with the
fields of the analysis it reads), in the order a briefing shows them: the tempo (`tempo`), the
swimlane chronology (`swimlane`), the map (`map`, a package of its own: at the page's width and
at a phone's), an activity sparkline per actor (`sparkline`). What they share (style, palette,
the writing of an SVG) is in `common`; the `Chart` they become in `chart`; kept charts in
`cache`.

Sides differ by hatching and lightness, rungs by marker shape and a shade that darkens with the
rung, so every chart reads in greyscale; text is sized from the figure's width, so it stays
legible when the SVG is scaled down to a phone's width. Month names are English regardless of
the locale.
"""

from __future__ import annotations

import importlib
from concurrent.futures import Executor

from reportgen.analyse import EscalationAnalysis
from reportgen.render.charts import cache as kept
from reportgen.render.charts.chart import Chart

CHARTS: dict[str, tuple[str, ...]] = {
    "tempo": ("tempo", "ladder", "sides", "tallies", "turning_points", "actors"),
    "swimlane": ("incidents", "actors", "period", "rungs", "chains", "activity", "ladder", "sides"),
    "map": ("incidents", "actors", "sides", "tempo", "ladder"),
    "sparkline": ("activity", "tempo", "actors", "sides", "ladder"),
}
"""The chart modules under `reportgen.render.charts`, in the order a briefing shows them, each
with the fields of the analysis its charts are drawn from (the key they are kept under, see
`cache`; a test holds each list to what its `draw` reads)."""

__all__ = ["CHARTS", "STYLE", "Chart", "briefing_charts", "forget_written", "side_styles"]


def briefing_charts(analysis: EscalationAnalysis, cache=None,
                    pool: Executor | None = None) -> list[Chart]:
    """Every chart of the briefing, each module's in `CHARTS` order; none for a briefing with no
    incidents (its marking may withhold every one), which has nothing to plot. With a `cache`
    (`write.cache.FolderCache`), a module's charts are read back when what they are drawn from
    is unchanged, and kept when drawn. With a `pool` of processes, the modules to draw are
    drawn in them, all at once (the same bytes; never threads: matplotlib's settings belong to
    the process)."""
    if not analysis.incidents:
        return []
    seen: dict[str, object] = {}
    keys = {name: kept.chart_key(name, reads, analysis, seen) if cache is not None else None
            for name, reads in CHARTS.items()}
    found = {name: kept.read(cache, key) if key is not None else None for name, key in keys.items()}
    missing = [name for name, charts in found.items() if charts is None]
    if pool is not None and len(missing) > 1:
        running = {name: pool.submit(draw, name, analysis) for name in missing}
        found |= {name: future.result() for name, future in running.items()}
    else:
        found |= {name: draw(name, analysis) for name in missing}
    for name in missing:
        if keys[name] is not None:
            kept.keep(cache, keys[name], found[name])
    return [chart for charts in found.values() for chart in charts]


def draw(name: str, analysis: EscalationAnalysis) -> list[Chart]:
    """The charts of one module of `CHARTS`, drawn."""
    return importlib.import_module(f"{__name__}.{name}").draw(analysis)


def __getattr__(name: str) -> object:
    """What the charts share, imported (with matplotlib) only when asked for."""
    if name in ("STYLE", "forget_written", "side_styles"):
        return getattr(importlib.import_module(f"{__name__}.common"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
