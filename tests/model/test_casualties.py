"""Casualty ranges: per-source figures are kept, the range spans them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reportgen.model.casualties import (
    Range,
    Stated,
    casualty_line,
    casualty_span,
    figure_text,
    span,
    stated,
    total,
)
from reportgen.model.incident import CasualtyReport, FigureRange
from reportgen.model.vocabulary import VAGUE_FIGURES


def report(according_to: str, killed=None, injured=None, who=None) -> CasualtyReport:
    return CasualtyReport(according_to=according_to, killed=killed, injured=injured, who=who)


def test_each_kind_of_figure_states_what_it_vouches_for():
    assert stated(3) == Stated(3, 3, floor_only=False)
    assert stated("several") == Stated(3, 3, floor_only=True)  # ACLED codes "several" as 3
    assert stated("dozens") == Stated(12, 12, floor_only=True)
    assert stated(FigureRange(min=3)) == Stated(3, 3, floor_only=True)
    assert stated(FigureRange(max=5)) == Stated(0, 5, floor_only=False)
    assert stated(FigureRange(min=2, max=4)) == Stated(2, 4, floor_only=False)


def test_span_runs_from_the_lowest_to_the_highest_stated_figure():
    assert span([2, 5, FigureRange(min=1, max=3)]) == Range(1, 5)
    assert span([2, FigureRange(min=3)]) == Range(2, 3)
    assert span([2, FigureRange(min=3), "several"]) == Range(2, 3)
    assert span([FigureRange(min=3), "several"]) == Range(3, None)
    assert span([]) is None


def test_range_text():
    assert str(Range(2, 3)) == "2–3"
    assert str(Range(3, 3)) == "3"
    assert str(Range(2, None)) == "at least 2"


def test_figure_text_reads_like_the_source():
    assert figure_text(2) == "2"
    assert figure_text("several") == "several"
    assert figure_text(FigureRange(min=3)) == "at least 3"
    assert figure_text(FigureRange(max=5)) == "up to 5"
    assert figure_text(FigureRange(min=2, max=3)) == "2–3"


def casualty_text(reports, field, verb):
    line = casualty_line(reports, field, verb)
    return str(line) if line else None


def test_casualty_text_names_every_source_in_order():
    reports = [report("Sabereen News", killed=2), report("US media", killed=FigureRange(min=3)),
               report("Al Arabiya", killed="several"), report("CENTCOM", injured=0)]
    assert casualty_text(reports, "killed", "killed") == (
        "2–3 killed (Sabereen News: 2; US media: at least 3; Al Arabiya: several)")
    assert casualty_text(reports, "injured", "injured") == "0 injured (CENTCOM: 0)"
    killed = casualty_line(reports, "killed", "killed")
    assert killed.total == "2–3 killed"
    assert killed.by_source == ["Sabereen News: 2", "US media: at least 3", "Al Arabiya: several"]


def test_casualty_text_closed_range_and_whose_casualties():
    reports = [report("Wire", killed=2), report("Ministry", killed=3, who="soldiers")]
    assert casualty_text(reports, "killed", "killed") == "2–3 killed (Wire: 2; Ministry: 3 (soldiers))"


def test_no_figures_means_no_text():
    assert casualty_text([report("Wire", injured=1)], "killed", "killed") is None
    assert casualty_span([], "killed") is None


def test_total_adds_ranges_and_keeps_open_highs_open():
    assert total([Range(1, 2), None, Range(3, 3)]) == Range(4, 5)
    assert total([Range(1, 2), Range(3, None)]) == Range(4, None)
    assert total([]) == Range(0, 0)


figures = st.one_of(
    st.integers(0, 500),
    st.sampled_from(sorted(VAGUE_FIGURES)),
    st.builds(lambda a, b: FigureRange(min=min(a, b), max=max(a, b)), st.integers(0, 99),
              st.integers(0, 99)),
    st.builds(lambda a: FigureRange(min=a), st.integers(0, 99)),
)


@given(st.lists(figures, min_size=1, max_size=6))
def test_the_range_covers_every_stated_figure(reported):
    whole = span(reported)
    for figure in reported:
        part = stated(figure)
        assert whole.low <= part.low
        assert whole.high is None or part.high <= whole.high
    assert whole.high is None or whole.low <= whole.high
    assert (whole.high is None) == all(stated(f).floor_only for f in reported)
