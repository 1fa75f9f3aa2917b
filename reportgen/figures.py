"""Casualty figures as ranges: each source's figure is kept, the range only spans them.

Sources are never merged into one number. The range of an incident is the lowest low and the
highest high over its sources; a vague word maps to the low/high ACLED would code
(`VAGUE_FIGURES`), and `{min: 3}` ("at least 3") leaves the high open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model.incident import CasualtyReport, FigureRange
from .model.vocabulary import VAGUE_FIGURES

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


def bounds(figure: Figure) -> Range:
    """What one reported figure allows: 3 -> 3..3, 'several' -> 3..10, {min: 3} -> 3..open."""
    if isinstance(figure, FigureRange):
        return Range(figure.min or 0, figure.max)
    if isinstance(figure, str):
        low, high = VAGUE_FIGURES[figure]
        return Range(low, high)
    return Range(figure, figure)


def span(figures: Iterable[Figure]) -> Range | None:
    """The range over several sources' figures: min of lows, max of highs; None without any."""
    ranges = [bounds(f) for f in figures]
    if not ranges:
        return None
    highs = [r.high for r in ranges]
    high = None if None in highs else max(h for h in highs if h is not None)
    return Range(min(r.low for r in ranges), high)


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
