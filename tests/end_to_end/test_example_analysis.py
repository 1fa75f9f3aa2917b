"""The analysis of the example corpus (US forces and Iran-aligned militias, 2023-2024)."""

from __future__ import annotations

import pytest

from reportgen.analyse import analyse_report
from reportgen.pipeline import open_project
from reportgen.select import select
from tests.conftest import REPO, TODAY

TOWER_22 = "2024-01-28-drone-attack-tower-22-jordan"
BAGHDAD = "2024-02-07-baghdad-drone-strike"


@pytest.fixture(scope="module")
def analysis():
    project = open_project(REPO, today=TODAY)
    assert not project.errors
    report = next(r for r in project.config.reports if r.id == "escalation-brief")
    return analyse_report(select(project, report))


def test_tower_22_is_a_turning_point_first_us_deaths(analysis):
    point = next(p for p in analysis.turning_points if p.incident_id == TOWER_22)
    assert "first-fatal" in point.kinds
    assert point.parties == ("us",)
    assert not [p for p in analysis.turning_points
                if "us" in p.parties and p.date < point.date]


def test_baghdad_strike_answers_tower_22_after_ten_days(analysis):
    link = next(k for k in analysis.chains.links if k.response == BAGHDAD)
    assert (link.action, link.days) == (TOWER_22, 10)
    thread = next(t for t in analysis.chains.threads if BAGHDAD in t.incidents)
    assert thread.incidents[0] == TOWER_22


def test_baghdad_strike_rung_says_why(analysis):
    rung = analysis.rungs[BAGHDAD]
    assert rung.basis == "rules" and rung.name == "Leadership targeting in a capital"
    assert "Abu Baqir al-Saadi" in rung.explanation


def test_kataib_hezbollah_pause_is_a_turning_point(analysis):
    kinds = {p.incident_id: p.kinds for p in analysis.turning_points}
    assert kinds["2024-01-30-kataib-hezbollah-suspends-operations"] == ("pause",)


def test_phases_cover_every_incident(analysis):
    assert [p.name for p in analysis.phases] == [
        "Opening attacks", "First strikes in Iraq", "Tower 22 and the US response"]
    assert analysis.unphased == ()
    assert sum(len(p.incidents) for p in analysis.phases) == len(analysis.incidents)
    assert TOWER_22 in analysis.phases[2].incidents


# -- figures an analyst would sign (issue 18) ------------------------------------------------------

@pytest.fixture(scope="module")
def brief():
    project = open_project(REPO, today=TODAY)
    return select(project, project.config.report("escalation-brief"))


def test_no_profile_shows_deaths_no_source_reported_among_its_members(brief):
    quds = brief.figures(brief.actors["irgc-quds-force"])
    assert quds.killed_among is None and quds.injured_among is None  # SOHR counted militia fighters
    assert str(brief.figures(brief.actors["civilians-iraq"]).killed_among) == "4"  # KRSC, Erbil


def test_tower_22_injured_read_the_latest_figure_with_the_earlier_as_history(brief):
    [injured] = [line for line in brief.casualty_lines(brief.project.incidents[TOWER_22])
                 if line.total.endswith("injured")]
    assert injured.total == "at least 40 injured"
    assert "revised from 25 by CENTCOM (first statement), then at least 34" in injured.by_source[0]


def test_every_pair_answers_only_attacks_it_suffered(analysis):
    for dyad in analysis.chains.dyads:
        assert not dyad.a_answering_b or dyad.b_on_a, (dyad.a, dyad.b)
        assert not dyad.b_answering_a or dyad.a_on_b, (dyad.a, dyad.b)


def test_no_weekly_figure_adds_two_parties(analysis):
    """Each bucket's killed are per party: the US dead of Tower 22 and the militia dead of the
    same week are two figures, never one; nor are the dead of two actors of one side."""
    week = next(b for b in analysis.tempo.buckets if TOWER_22 in b.incidents)
    assert str(week.killed["us-dod"]) == "3"
    assert not set(week.killed) & set(analysis.sides), "a side's dead summed over its actors"
