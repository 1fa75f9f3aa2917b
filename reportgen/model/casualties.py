"""Casualty figures as ranges: each source's figure is kept, the range only spans them.

Sources are never merged into one number. The range of an incident runs from the lowest to the
highest figure any source stated: "at least 3" counts as 3 (the source vouches for three, no
more), a vague word as ACLED codes it ("several" = 3, see `VAGUE_FIGURES`). Only when every
source gave just a floor is the range open ("at least 3"). So Sabereen News 2, US media "at
least 3" and Al Arabiya "several" read "2–3 killed", with each source's own words beside it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reportgen.model.incident import CasualtyReport, FigureRange
from reportgen.model.vocabulary import VAGUE_FIGURES

Figure = int | str | FigureRange


@dataclass(frozen=True, slots=True)
class Range:
    """low..high casualties; `high` is None when a source gave only a minimum."""

    low: int
    high: int | None

    def __add__(self, other: Range) -> Range:
        high = None if self.high is None or other.high is None else self.high + other.high
        return Range(self.low + other.low, high)

    def __str__(self) -> str:
        if self.high is None:
            return f"at least {self.low}"
        if self.low == self.high:
            return str(self.low)
        return f"{self.low}–{self.high}"


ZERO = Range(0, 0)


@dataclass(frozen=True, slots=True)
class Stated:
    """What one source's figure says: the least it vouches for, the most it states, and
    whether it gave only a floor ("at least 3", "several")."""

    low: int
    high: int
    floor_only: bool


def stated(figure: Figure) -> Stated:
    """3 -> 3..3; {min: 3} -> floor 3; {max: 5} -> 0..5; 'several' -> floor 3."""
    if isinstance(figure, FigureRange):
        if figure.max is None:
            return Stated(figure.min or 0, figure.min or 0, True)
        return Stated(figure.min or 0, figure.max, False)
    if isinstance(figure, str):
        count = VAGUE_FIGURES[figure]
        return Stated(count, count, True)
    return Stated(figure, figure, False)


def span(figures: Iterable[Figure]) -> Range | None:
    """Lowest to highest stated figure; open only when every source gave just a floor."""
    parts = [stated(f) for f in figures]
    if not parts:
        return None
    low = min(p.low for p in parts)
    if all(p.floor_only for p in parts):
        return Range(low, None)
    return Range(low, max(p.high for p in parts))


def figure_text(figure: Figure) -> str:
    """How one source's figure reads: '2', 'several', 'at least 3', 'up to 5', '2–3'."""
    if isinstance(figure, FigureRange):
        if figure.max is None:
            return f"at least {figure.min}"
        if figure.min is None:
            return f"up to {figure.max}"
        return str(Range(figure.min, figure.max))
    return str(figure)


def casualty_span(reports: Iterable[CasualtyReport], field: str) -> Range | None:
    """The range of `killed` or `injured` over every source that reported it."""
    return span(getattr(r, field) for r in reports if getattr(r, field) is not None)


def total(ranges: Iterable[Range | None]) -> Range:
    """Sum incident ranges (for an actor's totals); incidents without figures add nothing."""
    result = ZERO
    for item in ranges:
        if item is not None:
            result = result + item
    return result


@dataclass(frozen=True, slots=True)
class CasualtyLine:
    """'at least 2 killed' and what each source said; str() gives the one-line form."""

    total: str
    by_source: list[str]

    def __str__(self) -> str:
        return f"{self.total} ({'; '.join(self.by_source)})"


def casualty_line(reports: Iterable[CasualtyReport], field: str, verb: str) -> CasualtyLine | None:
    """The range of `field` over the sources that reported it, and each source's figure."""
    reports = [r for r in reports if getattr(r, field) is not None]
    figure_range = casualty_span(reports, field)
    if figure_range is None:
        return None
    return CasualtyLine(f"{figure_range} {verb}", [_attributed(r, getattr(r, field)) for r in reports])


def _attributed(report: CasualtyReport, figure: Figure) -> str:
    whose = f" ({report.who})" if report.who else ""
    return f"{report.according_to}: {figure_text(figure)}{whose}"
