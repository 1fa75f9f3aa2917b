"""Casualty figures: per party, each source's latest figure, and no range a source did not give.
Every expected answer here is worked out by hand from the figures in the test."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reportgen.model.casualties import (
    COUNTING_RULE,
    Range,
    Stated,
    among,
    by_party,
    casualty_lines,
    current,
    event_total,
    figure_text,
    party_totals,
    reported_at_least,
    span,
    stated,
)
from reportgen.model.incident import CasualtyReport, FigureRange
from reportgen.model.vocabulary import VAGUE_FIGURES
from tests.support.analysis_corpus import incident

ROOT = Path(__file__).resolve().parents[2]


def report(according_to: str = "Wire", **fields) -> CasualtyReport:
    return CasualtyReport(according_to=according_to, **fields)


def at_least(n: int) -> FigureRange:
    return FigureRange(min=n)


def text(figures) -> str:
    return str(span(figures))


# -- what one source's figure says ------------------------------------------------------------

def test_each_kind_of_figure_states_what_it_vouches_for():
    assert stated(3) == Stated(3, 3)
    assert stated("several") == Stated(3, None)  # a vague word is a floor: the least it can mean
    assert stated("dozens") == Stated(12, None)  # ACLED: "dozens" is 12
    assert stated("tens") == Stated(10, None)  # ACLED: "tens" is 10
    assert stated(at_least(3)) == Stated(3, None)
    assert stated(FigureRange(max=5)) == Stated(0, 5)
    assert stated(FigureRange(min=2, max=4)) == Stated(2, 4)


def test_figure_text_reads_like_the_source():
    assert figure_text(2) == "2"
    assert figure_text("several") == "several"
    assert figure_text(at_least(3)) == "at least 3"
    assert figure_text(FigureRange(max=5)) == "up to 5"
    assert figure_text(FigureRange(min=2, max=3)) == "2–3"


# -- ranges: agreement, disagreement, floors ----------------------------------------------------

def test_a_floor_stays_a_floor():
    # Sabereen News 2, US media "at least 3", Al Arabiya "several": they disagree (2 is not 3 or
    # more), so the range runs from 2 to the highest floor, which stays a floor.
    assert text([2, at_least(3)]) == "2 to at least 3"
    assert text([2, at_least(3), "several"]) == "2 to at least 3"
    assert span([2, at_least(3)]) == Range(2, 3, low_floor=False, high_floor=True)


def test_figures_that_agree_read_what_they_agree_on():
    assert text(["some", 4]) == "4"  # "some" agrees with 4: no "1-4" that no source gave
    assert text([at_least(34), at_least(40)]) == "at least 40"
    assert text([at_least(3), "several"]) == "at least 3"
    assert text([5, at_least(3)]) == "5"
    assert text([FigureRange(max=5), at_least(2)]) == "2–5"
    assert text([5, 5]) == "5"


def test_figures_that_disagree_run_from_the_lowest_to_the_highest():
    assert text([5, 7]) == "5–7"
    assert text([FigureRange(min=1, max=3), 2, 5]) == "1–5"
    assert text([at_least(1), 2, 5]) == "2–5"  # "at least 1" agrees with both: it sets no end
    assert text([0, at_least(3)]) == "0 to at least 3"  # a denial beside a claimed toll
    assert span([]) is None


def test_range_text():
    assert str(Range(2, 3)) == "2–3"
    assert str(Range(3, 3)) == "3"
    assert str(Range(2, 2, True, True)) == "at least 2"
    assert str(Range(2, 3, False, True)) == "2 to at least 3"
    assert str(Range(7, 8, True, True)) == "at least 7 to at least 8"


def test_adding_ranges_keeps_every_floor_a_floor():
    # 2 to at least 3, plus at least 5: at least 7 on the lowest reading, at least 8 on the highest.
    assert Range(2, 3, False, True) + Range(5, 5, True, True) == Range(7, 8, True, True)
    assert Range(1, 2) + Range(3, 3) == Range(4, 5)


figures = st.one_of(
    st.integers(0, 500),
    st.sampled_from(sorted(VAGUE_FIGURES)),
    st.builds(lambda a, b: FigureRange(min=min(a, b), max=max(a, b)), st.integers(0, 99),
              st.integers(0, 99)),
    st.builds(at_least, st.integers(0, 99)),
)


def _given(figure) -> set[int]:
    """The numbers a source's figure names as an end: what a range may print."""
    part = stated(figure)
    return {part.low} | ({part.high} if part.high is not None else set())


@given(st.lists(figures, min_size=1, max_size=6))
def test_every_end_of_a_range_is_a_figure_some_source_gave(reported):
    whole = span(reported)
    given_ends = set().union(*(_given(f) for f in reported))
    assert whole.low in given_ends and whole.high in given_ends
    assert whole.low <= whole.high
    # An end reads "at least" exactly when the number came only from floors.
    bounded = {stated(f).high for f in reported if stated(f).high is not None}
    if not bounded:
        assert whole.low_floor and whole.high_floor and whole.low == whole.high


@given(st.lists(figures, min_size=1, max_size=6))
def test_the_range_agrees_with_every_source_or_spans_their_disagreement(reported):
    whole = span(reported)
    parts = [stated(f) for f in reported]
    consistent = max(p.low for p in parts) <= min(
        (p.high for p in parts if p.high is not None), default=10**9)
    if consistent:  # the range lies inside every source's figure
        assert all(p.low <= whole.low and (p.high is None or whole.high <= p.high) for p in parts)
    else:  # it spans every bounded figure
        assert all(whole.low <= p.low and p.high <= whole.high for p in parts if p.high is not None)


# -- revised figures ------------------------------------------------------------------------------

TOWER_22 = [
    report("CENTCOM (first statement)", id="first", killed=3, injured=25, party="us-dod"),
    report("CENTCOM (update)", id="update", revises="first", injured=at_least(34), party="us-dod"),
    report("Pentagon", revises="update", injured=at_least(40), party="us-dod"),
]


def test_a_revised_figure_is_history_not_part_of_the_range():
    injured = current(TOWER_22, "injured")
    assert [(c.report.according_to, c.figure) for c in injured] == [("Pentagon", at_least(40))]
    assert [figure for _, figure in injured[0].history] == [25, at_least(34)]
    assert by_party(TOWER_22, "injured") == {"us-dod": Range(40, 40, True, True)}
    # The revision gave no killed figure, so the first statement's killed still stands.
    assert by_party(TOWER_22, "killed") == {"us-dod": Range(3, 3)}
    assert reported_at_least(TOWER_22, "injured") == 40


def test_the_history_reads_revised_from_and_names_another_source():
    [line] = casualty_lines(TOWER_22, "injured", "injured")
    assert line.total == "at least 40 injured"
    assert line.by_source == ["Pentagon: at least 40, revised from 25 by CENTCOM (first statement), "
                              "then at least 34 by CENTCOM (update)"]
    same = [report("SOHR", id="a", killed=at_least(18)), report("SOHR", revises="a", killed=at_least(29))]
    assert casualty_lines(same, "killed", "killed")[0].by_source == [
        "SOHR: at least 29, revised from at least 18"]


# -- parties --------------------------------------------------------------------------------------

STRIKE = [
    report("PMF", killed=16, injured=25, party="pmf"),
    report("Anbar officials", killed=1, party="civilians"),
    report("A wire", killed=at_least(17)),  # whose dead it does not say
    report("Ministry", killed=15, party="pmf"),
]


def test_figures_of_different_parties_are_never_one_range():
    assert by_party(STRIKE, "killed") == {
        "pmf": Range(15, 16), "civilians": Range(1, 1), "unknown": Range(17, 17, True, True)}
    lines = casualty_lines(STRIKE, "killed", "killed")
    assert [(line.party, line.total) for line in lines] == [
        ("pmf", "15–16 killed"), ("civilians", "1 killed"), ("unknown", "at least 17 killed")]


def test_totals_add_one_partys_ranges_over_incidents():
    first = incident("i1", 2, "Air/drone strike", "blue-force", None, casualties=STRIKE)
    second = incident("i2", 9, "Air/drone strike", "blue-force", None,
                      casualties=[report(killed=2, party="pmf"), report(killed=3, party="kh")])
    assert party_totals([first, second], "killed") == {
        "pmf": Range(17, 18), "civilians": Range(1, 1), "unknown": Range(17, 17, True, True),
        "kh": Range(3, 3)}
    # Grouped as a reader sees them (KH is part of the PMF here): one party to that reader.
    rolled = party_totals([first, second], "killed", lambda p: "pmf" if p == "kh" else p)
    assert rolled["pmf"] == Range(20, 21)
    assert among([first, second], "killed", {"pmf", "kh"}) == Range(20, 21)
    assert among([first, second], "killed", {"irgc"}) is None  # no source reported IRGC deaths


def test_the_event_total_adds_named_parties_and_never_adds_figures_of_no_stated_party():
    # Named: PMF 15-16 and civilians 1 are different people: 16-17. The wire's "at least 17" of
    # no stated party may count the same dead, so it widens the reading instead of adding to it.
    assert event_total(STRIKE, "killed") == Range(17, 17, True, True)
    assert event_total(STRIKE[:2], "killed") == Range(17, 17)  # PMF 16 + civilians 1
    assert event_total(STRIKE, "injured") == Range(25, 25)
    assert event_total([report(killed=3)], "killed") == Range(3, 3)
    assert event_total([], "killed") is None


# -- lines ----------------------------------------------------------------------------------------

def test_a_line_names_every_source_in_order():
    reports = [report("Sabereen News", killed=2), report("US media", killed=at_least(3)),
               report("Al Arabiya", killed="several"), report("CENTCOM", injured=0)]
    [killed] = casualty_lines(reports, "killed", "killed")
    assert str(killed) == ("2 to at least 3 killed "
                           "(Sabereen News: 2; US media: at least 3; Al Arabiya: several)")
    assert str(casualty_lines(reports, "injured", "injured")[0]) == "0 injured (CENTCOM: 0)"


def test_a_vague_word_alone_reads_as_the_word():
    assert casualty_lines([report(killed="several")], "killed", "killed")[0].total == "several killed"
    assert casualty_lines([report(killed="unknown")], "killed", "killed")[0].total == (
        "an unknown number killed")
    assert casualty_lines([report(injured=1)], "killed", "killed") == []


# -- one rule, one text ---------------------------------------------------------------------------

def test_the_counting_rule_names_every_vague_word_and_its_number():
    for word, number in VAGUE_FIGURES.items():
        assert f"“{word}” {number}" in COUNTING_RULE
    assert "ACLED" in COUNTING_RULE


def test_the_documentation_states_the_rule_the_code_follows():
    """README and incidents/README.md quote the rule verbatim (re-wrapped lines are fine)."""
    for path in (ROOT / "README.md", ROOT / "incidents" / "README.md"):
        lines = path.read_text(encoding="utf-8").splitlines()
        flat = " ".join(" ".join(line.removeprefix(">").split()) for line in lines)
        assert COUNTING_RULE in flat, f"{path.name}: paste reportgen.model.casualties.COUNTING_RULE"
