"""Casualty figures as ranges across sources: reported per source, never merged into one number.

Each source's figure becomes bounds (low, high): an exact number N is (N, N), `{min: N}` is
(N, open), `{min, max}` is itself, and a vague word takes the bounds in
`reportgen.model.vocabulary.VAGUE_FIGURES` ("several" is 3-10). Across sources the incident's
range is the lowest low to the highest high; a high is open when any source gave no upper bound.

Thresholds ("at least one killed") use a different, stated reading: the largest low any source
gives, i.e. "some source reports at least N". A militia denying deaths does not erase a
CENTCOM figure, and no figure is invented between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model.incident import FigureRange, Incident
from ..model.vocabulary import VAGUE_FIGURES

Kind = Literal["killed", "injured"]


@dataclass(frozen=True, slots=True)
class CasualtyRange:
    """Low-high range; `high` None means no source set an upper bound. `reported` drives rules."""

    low: int = 0
    high: int | None = 0
    reported: int = 0
    sources: int = 0

    def __str__(self) -> str:
        if self.high is None:
            return f"at least {self.low}"
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"

    def __add__(self, other: CasualtyRange) -> CasualtyRange:
        high = None if self.high is None or other.high is None else self.high + other.high
        return CasualtyRange(self.low + other.low, high, self.reported + other.reported,
                             self.sources + other.sources)

    @property
    def known(self) -> bool:
        """True when at least one source gave a figure."""
        return self.sources > 0


NONE_REPORTED = CasualtyRange()


def figure_bounds(figure: int | str | FigureRange) -> tuple[int, int | None]:
    """One source's figure as (low, high); high None is open-ended."""
    if isinstance(figure, FigureRange):
        return (figure.min or 0, figure.max)
    if isinstance(figure, str):
        return VAGUE_FIGURES[figure]
    return (figure, figure)


def casualty_range(incident: Incident, kind: Kind) -> CasualtyRange:
    """The range of `kind` (killed or injured) over every source that reported it."""
    bounds = [figure_bounds(f) for f in (getattr(r, kind) for r in incident.casualties)
              if f is not None]
    if not bounds:
        return NONE_REPORTED
    highs = [high for _, high in bounds]
    return CasualtyRange(
        low=min(low for low, _ in bounds),
        high=None if None in highs else max(highs),
        reported=max(low for low, _ in bounds),
        sources=len(bounds),
    )


def total(ranges) -> CasualtyRange:
    """Sum of ranges (lows add up, highs add up; one open high makes the sum open)."""
    result = NONE_REPORTED
    for item in ranges:
        result = result + item
    return result
