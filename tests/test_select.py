"""Which incidents and actors a report selects, and what its indexes say."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from typing import get_args

import pytest
import yaml

from reportgen import select
from reportgen.analyse import analyse_report
from reportgen.model.casualties import Range
from reportgen.model.common import Marking
from reportgen.model.vocabulary import ROLE_ORDER, ActorRole
from reportgen.pipeline import open_project
from tests.support import TESTS

FIXTURE = TESTS / "fixtures" / "golden-project"
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def project():
    loaded = open_project(FIXTURE, today=TODAY)
    assert not loaded.errors
    return loaded


def report(project, report_id):
    return next(r for r in project.config.reports if r.id == report_id)


@pytest.fixture(scope="module")
def brief(project):
    return select.select(project, report(project, "fixture-brief"))


@pytest.fixture(scope="module")
def front(project):
    return select.select(project, report(project, "fixture-front"))


def ids(incidents):
    return [i.id for i in incidents]


def test_period_status_and_marking_filters(brief):
    assert ids(brief.incidents) == [
        "2021-03-02-depot-rocket-attack", "2021-03-10-convoy-drone-strike",
        "2021-03-12-checkpoint-clash", "2021-03-20-blue-force-exercise",
        "2021-04-05-drone-intercepted", "2021-05-01-front-announcement"]
    assert [str(w) for w in brief.withheld] == [
        "incident 2021-04-20-amber-meeting (TLP:AMBER)", "actor grey-unit (TLP:RED)"]
    assert "grey-unit" not in brief.actors


def test_drafts_and_retracted_only_when_asked(project):
    wanted = report(project, "fixture-brief")
    filters = wanted.filters.model_copy(update={"statuses": ["published", "draft", "retracted"]})
    selection = select.select(project, wanted.model_copy(update={"filters": filters}))
    assert {"2021-04-10-draft-report", "2021-04-11-retracted-claim"} <= set(ids(selection.incidents))


def test_a_report_marked_higher_shows_what_lower_ones_withhold(project):
    red = report(project, "fixture-brief").model_copy(update={"marking": Marking.RED})
    selection = select.select(project, red)
    assert selection.withheld == []
    assert "2021-04-20-amber-meeting" in ids(selection.incidents)
    assert "grey-unit" in selection.actors


def test_actor_filter_includes_members_and_parts(front):
    assert ids(front.incidents) == [
        "2021-03-02-depot-rocket-attack", "2021-03-10-convoy-drone-strike",
        "2021-03-12-checkpoint-clash", "2021-04-05-drone-intercepted",
        "2021-05-01-front-announcement"]


def test_membership_is_transitive(tmp_path, project):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    platoon = {"id": "fictional-platoon", "name": "Fictional Platoon", "kind": "militia",
               "affiliations": [{"actor": "northern-brigade", "relation": "part-of"}]}
    (root / "actors" / "fictional-platoon.yaml").write_text(yaml.safe_dump(platoon))
    assert select.members(open_project(root, today=TODAY), ["umbrella-front"]) == {
        "umbrella-front", "northern-brigade", "southern-brigade", "fictional-platoon"}


def test_filters_by_country_tag_and_type(project):
    base = report(project, "fixture-brief")
    by_country = base.model_copy(update={"filters": base.filters.model_copy(update={"countries": ["SY"]})})
    assert ids(select.select(project, by_country).incidents) == ["2021-04-05-drone-intercepted"]
    by_type = base.model_copy(update={"filters": base.filters.model_copy(update={"types": ["Armed clash"]})})
    assert ids(select.select(project, by_type).incidents) == ["2021-03-12-checkpoint-clash"]
    by_tag = base.model_copy(update={"filters": base.filters.model_copy(update={"tags": ["none-such"]})})
    assert select.select(project, by_tag).incidents == []


def test_responses_both_ways(brief, project):
    strike = project.incidents["2021-03-10-convoy-drone-strike"]
    assert [(link.incident.id, link.in_briefing) for link in brief.responds_to(strike)] == [
        ("2021-03-02-depot-rocket-attack", True)]
    assert [(link.incident.id, link.in_briefing) for link in brief.answered_by(strike)] == [
        ("2021-03-12-checkpoint-clash", True), ("2021-06-15-after-period", False)]


def test_links_outside_the_selection_are_text_and_withheld_ones_vanish(front, project):
    intercept = project.incidents["2021-04-05-drone-intercepted"]
    assert [(link.incident.id, link.in_briefing) for link in front.responds_to(intercept)] == [
        ("2021-03-20-blue-force-exercise", False)]
    assert front.incident_link("2021-04-20-amber-meeting") is None
    assert front.incident_link("2021-04-10-draft-report") is None


def test_affiliations_read_from_both_sides_and_hide_withheld_actors(brief, project):
    front_views = brief.affiliations(project.actors["umbrella-front"])
    assert [(v.relation, v.other.actor.id) for v in front_views] == [
        ("has member", "northern-brigade"), ("includes", "southern-brigade")]
    southern = brief.affiliations(project.actors["southern-brigade"])
    assert [(v.relation, v.other.actor.id) for v in southern] == [("part of", "umbrella-front")]


def test_withheld_actors_are_placeholders_in_incidents(brief, project):
    clash = project.incidents["2021-03-12-checkpoint-clash"]
    roles = dict(brief.roles(clash))
    assert [item.link for item in roles["mentioned"]] == [None]
    assert roles["target"][0].link.actor.id == "blue-force"


def test_the_selection_reads_a_view_with_no_trace_of_withheld_records(brief, project):
    """The view: no withheld record, and no reference to one, however it was made."""
    view = brief.project
    assert "2021-04-20-amber-meeting" not in view.incidents and "grey-unit" not in view.actors
    assert ("incident", "2021-04-20-amber-meeting") in brief.hidden
    clash = view.incidents["2021-03-12-checkpoint-clash"]
    assert "grey-unit" in project.incidents["2021-03-12-checkpoint-clash"].actor_ids()
    assert "grey-unit" not in clash.actor_ids() and select.WITHHELD_ID in clash.actor_ids()
    named = {ref.actor for i in view.incidents.values() for ref in i.actors} | {
        c.actor for i in view.incidents.values() for c in i.claims if c.actor}
    assert named <= set(view.actors) | {select.WITHHELD_ID}
    linked = {other for i in view.incidents.values() for other in (*i.responds_to, *i.related)}
    assert linked <= set(view.incidents)
    assert {a.actor for actor in view.actors.values() for a in actor.affiliations} <= set(view.actors)
    assert {leader.incident for actor in view.actors.values() for leader in actor.leaders} <= {
        *view.incidents, None}
    cited = {s.outlet for r in (*view.incidents.values(), *view.actors.values()) for s in r.sources}
    assert set(view.outlets) == cited
    assert [r.id for r in view.config.reports] == ["fixture-brief"] and not view.config.distribution_lists
    assert brief.incidents[2] is view.incidents["2021-03-12-checkpoint-clash"]


def test_nothing_after_the_cut_off_is_shown(project):
    wanted = report(project, "fixture-brief")
    early = wanted.model_copy(update={"cutoff": dt.date(2021, 3, 12)})
    assert ids(select.select(project, early).incidents) == [
        "2021-03-02-depot-rocket-attack", "2021-03-10-convoy-drone-strike",
        "2021-03-12-checkpoint-clash"]


def test_every_role_has_a_place_in_the_order():
    assert set(ROLE_ORDER) == set(get_args(ActorRole))


def test_contested_claims(brief, project):
    assert brief.contested(project.incidents["2021-03-12-checkpoint-clash"]) == [
        "claimed by An unknown group", "denied by Southern Brigade"]
    assert brief.contested(project.incidents["2021-03-02-depot-rocket-attack"]) == []


def test_actor_figures(brief, project):
    """Method rules `roles`, `profile-casualties` and `seen`, worked out from the fixture."""
    northern = brief.figures(project.actors["northern-brigade"])
    assert ids(northern.carried_out) == ["2021-03-02-depot-rocket-attack"]
    assert ids(northern.targeted) == ["2021-03-10-convoy-drone-strike"]
    assert northern.claimed == [] and northern.attributed == []
    # Its own dead: 2, "at least 3", "several": the floors are above the only count.
    assert northern.killed_among == Range(2, 3, at_least=True)
    assert northern.injured_among is None  # no source reported any
    # In the depot attack it carried out: Blue Force injured "at least 2" and 3, which agree.
    assert [(p.name, p.figure) for p in northern.injured_in_its_incidents] == [
        ("Blue Force", Range(3, 3))]
    assert (northern.first_seen.date, northern.last_seen.date) == (
        dt.date(2021, 3, 2), dt.date(2021, 3, 10))
    # The Umbrella Front claimed the depot attack that the Northern Brigade carried out: it
    # counts in the front's own column, whoever else is recorded.
    front = brief.figures(project.actors["umbrella-front"])
    assert ids(front.claimed) == ["2021-03-02-depot-rocket-attack"]
    assert ids(front.carried_out) == ["2021-05-01-front-announcement"]  # its own announcement
    southern = brief.figures(project.actors["southern-brigade"])
    assert ids(southern.attributed) == ["2021-03-12-checkpoint-clash"]
    blue = brief.figures(project.actors["blue-force"])
    # It intercepted the drone, dated only to its week: last seen that week.
    assert blue.last_seen == select.Seen(dt.date(2021, 4, 7), "week")
    assert ids(blue.recent)[0] == "2021-04-05-drone-intercepted"


def test_groups_by_month_and_week(brief, front):
    assert [(g.anchor, len(g.incidents)) for g in brief.groups()] == [
        ("chron-2021-03", 4), ("chron-2021-04", 1), ("chron-2021-05", 1)]
    assert [g.start for g in front.groups()] == [
        dt.date(2021, 3, 1), dt.date(2021, 3, 8), dt.date(2021, 4, 5), dt.date(2021, 4, 26)]


def test_citations_are_grouped_by_outlet_with_profile_sources(brief):
    groups = {g.outlet_id: g for g in brief.citations()}
    assert sorted(groups) == ["blue-command", "fictional-wire", "imaginary-times", "pretend-channel"]
    times = groups["imaginary-times"].citations
    assert times[0].actor.id == "northern-brigade"
    assert sum(len(g.citations) for g in groups.values()) == 11


def test_utc_time_and_order(project):
    strike = project.incidents["2021-03-10-convoy-drone-strike"]
    assert f"{strike.utc_moment:%H:%M}" == "18:30"
    assert select.effective_marking(project, strike) == Marking.CLEAR


def test_a_tally_above_the_reports_marking_is_withheld_with_the_outlets_only_it_cites(project):
    tally = project.tallies["blue-command-attacks"]
    amber = tally.model_copy(update={"marking": Marking.AMBER})
    marked = dataclasses.replace(project, tallies={tally.id: amber})
    report = project.config.report("fixture-brief")  # TLP:GREEN
    assert select.redact(marked, report).tallies == {}
    assert select.redact(project, report).tallies == {tally.id: tally}


def test_the_analysis_shows_only_the_counts_of_the_period_up_to_the_cutoff(project):
    report = project.config.report("fixture-brief").model_copy(
        update={"cutoff": dt.date(2021, 4, 1)})
    report = report.model_copy(update={"period": report.period.model_copy(
        update={"to": dt.date(2021, 3, 31)})})
    [tally] = analyse_report(select.select(project, report)).tallies
    assert [c.date for c in tally.counts] == [dt.date(2021, 3, 15)]  # 30 April is after it


def test_a_response_a_claimant_presented_as_one_is_shown_as_theirs_both_ways(brief, project):
    drone = project.incidents["2021-04-05-drone-intercepted"]
    exercise = project.incidents["2021-03-20-blue-force-exercise"]
    [link] = brief.responds_to(drone)
    assert (link.incident.id, link.framed_by) == (exercise.id, ("Southern Brigade",))
    [back] = brief.answered_by(exercise)
    assert (back.incident.id, back.framed_by) == (drone.id, ("Southern Brigade",))
    assert brief.responds_to(project.incidents["2021-03-12-checkpoint-clash"])[0].framed_by == ()


def test_a_claims_answers_is_a_response_link_even_without_responds_to(project):
    drone = project.incidents["2021-04-05-drone-intercepted"].model_copy(update={"responds_to": []})
    assert drone.response_ids() == ["2021-03-20-blue-force-exercise"]
