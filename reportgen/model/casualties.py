"""Casualty figures as the method defines them (`reportgen.method`, rules `source-figure` to
`severity`): per party, per source's latest word, never two parties in one number.

- A source's figure is a count (a number or a range) or a floor ("at least", a vague word),
  and "unknown" gives no number (`source-figure`: `stated`).
- A revised figure no longer counts (`revisions`: `current`).
- One party in one incident runs from the lowest to the highest number the standing counts
  give, a higher floor making the high end "at least" (`party-in-incident`: `span`, `by_party`).
- Sums over incidents add one party's low ends and high ends (`sums`: `Range.__add__`,
  `party_totals`); figures of no stated party are never summed across incidents
  (`parties-apart`: `unstated`).
- An incident's dead over all parties (`incident-total`: `event_total`) and what the ladder reads
  (`severity`: `vouched`).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import reduce

from reportgen.model.incident import CasualtyReport, FigureRange
from reportgen.model.vocabulary import VAGUE_FIGURES

Figure = int | str | FigureRange
UNKNOWN = "unknown"
"""The party of a figure that names none, or mixes parties."""
UNKNOWN_WORD = "unknown"
"""The vague word that gives no number ("an unknown number")."""


@dataclass(frozen=True, slots=True)
class Range:
    """`low` to `high` casualties of one party. `at_least`: the high end is a source's floor
    ("at least"); `plus_unknown`: some incident added gave only "an unknown number";
    `counted`: False when no figure gave a number at all; `word`: the vague word every figure
    used, shown instead of its number (one incident only: a sum is a number)."""

    low: int
    high: int
    at_least: bool = False
    plus_unknown: bool = False
    counted: bool = True
    word: str | None = None

    def __add__(self, other: Range) -> Range:
        """Method rule `sums`: low ends added, high ends added; never a word."""
        return Range(self.low + other.low, self.high + other.high,
                     self.at_least or other.at_least,
                     self.plus_unknown or other.plus_unknown or not (self.counted and other.counted),
                     self.counted or other.counted)

    @property
    def numbers(self) -> str:
        """The ends alone: '3', '2–6', 'at least 3', '2 to at least 3'."""
        if self.low == self.high:
            return f"at least {self.low}" if self.at_least else str(self.low)
        return f"{self.low} to at least {self.high}" if self.at_least else f"{self.low}–{self.high}"

    def __str__(self) -> str:
        if not self.counted:
            return "an unknown number"
        if self.word:
            return self.word
        return self.numbers + (" plus an unknown number" if self.plus_unknown else "")


ZERO = Range(0, 0)
NOT_COUNTED = Range(0, 0, counted=False)


@dataclass(frozen=True, slots=True)
class Stated:
    """What one source's figure says: at least `low`, at most `high` (None: no upper bound)."""

    low: int
    high: int | None


def stated(figure: Figure) -> Stated:
    """Method rule `source-figure`: 3 -> 3..3; {min: 2, max: 4} -> 2..4; {max: 5} -> 0..5 (counts);
    {min: 3} -> 3.. and 'several' -> 3.. (floors: no high end); 'unknown' -> 0.., though it
    gives no number (`span` leaves it out)."""
    if isinstance(figure, FigureRange):
        return Stated(figure.min or 0, figure.max)
    if isinstance(figure, str):
        return Stated(VAGUE_FIGURES[figure], None)
    return Stated(figure, figure)


def span(figures: Iterable[Figure]) -> Range | None:
    """Method rule `party-in-incident`: the figures about one party in one incident. The low
    end is the lowest number a count (an exact number or a range) gives and the high end the
    highest; without a count, both are the highest floor ("at least", a vague word). A floor
    above every count makes the high end "at least" it. None without a figure."""
    figures = list(figures)
    if not figures:
        return None
    numeric = [stated(f) for f in figures if f != UNKNOWN_WORD]
    if not numeric:
        return NOT_COUNTED
    counts = [p for p in numeric if p.high is not None]
    floor = max((p.low for p in numeric if p.high is None), default=None)
    word = figures[0] if isinstance(figures[0], str) and len(set(figures)) == 1 else None
    if not counts:
        return Range(floor, floor, True, word=word)
    top = max(p.high for p in counts)
    if floor is not None and floor > top:
        return Range(min(p.low for p in counts), floor, True)
    return Range(min(p.low for p in counts), top)


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
    """Method rule `incident-total`: an incident's figure over every party (the exports'
    fatalities, as ACLED's and UCDP's count an event's dead whoever they were): the named
    parties' ranges added, and figures of no stated party, which may count the same dead, only
    where larger, end by end. None without a figure."""
    parties = {key: found for key, found in by_party(reports, field).items() if found.counted}
    unknown = parties.pop(UNKNOWN, None)
    named = reduce(operator.add, parties.values()) if parties else None
    if named is None or unknown is None:
        return named or unknown
    high = max((named, unknown), key=lambda r: (r.high, r.at_least))
    return Range(max(named.low, unknown.low), high.high, high.at_least)


def party_totals(incidents: Iterable, field: str) -> dict[str, Range]:
    """Method rules `sums` and `parties-apart`: each named party's figure summed over the
    incidents; figures of no stated party are not summed (see `unstated`)."""
    totals: dict[str, Range] = {}
    for incident in incidents:
        for party, found in by_party(incident.casualties, field).items():
            if party != UNKNOWN:
                totals[party] = totals[party] + found if party in totals else _as_sum(found)
    return totals


def _as_sum(found: Range) -> Range:
    """A party's figure in one incident as the first term of a sum: a number, never a word."""
    return found + ZERO if found.counted else Range(0, 0, plus_unknown=True, counted=False)


def unstated(incidents: Iterable, field: str) -> list[tuple[object, Range]]:
    """Method rule `parties-apart`: each incident's figure of no stated party, on its own, in
    the incidents' order; a figure of none (0) is left out."""
    found = []
    for incident in incidents:
        figure = by_party(incident.casualties, field).get(UNKNOWN)
        if figure is not None and figure != ZERO:
            found.append((incident, figure))
    return found


def vouched(reports: Iterable[CasualtyReport], field: str,
            parties: Callable[[str], bool] = lambda party: True) -> int:
    """Method rule `severity`: per party, the largest number one standing figure vouches for
    (its low end; a vague word's number), added over the named parties that `parties` accepts;
    a figure of no stated party counts only where larger than that sum. A denial (0) cancels
    nothing."""
    most: dict[str, int] = {}
    for item in current(reports, field):
        party = party_of(item.report)
        most[party] = max(most.get(party, 0), stated(item.figure).low)
    unknown = most.pop(UNKNOWN, 0) if parties(UNKNOWN) else 0
    return max(sum(n for party, n in most.items() if parties(party)), unknown)


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
        total = str(span(item.figure for item in items))
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
