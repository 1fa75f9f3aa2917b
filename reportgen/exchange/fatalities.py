"""Fatalities as a low-high range over the per-source figures, the way ACLED-like tables want them.

Each source's figure gives a low and a high: an exact number is both; "at least 3" is 3 and 3
(nobody reported more); a range is its ends; a vague word is ACLED's coding ("several" is 3).
One source's reports about different groups (`who`) add up; a second report of the same source
about the same group replaces the first. The range runs from the lowest source's low to the
highest source's high. No figure at all gives (None, None), not zero.
"""

from __future__ import annotations

from ..model import FigureRange, Incident
from ..model.vocabulary import VAGUE_FIGURES


def figure_bounds(figure: int | str | FigureRange) -> tuple[int, int]:
    if isinstance(figure, int):
        return figure, figure
    if isinstance(figure, FigureRange):
        low = figure.min if figure.min is not None else 0
        return low, figure.max if figure.max is not None else low
    low = VAGUE_FIGURES[figure][0]
    return low, low


def fatality_range(incident: Incident) -> tuple[int | None, int | None]:
    per_group = {(r.according_to, r.who): figure_bounds(r.killed)
                 for r in incident.casualties if r.killed is not None}
    per_source: dict[str, tuple[int, int]] = {}
    for (source, _who), (low, high) in per_group.items():
        previous = per_source.get(source, (0, 0))
        per_source[source] = (previous[0] + low, previous[1] + high)
    if not per_source:
        return None, None
    return min(low for low, _ in per_source.values()), max(high for _, high in per_source.values())
