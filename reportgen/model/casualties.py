"""Casualty figures as ranges a careful analyst would sign: per party, per source's latest word.

Each source's figure is kept as it was given. The figures reportgen derives from them follow
three rules, stated once here (`COUNTING_RULE` is the text every explanation prints):

- **Parties are never added together.** A figure counts the dead or injured of one party (an
  actor, civilians, security forces, or unknown: `CasualtyReport.party`); a range is made from the
  figures about one party only, and totals add one party's ranges.
- **A revised figure replaces the one it revises** (`revises:`): the earlier one is history
  ("revised from 25"), never part of a range.
- **No range a source did not give.** When the sources agree (a floor, "at least 3", agrees with
  5), the range is what they agree on; when they disagree, it runs from the lowest figure to the
  highest, and a floor stays a floor: 2 and "at least 3" read "2 to at least 3". A vague word
  counts as its floor (`VAGUE_FIGURES`), which agrees with any number at or above it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import reduce

from reportgen.model.incident import CasualtyReport, FigureRange
from reportgen.model.vocabulary import ACLED_CODED, VAGUE_FIGURES, VAGUE_SOURCE

Figure = int | str | FigureRange
UNKNOWN = "unknown"
"""The party of a figure that names none, or mixes parties."""


def _vague_words(words: Iterable[str]) -> str:
    return ", ".join(f"“{word}” {VAGUE_FIGURES[word]}" for word in words)


COUNTING_RULE = (
    "Casualty figures are kept as each source gave them, for the party whose dead or injured "
    "they count, and figures of different parties are never added together. A revised figure "
    "replaces the one it revises, which is shown as history. Where the sources agree, the "
    "figure shown is what they agree on; where they disagree, it runs from the lowest figure "
    "any source gave to the highest, and “at least” stays “at least”. A vague word counts as "
    "the least it can mean: "
    f"{_vague_words(ACLED_CODED)} as ACLED codes them ({VAGUE_SOURCE}); "
    f"{_vague_words(w for w in VAGUE_FIGURES if w not in ACLED_CODED)} by this briefing's own rule."
)
"""How figures are counted, in the reader's words: the briefings' method section prints it, and
the README and incidents/README.md hold it verbatim (a test compares them)."""


@dataclass(frozen=True, slots=True)
class Range:
    """`low` to `high` casualties; a `_floor` end reads "at least" (a source gave only a floor)."""

    low: int
    high: int
    low_floor: bool = False
    high_floor: bool = False

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.high + other.high,
                     self.low_floor or other.low_floor, self.high_floor or other.high_floor)

    def __str__(self) -> str:
        if self.low == self.high:
            return f"at least {self.low}" if self.low_floor or self.high_floor else str(self.low)
        if not (self.low_floor or self.high_floor):
            return f"{self.low}–{self.high}"
        return f"{_end(self.low, self.low_floor)} to {_end(self.high, self.high_floor)}"


def _end(number: int, floor: bool) -> str:
    return f"at least {number}" if floor else str(number)


ZERO = Range(0, 0)


@dataclass(frozen=True, slots=True)
class Stated:
    """What one source's figure says: at least `low`, at most `high` (None: no upper bound)."""

    low: int
    high: int | None


def stated(figure: Figure) -> Stated:
    """3 -> 3..3; {min: 3} -> 3..; {max: 5} -> 0..5; 'several' -> 3.. (its floor)."""
    if isinstance(figure, FigureRange):
        return Stated(figure.min or 0, figure.max)
    if isinstance(figure, str):
        return Stated(VAGUE_FIGURES[figure], None)
    return Stated(figure, figure)


def span(figures: Iterable[Figure]) -> Range | None:
    """The range the figures (about one party) support; None without a figure."""
    parts = [stated(f) for f in figures]
    if not parts:
        return None
    lowest_top = min((p.high for p in parts if p.high is not None), default=None)
    agreed_low = max(p.low for p in parts)
    if lowest_top is None:
        return Range(agreed_low, agreed_low, True, True)
    if agreed_low <= lowest_top:
        return Range(agreed_low, lowest_top)
    bounded = [p for p in parts if p.high is not None]
    low = min(p.low for p in bounded)
    top = max(bounded, key=lambda p: p.high).high
    floors = [p.low for p in parts if p.high is None and p.low > top]
    return Range(low, max(floors), False, True) if floors else Range(low, top)


def figure_text(figure: Figure) -> str:
    """How one source's figure reads: '2', 'several', 'at least 3', 'up to 5', '2–3'."""
    if isinstance(figure, FigureRange):
        if figure.max is None:
            return f"at least {figure.min}"
        if figure.min is None:
            return f"up to {figure.max}"
        return str(Range(figure.min, figure.max))
    return str(figure)


@dataclass(frozen=True, slots=True)
class Current:
    """A source's figure that no later one revises, and the figures it revised, oldest first."""

    report: CasualtyReport
    figure: Figure
    history: tuple[tuple[CasualtyReport, Figure], ...] = ()


def current(reports: Iterable[CasualtyReport], field: str) -> list[Current]:
    """The figures of `field` (killed or injured) still standing: a figure that a later one
    revises with a figure of the same field is history of the later one. (The validator makes
    sure `revises` names an earlier figure, so a chain always ends.)"""
    reports = list(reports)
    by_id = {r.id: r for r in reports if r.id}
    revised = {r.revises for r in reports if r.revises and getattr(r, field) is not None}
    standing = []
    for report in reports:
        figure = getattr(report, field)
        if figure is None or (report.id and report.id in revised):
            continue
        standing.append(Current(report, figure, tuple(_history(report, by_id, field))))
    return standing


def _history(report: CasualtyReport, by_id: Mapping[str, CasualtyReport],
             field: str) -> list[tuple[CasualtyReport, Figure]]:
    found: list[tuple[CasualtyReport, Figure]] = []
    seen = {report.id}
    earlier = by_id.get(report.revises) if report.revises else None
    while earlier is not None and earlier.id not in seen:
        seen.add(earlier.id)
        if getattr(earlier, field) is not None:
            found.insert(0, (earlier, getattr(earlier, field)))
        earlier = by_id.get(earlier.revises) if earlier.revises else None
    return found


def party_of(report: CasualtyReport) -> str:
    return report.party or UNKNOWN


def by_party(reports: Iterable[CasualtyReport], field: str) -> dict[str, Range]:
    """One range per party, from the standing figures about that party alone."""
    grouped: dict[str, list[Figure]] = {}
    for item in current(reports, field):
        grouped.setdefault(party_of(item.report), []).append(item.figure)
    return {party: span(figures) for party, figures in grouped.items()}


def event_total(reports: Iterable[CasualtyReport], field: str) -> Range | None:
    """An incident's figure over every party, for ACLED's `fatalities` column, which counts an
    event's dead whoever they were (ACLED does not code them by group): the named parties'
    ranges added (they are different people), and figures of no stated party never added to
    them, since they may count the same dead; the wider of the two readings. None without a
    figure."""
    parties = by_party(reports, field)
    unknown = parties.pop(UNKNOWN, None)
    named = reduce(operator.add, parties.values()) if parties else None
    if named is None or unknown is None:
        return named or unknown
    low = max((named, unknown), key=lambda r: r.low)
    high = max((named, unknown), key=lambda r: (r.high, r.high_floor))
    return Range(low.low, high.high, low.low_floor, high.high_floor)


def party_totals(incidents: Iterable, field: str,
                 group: Callable[[str], str] = lambda party: party) -> dict[str, Range]:
    """Each group's total over the incidents: one party's ranges added, never two parties'.
    `group` maps a party to what the figures are shown by (its side, say); parties that map to
    one group are one party to that reader."""
    totals: dict[str, Range] = {}
    for incident in incidents:
        for party, found in by_party(incident.casualties, field).items():
            key = group(party)
            totals[key] = totals.get(key, ZERO) + found
    return totals


def among(incidents: Iterable, field: str, parties: set[str]) -> Range | None:
    """The total the sources reported among these parties (an actor and its members, one party
    to the reader); None when no source reported casualties among them."""
    found = [found for incident in incidents
             for party, found in by_party(incident.casualties, field).items() if party in parties]
    return reduce(operator.add, found) if found else None


def reported_at_least(reports: Iterable[CasualtyReport], field: str) -> int:
    """The largest number any standing figure vouches for, whoever's: what a ladder threshold
    ("a source reports at least N killed") reads. A denial does not erase another's figure."""
    return max((stated(item.figure).low for item in current(reports, field)), default=0)


@dataclass(frozen=True, slots=True)
class CasualtyLine:
    """'at least 2 killed' among one party, and what each source said; str() gives one line."""

    party: str
    total: str
    by_source: list[str]

    def __str__(self) -> str:
        return f"{self.total} ({'; '.join(self.by_source)})"


def casualty_lines(reports: Iterable[CasualtyReport], field: str, verb: str) -> list[CasualtyLine]:
    """One line per party: the range of `field` over the standing figures about it, and each
    source's figure with what it revised."""
    grouped: dict[str, list[Current]] = {}
    for item in current(reports, field):
        grouped.setdefault(party_of(item.report), []).append(item)
    lines = []
    for party, items in grouped.items():
        figures = [item.figure for item in items]
        total = str(span(figures))
        if isinstance(figures[0], str) and len(set(figures)) == 1:  # only a word: say the word
            total = "an unknown number" if figures[0] == "unknown" else figures[0]
        lines.append(CasualtyLine(party, f"{total} {verb}", [_attributed(item) for item in items]))
    return lines


def _attributed(item: Current) -> str:
    """'CENTCOM: at least 34, revised from 25 (US service members)'; an earlier figure of
    another source names it: 'revised from 25 by CENTCOM'."""
    whose = f" ({item.report.who})" if item.report.who else ""
    earlier = [figure_text(figure) if report.according_to == item.report.according_to
               else f"{figure_text(figure)} by {report.according_to}"
               for report, figure in item.history]
    history = f", revised from {', then '.join(earlier)}" if earlier else ""
    return f"{item.report.according_to}: {figure_text(item.figure)}{history}{whose}"
