"""Casualty figures: per party, each source's latest figure, and no range a source did not give.
Every expected answer here is worked out by hand from the figures in the test."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reportgen.method import markdown, rule
from reportgen.model.casualties import (
    Range,
    Stated,
    by_party,
    casualty_lines,
    current,
    event_total,
    figure_text,
    party_totals,
    span,
    stated,
    unstated,
    vouched,
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
    assert stated(FigureRange(max=5)) == Stated(0, 5)  # "up to 5" is a count from 0
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


# -- one party in one incident (method rule `party-in-incident`) ------------------------------

def test_a_floor_above_every_count_makes_the_high_end_at_least():
    # Sabereen News 2, US media "at least 3", Al Arabiya "several": the floors are above the
    # only count, so the range runs from 2 to at least 3.
    assert text([2, at_least(3)]) == "2 to at least 3"
    assert text([2, at_least(3), "several"]) == "2 to at least 3"
    assert span([2, at_least(3)]) == Range(2, 3, at_least=True)


def test_a_floor_at_or_below_a_count_agrees_with_it():
    assert text(["some", 4]) == "4"  # no "1-4" that no source gave
    assert text([5, at_least(3)]) == "5"
    assert text([3, at_least(3)]) == "3"
    assert text([at_least(1), 2, 5]) == "2–5"
    assert text([FigureRange(max=5), at_least(2)]) == "0–5"  # "up to 5" is a count from 0
    assert text([5, 5]) == "5"


def test_without_a_count_the_highest_floor():
    assert text([at_least(34), at_least(40)]) == "at least 40"
    assert text([at_least(3), "several"]) == "at least 3"
    assert text(["several"]) == "several"  # the word, where it is the only one
    assert text(["unknown"]) == "an unknown number"
    assert text(["unknown", 4]) == "4"  # "unknown" gives no number


def test_counts_run_from_the_lowest_to_the_highest_never_their_overlap():
    assert text([FigureRange(min=2, max=4), FigureRange(min=3, max=6)]) == "2–6"
    assert text([5, 7]) == "5–7"
    assert text([FigureRange(min=1, max=3), 2, 5]) == "1–5"
    assert text([0, at_least(3)]) == "0 to at least 3"  # a denial beside a claimed toll
    assert span([]) is None


def test_range_text():
    assert str(Range(2, 3)) == "2–3"
    assert str(Range(3, 3)) == "3"
    assert str(Range(2, 2, at_least=True)) == "at least 2"
    assert str(Range(2, 3, at_least=True)) == "2 to at least 3"
    assert str(Range(4, 4, plus_unknown=True)) == "4 plus an unknown number"
    assert str(Range(0, 0, counted=False)) == "an unknown number"


# -- sums over incidents (method rule `sums`) -----------------------------------------------------

def test_a_sum_adds_low_ends_and_high_ends_and_keeps_a_floor_on_the_high_end_only():
    assert Range(2, 3, at_least=True) + Range(5, 5, at_least=True) == Range(7, 8, at_least=True)
    assert str(Range(2, 3, at_least=True) + Range(5, 5, at_least=True)) == "7 to at least 8"
    assert Range(1, 2) + Range(3, 3) == Range(4, 5)


def test_sums_of_words_and_unknowns():
    def one(day, figure):
        return incident(f"s{day}", day, "Air/drone strike", "blue-force", None,
                        casualties=[report(killed=figure, party="pmf")])
    assert str(party_totals([one(2, "a few"), one(3, 5)], "killed")["pmf"]) == "at least 7"
    assert str(party_totals([one(2, 4), one(3, "unknown")], "killed")["pmf"]) == (
        "4 plus an unknown number")
    assert str(party_totals([one(2, "unknown"), one(3, 4)], "killed")["pmf"]) == (
        "4 plus an unknown number")
    assert str(party_totals([one(2, "unknown")], "killed")["pmf"]) == "an unknown number"
    assert str(party_totals([one(2, "several")], "killed")["pmf"]) == "at least 3"  # a sum: a number
    assert str(party_totals([one(2, 1), one(3, 8), one(4, 1), one(5, 2)], "killed")["pmf"]) == "12"


figures = st.one_of(
    st.integers(0, 500),
    st.sampled_from(sorted(VAGUE_FIGURES)),
    st.builds(lambda a, b: FigureRange(min=min(a, b), max=max(a, b)), st.integers(0, 99),
              st.integers(0, 99)),
    st.builds(at_least, st.integers(0, 99)),
    st.builds(lambda b: FigureRange(max=b), st.integers(0, 99)),
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
    numeric = [stated(f) for f in reported if f != "unknown"]
    if not numeric:
        assert not whole.counted
    elif all(p.high is None for p in numeric):  # floors only: the highest, read "at least"
        assert whole.at_least and whole.low == whole.high == max(p.low for p in numeric)


@given(st.lists(figures, min_size=1, max_size=6))
def test_the_range_spans_every_count_and_reaches_every_floor(reported):
    whole = span(reported)
    parts = [stated(f) for f in reported if f != "unknown"]
    counts = [p for p in parts if p.high is not None]
    assert all(whole.low <= p.low and p.high <= whole.high for p in counts)
    assert all(p.low <= whole.high for p in parts)
    # "at least" only where a source gave a floor, and only on the high end.
    assert not whole.at_least or any(p.high is None and p.low == whole.high for p in parts)


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
    assert by_party(TOWER_22, "injured") == {"us-dod": Range(40, 40, at_least=True)}
    # The revision gave no killed figure, so the first statement's killed still stands.
    assert by_party(TOWER_22, "killed") == {"us-dod": Range(3, 3)}
    assert vouched(TOWER_22, "injured") == 40


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
        "pmf": Range(15, 16), "civilians": Range(1, 1), "unknown": Range(17, 17, at_least=True)}
    lines = casualty_lines(STRIKE, "killed", "killed")
    assert [(line.party, line.total) for line in lines] == [
        ("pmf", "15–16 killed"), ("civilians", "1 killed"), ("unknown", "at least 17 killed")]


def test_totals_add_one_partys_ranges_and_leave_figures_of_no_stated_party_apart():
    first = incident("i1", 2, "Air/drone strike", "blue-force", None, casualties=STRIKE)
    second = incident("i2", 9, "Air/drone strike", "blue-force", None,
                      casualties=[report(killed=2, party="pmf"), report(killed=3, party="kh"),
                                  report(killed=4)])
    assert party_totals([first, second], "killed") == {
        "pmf": Range(17, 18), "civilians": Range(1, 1), "kh": Range(3, 3)}
    # Method rule `parties-apart`: each incident's figure of no stated party on its own.
    assert [(i.id, str(r)) for i, r in unstated([first, second], "killed")] == [
        ("i1", "at least 17"), ("i2", "4")]
    assert unstated([incident("z", 3, "Air/drone strike", "blue-force", None,
                              casualties=[report(killed=0)])], "killed") == []  # a figure of none


def test_the_event_total_adds_named_parties_and_never_adds_figures_of_no_stated_party():
    # Named: PMF 15-16 and civilians 1 are different people: 16-17. The wire's "at least 17" of
    # no stated party may count the same dead: each end is the larger of the two readings.
    assert event_total(STRIKE, "killed") == Range(17, 17, at_least=True)
    assert event_total(STRIKE[:2], "killed") == Range(17, 17)  # PMF 16 + civilians 1
    assert event_total(STRIKE, "injured") == Range(25, 25)
    assert event_total([report(killed=3)], "killed") == Range(3, 3)
    assert event_total([report(killed="unknown")], "killed") is None  # no number to export
    assert event_total([], "killed") is None
    # The method's example: 6 civilians and 5 union members, another source's 9 unstated: 11.
    both = [report("Union", killed=6, party="civilians"), report("Union", killed=5, party="union"),
            report("Wire", killed=9)]
    assert event_total(both, "killed") == Range(11, 11)


def test_severity_reads_every_partys_dead_and_a_denial_cancels_nothing():
    """Method rule `severity`: per party the most one source vouches for, added over parties."""
    one_source = [report("Union", killed=6, party="civilians"), report("Union", killed=5, party="union")]
    assert vouched(one_source, "killed") == 11
    assert vouched([*one_source, report("Wire", killed=at_least(12))], "killed") == 12
    assert vouched([report("Army", killed=0, party="civilians"),
                    report("Medics", killed=4, party="civilians")], "killed") == 4
    assert vouched([report("Medics", killed="several", party="civilians"),
                    report("Army", killed=FigureRange(min=2, max=9), party="army")], "killed") == 5
    assert vouched(one_source, "killed", lambda party: party == "union") == 5


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

CASUALTY_RULES = ("source-figure", "revisions", "party-in-incident", "sums", "parties-apart",
                  "incident-total")


def test_the_method_names_every_vague_word_and_its_number():
    text = rule("source-figure").text
    for word, number in VAGUE_FIGURES.items():
        if word != "unknown":
            assert f"“{word}” {number}" in text
    assert "ACLED" in text and "unknown number" in text


def test_the_documentation_states_the_rules_the_code_follows():
    """The pages on briefings and on curating quote the casualty rules verbatim (re-wrapped
    lines are fine), and docs/method.md is generated from the method."""
    for path in (ROOT / "docs" / "briefings.md", ROOT / "docs" / "curating.md"):
        lines = path.read_text(encoding="utf-8").splitlines()
        flat = " ".join(" ".join(line.removeprefix(">").split()) for line in lines)
        for key in CASUALTY_RULES:
            assert rule(key).text in flat, f"{path.name}: paste rule {key!r} of reportgen.method"
    assert (ROOT / "docs" / "method.md").read_text(encoding="utf-8") == markdown(), (
        "docs/method.md is stale: python -m reportgen.method > docs/method.md")
