"""Fatalities as a low-high range over the per-source figures, for ACLED-like columns.

The same reading as the briefings use: each source's figure allows a low and a high (an exact
number is both, a vague word is ACLED's coding, "several" 3-10, `{min: 3}` leaves the high
open); the range is the lowest low and the highest high over the sources, with no high when
any source gave only a minimum. No figure at all gives (None, None), not zero.
"""

from __future__ import annotations

from ..model import FigureRange, Incident
from ..model.vocabulary import VAGUE_FIGURES


def figure_bounds(figure: int | str | FigureRange) -> tuple[int, int | None]:
    if isinstance(figure, FigureRange):
        return figure.min or 0, figure.max
    if isinstance(figure, str):
        return VAGUE_FIGURES[figure]
    return figure, figure


def fatality_range(incident: Incident) -> tuple[int | None, int | None]:
    bounds = [figure_bounds(r.killed) for r in incident.casualties if r.killed is not None]
    if not bounds:
        return None, None
    highs = [high for _, high in bounds]
    return min(low for low, _ in bounds), None if None in highs else max(highs)
