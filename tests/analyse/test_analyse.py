"""The escalation analysis on a hand-built corpus whose answers are worked out below by hand."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reportgen.analyse import analyse
from reportgen.analyse.capitals import _without_asides, in_capital
from reportgen.analyse.ladder import assess, set_aside
from reportgen.model import Rung
from reportgen.model.casualties import Range, vouched
from reportgen.model.incident import EscalationOverride
from tests.support.analysis_corpus import (
    ACTORS,
    LADDER,
    PERIOD,
    PHASES,
    SIDES,
    corpus,
    incident,
    killed,
)

D = dt.date


@pytest.fixture(scope="module")
def analysis():
    return analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, phases=PHASES, sides=SIDES)


# --- casualty thresholds -----------------------------------------------------------------------

def test_thresholds_read_the_largest_low_any_source_gives():
    records = corpus()
    # i2: "2" and "several" (a floor of 3): one source vouches for at least 3 injured.
    assert vouched(records["i2"].casualties, "injured") == 3
    # i3: "0" and "at least 3": the denial does not erase the other source's figure.
    assert vouched(records["i3"].casualties, "killed") == 3
    assert vouched(records["i1"].casualties, "killed") == 0


# --- the ladder ---------------------------------------------------------------------------------

def test_rungs_by_rules_and_override(analysis):
    rungs = {key: (a.rung, a.basis) for key, a in analysis.rungs.items()}
    assert rungs == {
        "i1": (1, "rules"), "i2": (2, "rules"), "i3": (3, "rules"), "i4": (3, "rules"),
        "i5": (0, "rules"), "i6": (4, "rules"), "i7": (2, "override"), "i8": (5, "rules"),
        "i9": (0, "rules"),
    }


def test_rung_explanation_names_the_rule_and_the_evidence(analysis):
    i3 = analysis.rungs["i3"]
    assert (i3.computed, i3.rule, i3.name) == (3, 1, "Lethal")
    assert i3.explanation == "rule 1 of rung 3: sources report 3 killed (at least 1)"
    # i6 meets both rules of rung 4; the first one (leadership) is reported, with the leader.
    i6 = analysis.rungs["i6"]
    assert (i6.rung, i6.rule) == (4, 1)
    assert "Commander Fakename of Fake Red Brigade" in i6.explanation
    i8 = analysis.rungs["i8"]
    # the reasons are read by readers: actors by name, kinds in words, never an id
    assert i8.reasons == ("acting Fake Blue Force (state force)", "targeting Fake Grey Gov (government)")


def test_override_keeps_the_computed_rung_and_the_rationale(analysis):
    i7 = analysis.rungs["i7"]
    assert (i7.rung, i7.computed, i7.name) == (2, None, "Injuries")
    assert i7.explanation == "set by the curator: Fake curator judgement (no rule matches)"



@pytest.mark.parametrize("text", [
    "eastern Baghdad (witnesses), Iraq", "Baghdad (Green Zone (IZ)), Iraq", "Erbil (Kurdistan",
    "(a) b (c) d (", ")(", "no aside", "((()))", "a ( b ) c ) d ( e"])
def test_a_bracketed_aside_is_read_as_the_pattern_it_replaced_reads_it(text):
    """The asides are dropped by one pass from left to right, as `\\([^)]*\\)` dropped them
    (from a "(" to the next ")", a "(" never closed kept), without its scan to the end from
    every "(" of a text that never closes one."""
    assert _without_asides(text) == re.sub(r"\([^)]*\)", " ", text)

def test_capital_rule_and_leadership_tag():
    strike = incident("x1", 3, "Air/drone strike", "blue-force", "lone-cell",
                      location={"place": "Eastern Baghdad", "country": "IQ"},
                      casualties=killed(1))
    result = assess(strike, LADDER, ACTORS)
    assert (result.rung, result.rule) == (4, 2)
    assert result.reasons == ("sources report 1 killed (at least 1)", "in the capital (Baghdad)")
    tagged = incident("x2", 3, "Air/drone strike", "blue-force", "lone-cell",
                      tags=["leadership-targeting"])
    assert assess(tagged, LADDER, ACTORS).reasons == ("leadership targeted: in the analyst's "
                                                      "assessment",)
    unmatched = incident("x3", 3, "Arrests", "blue-force", "lone-cell")
    assert assess(unmatched, LADDER, ACTORS).basis == "unrated"


@pytest.mark.parametrize(("place", "country", "capital"), [
    ("Eastern Baghdad", "IQ", "Baghdad"),
    ("Mashtal, Baghdad (two sources)", "IQ", "Baghdad"),
    ("Jurf al-Sakhar, south of Baghdad", "IQ", None),  # near a capital is not in it
    ("Baghdad", "SY", None),            # a capital's name only counts in its own country
    ("Sana'a", "YE", "Sanaa"),          # apostrophes and case are ignored
    ("Ammanville", "JO", None),         # the whole name only
    ("Oslo", "NO", None),               # a country not in the table never matches
])
def test_capital_table(place, country, capital):
    record = incident("x", 3, "Air/drone strike", "blue-force", None,
                      location={"place": place, "country": country})
    assert in_capital(record) == capital


# --- chains and dyads ---------------------------------------------------------------------------

def test_response_links_with_days_and_hours(analysis):
    links = {(k.action, k.response): (k.days, k.hours) for k in analysis.chains.links}
    # i1: 2 Jan 21:00 Baghdad (UTC+3) = 18:00 UTC; i3: 10 Jan 03:00 Baghdad = 10 Jan 00:00 UTC:
    # 7 days and 6 hours = 174 hours. Links without two known times have no hours.
    assert links == {("i1", "i3"): (8, 174.0), ("i2", "i3"): (6, None),
                     ("i3", "i4"): (2, None), ("i4", "i6"): (12, None)}
    # Method rule `responses`: i3 answers i1 and i2, one response timed from the latest (i2, 6
    # days); i4 after 2 days; i6 after 12: the median of 6, 2, 12.
    assert analysis.chains.median_response_days == 6
    assert [(r.incidents, r.answers, r.days) for r in analysis.chains.responses] == [
        (("i3",), ("i1", "i2"), 6), (("i4",), ("i3",), 2), (("i6",), ("i4",), 12)]


def test_one_thread_in_date_order(analysis):
    (thread,) = analysis.chains.threads
    assert thread.incidents == ("i1", "i2", "i3", "i4", "i6")
    assert thread.days == 22  # 2 Jan to 24 Jan
    assert [(k.action, k.response) for k in thread.links] == [
        ("i1", "i3"), ("i2", "i3"), ("i3", "i4"), ("i4", "i6")]


def test_dyads_pair_sides_and_count_actions_each_way_and_median_response(analysis):
    top = analysis.chains.dyads[0]
    # Red Brigade and Red Front are one party, the red side: every pair is between sides.
    assert (top.a, top.b) == ("blue", "red")
    assert top.a_on_b == ("i3", "i6") and top.b_on_a == ("i1", "i2", "i4")
    # blue answered red twice: i3 (6 days from i2, the latest it answers) and i6 (12 days from
    # i4): median 9; red answered blue once, after 2 days (i3->i4).
    assert top.median_days_a_answering_b == 9
    assert top.median_days_b_answering_a == 2
    # An actor without a side (lone-cell, i7) is a party of its own.
    assert [(d.a, d.b, d.a_on_b, d.b_on_a) for d in analysis.chains.dyads[1:]] == [
        ("blue", "grey", ("i8",), ()), ("blue", "lone-cell", (), ("i7",))]


def test_no_pair_answers_attacks_it_never_suffered(analysis):
    for dyad in analysis.chains.dyads:
        assert not dyad.a_answering_b or dyad.b_on_a
        assert not dyad.b_answering_a or dyad.a_on_b


# --- tempo and turning points -------------------------------------------------------------------

def test_weekly_tallies_by_side(analysis):
    series = analysis.tempo
    # Attacks by party (method rules `attacks`, `acting-party`, `tempo`): the sides, then the
    # actor without one under its own name; i5 and i9 (announcements) are other events.
    assert series.sides == ("blue", "red", "lone-cell")
    rows = [(b.label, b.start, dict(b.by_side), b.others, b.change, b.top_rung,
             b.top_rung_incidents) for b in series.buckets]
    empty = {"blue": (), "red": (), "lone-cell": ()}
    assert rows == [
        ("2001-W01", D(2001, 1, 1), empty | {"red": ("i1", "i2")}, (), None, 2, ("i2",)),
        ("2001-W02", D(2001, 1, 8), empty | {"blue": ("i3",), "red": ("i4",)}, (), 0, 3,
         ("i3", "i4")),
        ("2001-W03", D(2001, 1, 15), empty, (), -2, None, ()),
        ("2001-W04", D(2001, 1, 22), empty | {"blue": ("i6",), "lone-cell": ("i7",)}, ("i5",),
         2, 4, ("i6",)),
        ("2001-W05", D(2001, 1, 29), empty | {"blue": ("i8",)}, ("i9",), -1, 5, ("i8",)),
    ]
    assert series.peak.label == "2001-W01"  # 2 attacks, as in W02 and W04: the earliest


def test_weekly_casualties_count_each_party_apart(analysis):
    """Each party's dead on their own, by the actor (or category) they were: never summed into
    the side it belongs to."""
    week1, week2, _, week4, _ = analysis.tempo.buckets
    # i2: Blue Force injured "2" and "several" (at least 3): the floor is above the count.
    assert week1.injured == {"blue-force": Range(2, 3, at_least=True)}
    assert week1.killed == {}  # nothing reported
    # Week 2: i3 red killed "0" and "at least 3"; i4 blue killed 1. Never one sum of the two.
    assert week2.killed == {"blue-force": Range(1, 1), "red-brigade": Range(0, 3, at_least=True)}
    assert str(week2.killed["red-brigade"]) == "0 to at least 3"
    assert week4.killed == {"red-brigade": Range(2, 2)}


def test_period_figures_never_add_two_parties_of_one_side():
    """red-brigade and red-front are both of the red side: page 1 gives each its own dead, the
    side's first, then those of no side; the figure of no stated party stays with its incident."""
    records = [
        incident("a", 3, "Air/drone strike", "blue-force", "red-brigade",
                 casualties=killed(2, party="red-brigade")),
        incident("b", 3, "Air/drone strike", "blue-force", "red-front",
                 casualties=killed({"min": 3}, party="red-front")),
        incident("c", 4, "Air/drone strike", "red-front", "blue-force",
                 casualties=killed(1, party="blue-force") + killed(4)),
        incident("d", 5, "Air/drone strike", "lone-cell", "blue-force",
                 casualties=killed(1, party="lone-cell")),
    ]
    analysis = analyse(records, ACTORS, LADDER, period=PERIOD, sides=SIDES)
    assert [(row.party, str(row.killed)) for row in analysis.period_figures()] == [
        ("blue-force", "1"), ("red-brigade", "2"), ("red-front", "at least 3"),
        ("lone-cell", "1")]
    assert all(row.injured is None for row in analysis.period_figures())
    assert [(row.incident_id, str(row.killed)) for row in analysis.unstated_figures()] == [
        ("c", "4")]


def test_daily_buckets():
    series = analyse(corpus().values(), ACTORS, LADDER, period=PERIOD, granularity="day").tempo
    assert len(series.buckets) == 35
    assert [b.label for b in series.buckets if b.incidents] == [
        "2001-01-02", "2001-01-04", "2001-01-10", "2001-01-12", "2001-01-23", "2001-01-24",
        "2001-01-25", "2001-01-29", "2001-01-30"]
    assert [b.label for b in series.buckets if b.others] == ["2001-01-23", "2001-01-30"]


def test_turning_points(analysis):
    points = [(p.number, p.incident_id, p.kinds, p.parties) for p in analysis.turning_points]
    # i1 sets the baseline (rung 1); i7 (rung 2) is lower than the rung 4 before it.
    assert points == [
        (1, "i2", ("new-rung",), ()),
        (2, "i3", ("new-rung", "first-fatal"), ("red",)),
        (3, "i4", ("first-fatal",), ("blue",)),
        (4, "i5", ("pause",), ()),
        (5, "i6", ("new-rung",), ()),
        (6, "i8", ("new-rung",), ()),
        (7, "i9", ("resumption",), ()),
    ]
    assert analysis.turning_points[1].reasons == (
        "first incident at rung 3 (Lethal); the highest before was 2",
        "first reported deaths: Fake red side")


# --- phases and activity ------------------------------------------------------------------------

def test_phase_stats(analysis):
    opening, strikes = analysis.phases
    assert opening.incidents == ("i1", "i2", "i3", "i4")
    assert dict(opening.by_side) == {"blue": ("i3",), "red": ("i1", "i2", "i4")}
    assert (opening.top_rung, opening.top_rung_incidents) == (3, ("i3", "i4"))
    assert opening.median_response_days == 4  # i3 6 days after i2 (the latest it answers), i4 2
    assert opening.turning_points == (1, 2, 3)
    assert (opening.days, opening.per_week) == (14, 2.0)
    assert strikes.incidents == ("i5", "i6", "i7", "i8")
    assert strikes.others == ("i5",)  # a pause announced is no attack: 3 attacks in 8 days
    assert (strikes.days, strikes.attacks, strikes.per_week, strikes.note) == (8, 3, 2.6, "Fake phase")
    assert [(r.incidents, r.answers) for r in strikes.responses] == [(("i6",), ("i4",))]
    assert strikes.turning_points == (4, 5, 6)
    assert analysis.unphased == ("i9",)


def test_actor_activity_for_sparklines(analysis):
    red = analysis.activity["red-brigade"]
    assert red.acting == (("i1",), ("i4",), (), ("i5",), ())
    assert red.targeted == ((), ("i3",), (), ("i6",), ())
    assert analysis.activity["grey-gov"].acting_total == 0
    assert analysis.activity["grey-gov"].targeted_total == 1


def test_empty_selection_is_not_an_error():
    result = analyse([], ACTORS, LADDER)
    assert result.tempo.buckets == () and result.turning_points == () and result.chains.links == ()


# --- overrides below the rules, and turning points that cannot contradict each other ----------

def test_an_override_below_a_rung_its_rules_meet_is_set_aside_unless_named():
    record = incident("x", 10, "Air/drone strike", "blue-force", "red-brigade",
                      casualties=killed(2, party="red-brigade"),
                      escalation={"rung": 2, "rationale": "Fake judgement"})
    assessment = assess(record, LADDER, ACTORS)
    assert assessment.met == (3, 1) and assessment.computed == 3
    assert set_aside(assessment, record.escalation) == [3]
    named = record.escalation.model_copy(update={"instead_of": 3})
    assert set_aside(assessment, named) == []


def test_a_rung_first_reached_after_an_incident_placed_below_it_says_so():
    """i3 has deaths (the Lethal rung, 3) but the analyst placed it at 1; i4 is then the first
    at rung 3. Its turning point names i3, so it does not contradict i3's first deaths."""
    records = corpus()
    records["i3"] = records["i3"].model_copy(update={"escalation": EscalationOverride(
        rung=1, rationale="Fake judgement")})
    points = analyse(records.values(), ACTORS, LADDER, sides=SIDES).turning_points
    by_incident = {p.incident_id: p for p in points}
    assert "first-fatal" in by_incident["i3"].kinds
    assert by_incident["i4"].reasons[0] == (
        "first incident at rung 3 (Lethal); the highest before was 2 (earlier, the analyst placed "
        "below it: Fake incident i3 (10 Jan 2001), which met its rules)")


def test_a_rung_for_deaths_of_state_forces_and_one_for_the_scale_of_a_strike():
    ladder = [*LADDER,
              Rung(rung=6, name="State forces killed", when=[{"killed_kinds": ["state-force"]}]),
              Rung(rung=7, name="Dozens of targets", when=[{"min_targets": 20}])]
    # Blue Force (a state force) loses 1; a militia's dead do not count for the rung.
    state_dead = incident("s", 12, "Shelling/artillery/missile attack", "red-brigade", "blue-force",
                          casualties=killed(1, party="blue-force"))
    militia_dead = incident("m", 12, "Air/drone strike", "blue-force", "red-brigade",
                            casualties=killed(5, party="red-brigade"))
    wide = incident("w", 12, "Air/drone strike", "blue-force", "red-brigade", targets={"min": 85})
    assert assess(state_dead, ladder, ACTORS).rung == 6
    assert assess(state_dead, ladder, ACTORS).reasons == (
        "sources report 1 killed among state forces (at least 1)",)
    assert assess(militia_dead, ladder, ACTORS).rung == 3  # Lethal, not state forces
    assert assess(wide, ladder, ACTORS).rung == 7
    assert assess(wide, ladder, ACTORS).reasons == ("85 targets struck (at least 20)",)
