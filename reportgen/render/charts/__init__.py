"""SVG charts of an analysis, each with an alt text that says what it shows. A chart is one
module here with a `draw(analysis) -> list[Chart]` function, and one line in `CHARTS`, in the
order a briefing shows them: the tempo (`tempo`), the swimlane chronology (`swimlane`), the map
(`map`, a package of its own: at the page's width and at a phone's), an activity sparkline per
actor (`sparkline`). What they share (style, palette, the `Chart` and its SVG) is in `common`.

Sides differ by hatching and lightness, rungs by marker shape and a shade that darkens with the
rung, so every chart reads in greyscale; text is sized from the figure's width, so it stays
legible when the SVG is scaled down to a phone's width. Month names are English regardless of
the locale.
"""

from __future__ import annotations

import importlib

from reportgen.analyse import EscalationAnalysis
from reportgen.render.charts.common import STYLE, Chart, forget_written, side_styles

CHARTS = ("tempo", "swimlane", "map", "sparkline")
"""The chart modules under `reportgen.render.charts`, in the order a briefing shows them."""

__all__ = ["CHARTS", "STYLE", "Chart", "briefing_charts", "forget_written", "side_styles"]


def briefing_charts(analysis: EscalationAnalysis) -> list[Chart]:
    """Every chart of the briefing, each module's in `CHARTS` order; none for a briefing with no
    incidents (its marking may withhold every one), which has nothing to plot."""
    if not analysis.incidents:
        return []
    return [chart for name in CHARTS
            for chart in importlib.import_module(f"{__name__}.{name}").draw(analysis)]
