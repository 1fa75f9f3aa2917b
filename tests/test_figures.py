"""Casualty ranges: per-source figures are kept, the range spans them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reportgen.figures import Range, bounds, casualty_line, casualty_span, figure_text, span, total
from reportgen.model.incident import CasualtyReport, FigureRange
from reportgen.model.vocabulary import VAGUE_FIGURES


def report(according_to: str, killed=None, injured=None, who=None) -> CasualtyReport:
    return CasualtyReport(according_to=according_to, killed=killed, injured=injured, who=who)


def test_each_kind_of_figure_has_bounds():
    assert bounds(3) == Range(3, 3)
    assert bounds("several") == Range(*VAGUE_FIGURES["several"])
    assert bounds(FigureRange(min=3)) == Range(3, None)
    assert bounds(FigureRange(max=5)) == Range(0, 5)
    assert bounds(FigureRange(min=2, max=4)) == Range(2, 4)


def test_span_is_min_of_lows_and_max_of_highs():
    assert span([2, 5, FigureRange(min=1, max=3)]) == Range(1, 5)
    assert span([2, FigureRange(min=3)]) == Range(2, None)
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
        "at least 2 killed (Sabereen News: 2; US media: at least 3; Al Arabiya: several)")
    assert casualty_text(reports, "injured", "injured") == "0 injured (CENTCOM: 0)"
    killed = casualty_line(reports, "killed", "killed")
    assert killed.total == "at least 2 killed"
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
def test_the_range_covers_every_source(reported):
    whole = span(reported)
    for figure in reported:
        part = bounds(figure)
        assert whole.low <= part.low
        assert whole.high is None or (part.high is not None and part.high <= whole.high)
    assert whole.high is None or whole.low <= whole.high
