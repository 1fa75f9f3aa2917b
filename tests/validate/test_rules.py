"""Every validation rule, each with a small bad file: the message, the file and the line."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.pipeline import open_project
from reportgen.problems import Severity
from tests.conftest import TODAY
from tests.support.briefings import FIXTURE
from tests.support.synthetic import write_corpus

ROOT = Path(__file__).resolve().parents[2]

INCIDENT = """\
id: {id}
title: Fictional test event
date: 2022-01-05
location:
  place: Testville
  country: "IQ"
type: Air/drone strike
actors:
  - actor: synthetic-actor-1
    role: perpetrator
sources:
  - outlet: synthetic-wire
    date: 2022-01-05
    grade: C3
"""
INCIDENT_ID = "2022-01-05-test-event"
INCIDENT_PATH = f"incidents/2022/{INCIDENT_ID}.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_corpus(tmp_path / "p", incidents=6, actors=4)
    write(root, INCIDENT_PATH, INCIDENT.format(id=INCIDENT_ID))
    return root


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def problems(root: Path):
    return open_project(root, today=TODAY).problems


def only(root: Path, severity: Severity = Severity.ERROR):
    found = [p for p in problems(root) if p.severity is severity]
    assert len(found) == 1, "\n".join(map(str, found)) or "no problem found"
    return found[0]


def incident_with(root: Path, old: str, new: str) -> None:
    text = INCIDENT.format(id=INCIDENT_ID)
    assert old in text
    write(root, INCIDENT_PATH, text.replace(old, new, 1))


def test_base_project_is_clean(project: Path):
    assert problems(project) == []


def test_unknown_field_with_suggestion(project: Path):
    incident_with(project, "title:", "sumary: oops\ntitle:")
    problem = only(project)
    assert (problem.path, problem.line, problem.column) == (INCIDENT_PATH, 2, 1)
    assert "unknown field 'sumary'" in problem.message
    assert "did you mean 'summary'" in problem.hint


def test_unknown_nested_field(project: Path):
    incident_with(project, "  country:", "  contry: IQ\n  country:")
    problem = only(project)
    assert problem.line == 6 and "unknown field 'contry'" in problem.message
    assert "'country'" in problem.hint


def test_duplicate_key(project: Path):
    incident_with(project, "type:", "title: Again\ntype:")
    problem = only(project)
    assert problem.line == 7
    assert "duplicate key 'title' (first defined on line 2)" in problem.message


def test_missing_required_field(project: Path):
    incident_with(project, "title: Fictional test event\n", "")
    problem = only(project)
    assert problem.line == 1 and "missing required field 'title'" in problem.message


def test_id_must_equal_file_stem(project: Path):
    incident_with(project, f"id: {INCIDENT_ID}", "id: 2022-01-05-other-name")
    problem = only(project)
    assert problem.line == 1 and "does not match the file name" in problem.message


def test_duplicate_ids_across_folders(project: Path):
    write(project, f"incidents/extra/{INCIDENT_ID}.yaml", INCIDENT.format(id=INCIDENT_ID))
    problem = only(project)
    assert "duplicate incident id" in problem.message
    assert INCIDENT_PATH in problem.message or problem.path == INCIDENT_PATH


def test_id_with_path_characters_is_refused(project: Path):
    incident_with(project, f"id: {INCIDENT_ID}", "id: ../../etc/passwd")
    problem = only(project)
    assert problem.line == 1 and "is not a valid id" in problem.message


def test_unknown_actor_with_did_you_mean(project: Path):
    incident_with(project, "actor: synthetic-actor-1", "actor: synthetic-actr-1")
    problem = only(project)
    assert (problem.line, problem.column) == (9, 5)
    assert "unknown actor 'synthetic-actr-1'" in problem.message
    assert "did you mean 'synthetic-actor-1'" in problem.hint


@pytest.mark.parametrize(
    "reference", ["Synthetic Brigade 1", "SB1", "synthetic_actor_1", "SYNTHETIC BRIGADE-1"])
def test_actor_resolved_by_name_or_alias_ignoring_case_and_punctuation(project: Path, reference):
    incident_with(project, "actor: synthetic-actor-1", f"actor: '{reference}'")
    assert problems(project) == []
    incident = open_project(project, today=TODAY).incidents[INCIDENT_ID]
    assert incident.actors[0].actor == "synthetic-actor-1"  # canonical id downstream


def test_unknown_responds_to(project: Path):
    incident_with(project, "sources:", "responds_to: [2022-01-04-nothing]\nsources:")
    problem = only(project)
    assert problem.line == 11 and "unknown incident '2022-01-04-nothing'" in problem.message


def test_responds_to_cannot_point_forward_in_time(project: Path):
    later = "2022-03-01-later-event"
    write(project, f"incidents/2022/{later}.yaml", INCIDENT.format(id=later).replace(
        "2022-01-05", "2022-03-01"))
    incident_with(project, "sources:", f"responds_to: [{later}]\nsources:")
    problem = only(project)
    assert problem.path == INCIDENT_PATH and problem.line == 11
    assert "later than this incident" in problem.message


def test_self_reference(project: Path):
    incident_with(project, "sources:", f"related: [{INCIDENT_ID}]\nsources:")
    assert "points at the incident itself" in only(project).message


def test_same_day_response_loop(project: Path):
    other = "2022-01-05-second-event"
    write(project, f"incidents/2022/{other}.yaml", INCIDENT.format(id=other).replace(
        "sources:", f"responds_to: [{INCIDENT_ID}]\nsources:"))
    incident_with(project, "sources:", f"responds_to: [{other}]\nsources:")
    found = [p for p in problems(project) if "loop" in p.message]
    assert found and all(p.line == 11 for p in found)


def test_date_that_does_not_exist(project: Path):
    incident_with(project, "date: 2022-01-05\nlocation", "date: 2022-02-30\nlocation")
    problem = only(project)
    assert problem.line == 3 and "'2022-02-30' is not a valid date" in problem.message


def test_date_in_the_future(project: Path):
    write(project, INCIDENT_PATH, INCIDENT.format(id=INCIDENT_ID).replace("2022-01-05", "2099-01-05"))
    found = [(p.line, p.message) for p in problems(project)]
    assert (3, "date 2099-01-05 lies in the future") in found
    assert (13, "source date 2099-01-05 lies in the future") in found


def test_a_source_cannot_come_before_its_incident(project: Path):
    """A day before is a report dated by another clock (US Eastern time); a week-dated incident
    may be reported from the week's first day."""
    incident_with(project, "    date: 2022-01-05\n    grade", "    date: 2022-01-04\n    grade")
    assert problems(project) == []
    incident_with(project, "    date: 2022-01-05\n    grade", "    date: 2021-01-05\n    grade")
    problem = only(project)
    assert problem.line == 13 and "source date 2021-01-05 is before the incident" in problem.message
    write(project, INCIDENT_PATH, INCIDENT.format(id=INCIDENT_ID).replace(
        "date: 2022-01-05\nlocation", "date: 2022-01-06\ndate_precision: week\nlocation").replace(
        "    date: 2022-01-05\n    grade", "    date: 2022-01-02\n    grade"))
    assert [p.message for p in problems(project) if "before the incident" in p.message] == []


def test_end_before_start(project: Path):
    incident_with(project, "location:", "end: 2022-01-01\nlocation:")
    problem = only(project)
    assert problem.line == 4 and "is before the start" in problem.message


def test_local_and_utc_time_disagree_is_a_warning(project: Path):
    # The worked check from STANDARDS.md: 21:30 Baghdad (UTC+3) is 18:30 UTC, not 19:30.
    incident_with(project, "location:", 'time: "21:30"\ntimezone: Asia/Baghdad\ntime_utc: "19:30"\nlocation:')
    problem = only(project, Severity.WARNING)
    assert problem.line == 6
    assert "is 18:30 UTC, but time_utc says 19:30" in problem.message
    assert [p for p in problems(project) if p.severity is Severity.ERROR] == []


def test_local_and_utc_time_that_agree(project: Path):
    incident_with(project, "location:", 'time: "21:30"\ntimezone: Asia/Baghdad\ntime_utc: "18:30"\nlocation:')
    assert problems(project) == []


def test_unknown_timezone(project: Path):
    incident_with(project, "location:", 'time: "21:30"\ntimezone: Asia/Atlantis\nlocation:')
    problem = only(project)
    assert problem.line == 5 and "unknown time zone 'Asia/Atlantis'" in problem.message


def test_casualty_range_min_above_max(project: Path):
    incident_with(project, "sources:", textwrap.dedent("""\
        casualties:
          - according_to: Synthetic Wire
            killed: {min: 5, max: 2}
        sources:"""))
    problem = only(project)
    assert problem.line == 13 and "min (5) is greater than max (2)" in problem.message


def test_vague_casualty_word_accepted_and_unknown_one_refused(project: Path):
    incident_with(project, "sources:", "casualties:\n  - according_to: X\n    killed: several\nsources:")
    assert problems(project) == []
    incident_with(project, "sources:", "casualties:\n  - according_to: X\n    killed: loads\nsources:")
    problem = only(project)
    assert problem.line == 13 and "'killed' has an invalid value 'loads'" in problem.message


def test_casualty_source_must_be_one_of_the_incidents_sources(project: Path):
    casualty = "casualties:\n  - according_to: X\n    source: dpa\n    killed: 1\nsources:"
    incident_with(project, "sources:", casualty)
    problem = only(project)
    assert problem.line == 13 and "'dpa' is not one of this incident's sources" in problem.message


def test_unknown_outlet(project: Path):
    incident_with(project, "outlet: synthetic-wire", "outlet: synthetic-wyre")
    problem = only(project)
    assert problem.line == 12 and "unknown outlet 'synthetic-wyre'" in problem.message
    assert "did you mean 'synthetic-wire'" in problem.hint


def test_one_report_graded_with_two_reliability_letters(project: Path):
    """The letter grades the source: the same report cited twice with B and C is a slip; a
    different credibility digit is not (it grades each piece of information)."""
    second = INCIDENT.format(id="2022-01-05-second-event").replace("grade: C3", "grade: B3")
    write(project, "incidents/2022/2022-01-05-second-event.yaml", second)
    problem = only(project, Severity.WARNING)
    assert problem.path.endswith("2022-01-05-test-event.yaml") and problem.line == 14
    assert "graded C3 here but B3 in incident '2022-01-05-second-event'" in problem.message
    write(project, "incidents/2022/2022-01-05-second-event.yaml", second.replace("B3", "C1"))
    assert not [p for p in problems(project) if "graded" in p.message]


def test_bad_admiralty_grade(project: Path):
    incident_with(project, "grade: C3", "grade: G9")
    problem = only(project)
    assert problem.line == 14 and "is not an Admiralty grade" in problem.message


def test_marking_must_be_a_tlp_2_label(project: Path):
    incident_with(project, "sources:", "marking: TLP:WHITE\nsources:")
    problem = only(project)
    assert problem.line == 11 and "'TLP:WHITE' is not a TLP 2.0 label" in problem.message
    assert "TLP:CLEAR" in problem.hint


def test_norway_stays_a_country(project: Path):
    incident_with(project, 'country: "IQ"', "country: NO")
    assert problems(project) == []
    assert open_project(project, today=TODAY).incidents[INCIDENT_ID].location.country == "NO"


def test_number_where_text_is_expected(project: Path):
    incident_with(project, "place: Testville", "place: 010")
    problem = only(project)
    assert problem.line == 5 and "must be text" in problem.message and "quotes" in problem.hint


def test_country_code_must_exist(project: Path):
    incident_with(project, 'country: "IQ"', 'country: "XX"')
    problem = only(project)
    assert problem.line == 6 and "'XX' is not an ISO 3166-1 alpha-2 country code" in problem.message


def test_unknown_event_type_gets_a_suggestion(project: Path):
    incident_with(project, "type: Air/drone strike", "type: Air/drone strikes")
    problem = only(project)
    assert problem.line == 7 and "did you mean 'Air/drone strike'" in problem.hint


def config_text(root: Path) -> str:
    return (root / "reportgen.yaml").read_text(encoding="utf-8")


def test_report_period_from_after_to(project: Path):
    text = config_text(project).replace("from: '2021-01-01'", "from: '2030-01-01'")
    write(project, "reportgen.yaml", text)
    problem = only(project)
    assert problem.path == "reportgen.yaml" and "report period starts" in problem.message


def test_report_filter_names_a_known_actor(project: Path):
    text = config_text(project).replace("filters: {}", "filters: {actors: [synthetic-actor-9]}")
    write(project, "reportgen.yaml", text)
    problem = only(project)
    assert problem.path == "reportgen.yaml" and "unknown actor 'synthetic-actor-9'" in problem.message
    assert "did you mean 'synthetic-actor-" in problem.hint


def test_report_filter_names_a_known_country(project: Path):
    text = config_text(project).replace("filters: {}", "filters: {countries: [ZZ]}")
    write(project, "reportgen.yaml", text)
    problem = only(project)
    assert problem.path == "reportgen.yaml"
    assert "'ZZ' is not an ISO 3166-1 alpha-2 country code" in problem.message


def test_key_judgment_likelihood_must_be_an_icd_203_term(project: Path):
    text = config_text(project).replace(
        "filters: {}", "filters: {}\n  key_judgments:\n  - {text: X, likelihood: probably, confidence: high}")
    write(project, "reportgen.yaml", text)
    problem = only(project)
    assert "'probably' is not an allowed value" in problem.message


@pytest.mark.parametrize(("written", "meant"), [
    ("Rocket attack", "Shelling/artillery/missile attack"),
    ("Intercepted drone", "Disrupted weapons use"), ("drone strike", "Air/drone strike"),
    ("Roadside bomb", "Remote explosive/landmine/IED"), ("Air/drone strikes", "Air/drone strike"),
    ("Armed clashes", "Armed clash"), ("Peaceful protests", "Peaceful protest")])
def test_an_event_type_in_a_curator_s_words_gets_the_acled_type_it_means(project: Path, written, meant):
    """Spelling alone would offer 'Attack' (ACLED's attack on civilians) for 'Rocket attack'."""
    incident_with(project, "type: Air/drone strike", f"type: {written}")
    problem = only(project)
    assert problem.message == f"'{written}' is not an allowed value"
    assert problem.hint == f"did you mean '{meant}'?"


def test_key_judgments_may_not_mix_icd_columns(project: Path):
    text = config_text(project).replace(
        "filters: {}", "filters: {}\n  key_judgments:\n  - {text: X, likelihood: likely, confidence: high}"
        "\n  - {text: Y, likelihood: probable, confidence: low}")
    write(project, "reportgen.yaml", text)
    assert "mixes the two ICD 203 columns" in only(project).message


# -- the outlook: indicators to watch ------------------------------------------------------------

IN_PERIOD = "2021-01-02-synthetic-2"
"""An incident of the synthetic report (its period runs 1-4 January 2021); INCIDENT_ID is later."""
WATCH = "time_frame: {from: 2021-01-01, to: 2021-02-28}"


def with_outlook(root: Path, *indicators: str, before: str = "") -> str:
    """The synthetic report with these indicators (YAML flow mappings, one a line); returns the
    text of reportgen.yaml."""
    block = "".join(f"\n  - {{text: Watch {i}, {indicator}}}" for i, indicator in enumerate(indicators))
    text = config_text(root).replace("filters: {}", f"filters: {{}}{before}\n  outlook:{block}")
    write(root, "reportgen.yaml", text)
    return text


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_an_outlook_of_known_incidents_in_the_selection_is_clean(project: Path):
    with_outlook(project, f"{WATCH}, status: not-yet-observed, incidents: [{IN_PERIOD}]",
                 f"{WATCH}, status: observed, incidents: [{IN_PERIOD}], likelihood: likely",
                 "time_frame: {from: 2020-12-01, to: 2020-12-31}, status: no-longer-relevant",
                 f"{WATCH}, status: not-yet-observed, as_of: 2021-01-03, note: Nothing yet.")
    assert problems(project) == []


def test_an_outlook_incident_must_exist(project: Path):
    text = with_outlook(project, f"{WATCH}, status: observed, incidents: [{IN_PERIOD}]",
                        f"{WATCH}, status: observed, incidents: [2021-01-02-synthetic-22x]")
    problem = only(project)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 1"))
    assert problem.message == "unknown incident '2021-01-02-synthetic-22x'"
    assert problem.hint == f"did you mean '{IN_PERIOD}'?"


def test_an_outlook_incident_outside_the_selection_is_a_warning(project: Path):
    text = with_outlook(project, f"{WATCH}, status: observed, incidents: [{IN_PERIOD}, {INCIDENT_ID}]")
    problem = only(project, Severity.WARNING)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert problem.message == f"incident '{INCIDENT_ID}' is not among this report's incidents"
    assert "without a link" in problem.hint
    assert not [p for p in problems(project) if p.severity is Severity.ERROR]


def test_an_outlook_incident_before_the_period_is_earlier_evidence_and_no_warning(project: Path):
    """A carried-over outlook names last week's incidents: named without a link, no warning
    (`reportgen next` puts the outlook on review instead)."""
    earlier = "2020-12-30-earlier-event"
    write(project, f"incidents/2020/{earlier}.yaml", INCIDENT.format(id=earlier)
          .replace("2022-01-05", "2020-12-30"))
    with_outlook(project, f"{WATCH}, status: observed, incidents: [{IN_PERIOD}, {earlier}]")
    assert problems(project) == []


def test_an_outlook_draft_incident_is_a_warning_that_it_is_left_out(project: Path):
    draft = "2021-01-03-draft-event"
    write(project, f"incidents/2021/{draft}.yaml", INCIDENT.format(id=draft)
          .replace("2022-01-05", "2021-01-03") + "status: draft\n")
    with_outlook(project, f"{WATCH}, status: not-yet-observed, incidents: [{draft}]")
    problem = only(project, Severity.WARNING)
    assert problem.message == f"incident '{draft}' is not among this report's incidents"
    assert "leaves it out" in problem.hint


def test_an_outlook_incident_the_marking_withholds_is_a_warning_that_it_is_left_out(project: Path):
    amber = "2021-01-03-amber-event"
    write(project, f"incidents/2021/{amber}.yaml", INCIDENT.format(id=amber)
          .replace("2022-01-05", "2021-01-03") + "marking: TLP:AMBER\n")
    with_outlook(project, f"{WATCH}, status: observed, incidents: [{amber}]")
    problem = only(project, Severity.WARNING)
    assert problem.message == f"incident '{amber}' is not among this report's incidents"
    assert "leaves it out" in problem.hint


def test_an_observed_indicator_names_what_was_observed(project: Path):
    text = with_outlook(project, f"{WATCH}, status: observed")
    problem = only(project, Severity.WARNING)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert "no incident shows what was observed" in problem.message


def test_a_time_frame_over_before_the_cutoff_while_not_yet_observed_is_stale(project: Path):
    text = with_outlook(project, "time_frame: {from: 2021-01-01, to: 2021-01-02}, status: not-yet-observed")
    problem = only(project, Severity.WARNING)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert problem.message == ("time frame ended 2021-01-02, before the cut-off 2021-01-04, yet the "
                               "indicator is still not yet observed")


def test_an_indicator_time_frame_runs_forward(project: Path):
    text = with_outlook(project, "time_frame: {from: 2021-03-01, to: 2021-02-01}, status: no-longer-relevant")
    problem = only(project)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert problem.message == "time frame starts 2021-03-01, after it ends 2021-02-01"


def test_an_indicator_status_is_one_of_the_three(project: Path):
    text = with_outlook(project, f"{WATCH}, status: seen")
    problem = only(project)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert "seen" in problem.message


def test_an_indicator_status_cannot_be_known_after_the_cutoff(project: Path):
    text = with_outlook(project, f"{WATCH}, status: not-yet-observed, as_of: 2021-01-05")
    problem = only(project)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert problem.message == "status as of 2021-01-05, after the report's cut-off 2021-01-04"


def test_an_indicator_names_a_key_judgment_the_report_has(project: Path):
    text = with_outlook(project, f"{WATCH}, status: not-yet-observed, judgment: 2",
                        before="\n  key_judgments:\n  - {text: X, likelihood: likely, confidence: high}")
    problem = only(project)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert problem.message == "there is no key judgment 2" and "it has 1" in problem.hint


def test_an_indicator_of_a_report_without_key_judgments_names_none(project: Path):
    with_outlook(project, f"{WATCH}, status: not-yet-observed, judgment: 1")
    problem = only(project)
    assert problem.message == "there is no key judgment 1" and "no key judgments" in problem.hint


def test_an_indicator_likelihood_must_be_an_icd_203_term(project: Path):
    text = with_outlook(project, f"{WATCH}, status: not-yet-observed, likelihood: probably")
    problem = only(project)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert "'probably' is not an allowed value" in problem.message


def test_the_outlook_may_not_mix_icd_columns_with_the_key_judgments(project: Path):
    text = with_outlook(project, f"{WATCH}, status: not-yet-observed, likelihood: probable",
                        before="\n  key_judgments:\n  - {text: X, likelihood: likely, confidence: high}")
    problem = only(project)
    assert (problem.path, problem.line) == ("reportgen.yaml", line_of(text, "Watch 0"))
    assert problem.message == "'probable' mixes the two ICD 203 columns in one report"


def test_affiliation_to_unknown_actor(project: Path):
    path = project / "actors" / "synthetic-actor-2.yaml"
    path.write_text(path.read_text() + "affiliations:\n- actor: synthetic-actor-77\n  relation: member-of\n")
    problem = only(project)
    assert problem.path == "actors/synthetic-actor-2.yaml" and "unknown actor" in problem.message


def test_check_command_text_output_and_exit_codes(project: Path):
    runner = CliRunner()
    clean = runner.invoke(main, ["check", "-C", str(project)])
    assert clean.exit_code == 0, clean.output
    assert clean.output.strip().endswith("7 incidents, 4 actors, 1 report: 0 errors, 0 warnings")
    incident_with(project, "actor: synthetic-actor-1", "actor: synthetic-actr-1")
    bad = runner.invoke(main, ["check", "-C", str(project)])
    assert bad.exit_code == 1
    first = bad.output.splitlines()[0]
    assert first == (f"{INCIDENT_PATH}:9:5: error: unknown actor 'synthetic-actr-1' "
                     "(did you mean 'synthetic-actor-1'?)")


def test_check_command_json_output(project: Path):
    incident_with(project, "grade: C3", "grade: C9")
    result = CliRunner().invoke(main, ["check", "-C", str(project), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["problems"][0]["line"] == 14 and data["problems"][0]["severity"] == "error"
    assert data["summary"].endswith("1 error, 0 warnings")


def test_missing_config_is_a_located_error(tmp_path: Path):
    result = CliRunner().invoke(main, ["check", "-C", str(tmp_path)])
    assert result.exit_code == 1 and "no reportgen.yaml" in result.output


def test_today_default_is_the_real_date(project: Path):
    assert open_project(project).problems == [] and dt.date.today() >= TODAY


def actor_with(root: Path, number: int, extra: str) -> None:
    path = root / "actors" / f"synthetic-actor-{number}.yaml"
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def alias_for(root: Path, number: int, alias: str) -> None:
    path = root / "actors" / f"synthetic-actor-{number}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"- SB{number}\n", f"- SB{number}\n- {alias}\n"), encoding="utf-8")


def test_an_alias_spelled_like_another_actors_id_is_refused_and_the_id_keeps_its_actor(project: Path):
    alias_for(project, 2, "Synthetic Actor 1")
    problem = only(project)
    assert problem.path == "actors/synthetic-actor-2.yaml"
    assert problem.message == "alias 'Synthetic Actor 1' is the id of actor 'synthetic-actor-1'"
    incident = open_project(project, today=TODAY).incidents[INCIDENT_ID]
    assert incident.actors[0].actor == "synthetic-actor-1"  # no error at every reference to it


def test_a_punctuation_only_reference_never_matches_a_punctuation_only_alias(project: Path):
    alias_for(project, 2, "'!!!'")
    incident_with(project, "actor: synthetic-actor-1", "actor: '?'")
    found = {(p.path, p.message) for p in problems(project)}
    assert found == {
        ("actors/synthetic-actor-2.yaml", "alias '!!!' has no letter or digit, so no reference can match it"),
        (INCIDENT_PATH, "actor reference '?' has no letter or digit, so it names no actor")}


def test_the_plausible_casualty_bound_is_a_project_setting(project: Path):
    incident_with(project, "sources:", "casualties:\n  - according_to: X\n    killed: 150\n"
                  "    injured: {min: 20, max: 120}\nsources:")
    assert problems(project) == []  # under the default bound, 10,000
    text = config_text(project).replace("desk: Synthetic Desk",
                                        "desk: Synthetic Desk\n  max_plausible_casualties: 100")
    write(project, "reportgen.yaml", text)
    found = [(p.line, p.message) for p in problems(project)]
    assert found == [(13, "killed 150 is above 100, the most this project expects of one incident"),
                     (14, "injured 120 is above 100, the most this project expects of one incident")]
    assert all(p.severity is Severity.WARNING for p in problems(project))


def test_a_repeated_local_time_is_settled_by_time_utc(project: Path):
    incident_with(project, "date: 2022-01-05\nlocation", 'date: 2022-10-30\ntime: "02:30"\n'
                  'timezone: Europe/Berlin\ntime_utc: "01:30"\nlocation')
    about_the_time = [p for p in problems(project) if "02:30" in p.message]
    assert about_the_time == []  # 02:30 CET, the second of the two
    incident_with(project, "date: 2022-01-05\nlocation", 'date: 2022-10-30\ntime: "02:30"\n'
                  'timezone: Europe/Berlin\ntime_utc: "05:00"\nlocation')
    problem = next(p for p in problems(project) if "02:30" in p.message)
    assert problem.message == ("local time 02:30 Europe/Berlin is 00:30 or 01:30 UTC, "
                               "but time_utc says 05:00")


def test_every_date_of_an_actor_lies_in_the_past(project: Path):
    actor_with(project, 2, "leaders:\n  - name: A fictional leader\n    since: 2020-01-01\n"
               "    until: 2030-06-30\n")
    problem = only(project)
    assert (problem.path, problem.message) == ("actors/synthetic-actor-2.yaml",
                                               "leader until 2030-06-30 lies in the future")


def test_the_date_check_reaches_every_date_a_record_holds():
    """Every date in the example's records, however deep, is one `dates_of` finds: a date field
    added to a model is checked without a rule of its own."""
    from reportgen.validate.rules import dates_of

    def every_date(value):
        if isinstance(value, dt.date):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from every_date(item)
        elif isinstance(value, list):
            for item in value:
                yield from every_date(item)

    project = open_project(ROOT)
    records = [*project.incidents.values(), *project.actors.values(), *project.tallies.values()]
    assert sum(len([d for _, d in dates_of(r)]) for r in records) > 250
    for record in records:
        assert sorted(d for _, d in dates_of(record)) == sorted(every_date(record.model_dump()))


def test_coordinates_are_checked_only_where_the_country_has_an_outline(project: Path):
    incident_with(project, '  country: "IQ"\n', '  country: "BV"\n  lat: 26.2\n  lon: 50.6\n')
    assert problems(project) == []  # Bouvet Island has no outline of its own: nothing to check
    incident_with(project, '  country: "IQ"\n', '  country: "BH"\n  lat: 26.2\n  lon: 50.6\n')
    assert problems(project) == []  # in Bahrain
    incident_with(project, '  country: "IQ"\n', '  country: "IQ"\n  lat: 26.2\n  lon: 50.6\n')
    assert only(project, Severity.WARNING).message == (
        "coordinates 26.2, 50.6 are not in Iraq (nor within 0.25° of it)")


def test_a_named_place_of_an_incident_is_checked_as_its_own_point_is(project: Path):
    incident_with(project, '  country: "IQ"\n', '  country: "IQ"\n  sites:\n'
                  '    - {name: Fake north, lat: 36.19, lon: 44.01}\n'
                  '    - {name: Fake swapped, lat: 44.01, lon: 36.19}\n')
    problem = only(project, Severity.WARNING)
    assert problem.message == ("lat 44.01 and lon 36.19 look swapped: only the other way round "
                               "are they in Iraq")
    text = (project / INCIDENT_PATH).read_text(encoding="utf-8").splitlines()
    assert "Fake swapped" in text[problem.line - 1], "located at the place's line"


@pytest.mark.parametrize("lat, lon, country, inside", [
    (35.33, 40.14, "IQ", False),  # Deir ez-Zor is in Syria, though inside a box around Iraq
    (35.33, 40.14, "SY", True), (33.31, 44.37, "IQ", True), (36.19, 44.01, "IQ", True),
    (31.95, 35.93, "JO", True), (31.95, 35.93, "IQ", False), (33.31, 44.37, "SY", False)])
def test_coordinates_are_checked_against_the_outline_not_a_box(project: Path, lat, lon, country, inside):
    incident_with(project, '  country: "IQ"\n', f'  country: "{country}"\n  lat: {lat}\n  lon: {lon}\n')
    assert bool([p for p in problems(project) if "are not in" in p.message]) != inside


def test_a_joiner_inside_a_persian_name_is_kept_and_one_in_an_english_name_warned(project: Path):
    actor_with(project, 2, "native_name: \u0633\u067e\u0627\u0647 \u067e\u0627\u0633\u062f\u0627\u0631"
               "\u200c\u0627\u0646\n")
    assert problems(project) == []
    incident_with(project, "title: Fictional test event", "title: Fictional\u200c test event")
    problem = only(project, Severity.WARNING)
    assert (problem.line, problem.message) == (2, "title holds an invisible zero-width non-joiner (U+200C)")


def test_previous_issue_on_the_cutoff_and_cutoff_after_the_period_are_fine(project: Path):
    text = config_text(project).replace("filters: {}", "filters: {}\n  cutoff: '2023-01-10'\n"
                                        "  previous_issue: '2023-01-10'")
    write(project, "reportgen.yaml", text)
    assert problems(project) == []


# -- casualty parties and revisions -------------------------------------------------------------

def casualties_are(root: Path, block: str) -> None:
    path = root / INCIDENT_PATH
    path.write_text(INCIDENT.format(id=INCIDENT_ID) + textwrap.dedent(block), encoding="utf-8")


def test_a_casualty_party_is_an_actor_or_a_category(project: Path):
    casualties_are(project, """\
        casualties:
          - {according_to: Wire, killed: 2, party: SB1}
          - {according_to: Wire, killed: 1, party: civilians}
          - {according_to: Wire, killed: 1, party: security-forces}
        """)
    assert problems(project) == []
    incident = open_project(project, today=TODAY).incidents[INCIDENT_ID]
    assert [c.party for c in incident.casualties] == ["synthetic-actor-1", "civilians", "security-forces"]


def test_an_unknown_casualty_party_is_located(project: Path):
    casualties_are(project, """\
        casualties:
          - {according_to: Wire, killed: 2, party: synthetic-actr-1}
        """)
    problem = only(project)
    assert problem.line == 16 and "unknown actor 'synthetic-actr-1'" in problem.message


@pytest.mark.parametrize("block, message", [
    ("""\
        casualties:
          - {according_to: Wire, revises: later, killed: 2}
          - {according_to: Wire, id: later, killed: 3}
        """, "'later' is not the id of an earlier casualty figure"),
    ("""\
        casualties:
          - {according_to: Wire, id: first, revises: first, killed: 2}
        """, "'first' is not the id of an earlier casualty figure"),
    ("""\
        casualties:
          - {according_to: Wire, id: first, killed: 2}
          - {according_to: Wire, id: first, killed: 3}
        """, "two casualty figures share the id 'first'"),
])
def test_a_revision_names_an_earlier_figure(project: Path, block: str, message: str):
    casualties_are(project, block)
    assert message in only(project).message


PARTIES = ["civilians", "security-forces", "SB1", None]
"""Every kind of party a figure can name: categories, an actor by alias, none (unknown)."""


@pytest.mark.parametrize("first", PARTIES)
@pytest.mark.parametrize("later", PARTIES)
def test_a_revision_counts_the_party_it_revises(project: Path, first, later):
    """Every pair of parties: a revision is accepted only where it counts the same one (an
    alias of the same actor is the same party)."""
    def party(value):
        return f", party: {value}" if value else ""
    casualties_are(project, f"""\
        casualties:
          - {{according_to: Wire, id: first, killed: 4{party(first)}}}
          - {{according_to: Wire, revises: first, killed: 6{party(later)}}}
        """)
    found = [p for p in problems(project) if "revises 'first'" in p.message]
    assert bool(found) == (first != later)
    if found:
        assert found[0].line == 17


@pytest.mark.parametrize("first, later, ok", [
    ("killed: 4, injured: 2", "killed: 6", True), ("killed: 4, injured: 2", "injured: 3", True),
    ("killed: 4", "injured: 3", False), ("injured: 2", "killed: 1, injured: 3", False),
    ("killed: 4", "killed: 5, injured: 1", False)])
def test_a_revision_gives_only_what_the_figure_it_revises_gave(project: Path, first, later, ok):
    casualties_are(project, f"""\
        casualties:
          - {{according_to: Wire, id: first, {first}, party: civilians}}
          - {{according_to: Wire, revises: first, {later}, party: civilians}}
        """)
    found = [p for p in problems(project) if "which gives no" in p.message]
    assert (not found) == ok


def test_every_side_is_declared_with_its_label(project: Path):
    config = project / "reportgen.yaml"
    data = yaml.safe_load(config.read_text())
    del data["sides"]["red"]
    config.write_text(yaml.safe_dump(data))
    found = [p for p in problems(project) if "side 'red' is not declared" in p.message]
    assert found and all(p.path.startswith("actors/") for p in found)
    assert "sides:" in found[0].hint


# -- tallies ----------------------------------------------------------------------------------------

TALLY = """\
tallies:
  - id: synthetic-count
    title: Attacks counted by a synthetic ministry
    counted_by: Synthetic Ministry
    counts:
      - date: 2022-01-10
        count: 5
        according_to: A synthetic spokesperson
        source: {outlet: synthetic-wire, date: 2022-01-10, grade: C3}
      - date: 2022-01-20
        count: {min: 9}
        according_to: A synthetic spokesperson
        source: {outlet: synthetic-wire, date: 2022-01-20, grade: C3}
"""


def test_a_valid_tally_is_read(project: Path):
    write(project, "tallies.yaml", TALLY)
    assert problems(project) == []
    tally = open_project(project, today=TODAY).tallies["synthetic-count"]
    assert [c.date for c in tally.counts] == [dt.date(2022, 1, 10), dt.date(2022, 1, 20)]


@pytest.mark.parametrize("old, new, line, message", [
    ("{outlet: synthetic-wire, date: 2022-01-20", "{outlet: synthetic-wir, date: 2022-01-20", 13,
     "unknown outlet 'synthetic-wir'"),
    ("      - date: 2022-01-20", "      - date: 2099-01-20", 10, "count date 2099-01-20 lies in the future"),
    ("        count: 5", "        count: true", 7, "count"),
    ("        count: 5", "        count: 9223372036854775000", 7, "count"),
])
def test_a_tally_is_validated_like_every_record(project: Path, old, new, line, message):
    write(project, "tallies.yaml", TALLY.replace(old, new))
    problem = only(project)
    assert problem.path == "tallies.yaml" and problem.line == line and message in problem.message


@pytest.mark.parametrize("figure", ["killed: 1000000001", "injured: {min: 9223372036854775000}",
                                    "killed: {min: 1, max: 10000000000}"])
def test_no_count_beyond_a_billion_is_read(project: Path, figure: str):
    """Every whole number a file gives is a `Count`: none past MAX_COUNT reaches a briefing."""
    casualties_are(project, f"""\
        casualties:
          - {{according_to: Wire, {figure}}}
        """)
    assert only(project).line == 16


def test_a_running_count_that_goes_down_is_a_warning_unless_a_note_says_why(project: Path):
    lower = TALLY.replace("count: {min: 9}", "count: 3")
    write(project, "tallies.yaml", lower)
    warning = only(project, Severity.WARNING)
    assert "lower than an earlier one (5)" in warning.message
    write(project, "tallies.yaml", lower.replace("        count: 3\n",
                                                 "        count: 3\n        note: Revised down.\n"))
    assert problems(project) == []


def test_an_override_below_a_rung_the_rules_meet_warns_unless_it_names_that_rung(tmp_path: Path):
    root = tmp_path / "fixture"
    shutil.copytree(FIXTURE, root)
    config = root / "reportgen.yaml"
    config.write_text(config.read_text().replace(
        "  - {rung: 5, name: Lethal attacks}",
        "  - {rung: 5, name: Lethal attacks, when: [{min_killed: 1}]}"))
    clash = root / "incidents" / "2021" / "2021-03-12-checkpoint-clash.yaml"  # 1 killed: rung 5
    clash.write_text(clash.read_text() + "escalation: {rung: 2, rationale: Fictional judgement}\n")
    [warned] = [p for p in problems(root) if "below rung" in p.message]
    assert warned.severity is Severity.WARNING and warned.path.endswith("checkpoint-clash.yaml")
    assert "rung 2 is below rung 5 (Lethal attacks)" in warned.message and "instead_of: 5" in warned.hint
    clash.write_text(clash.read_text().replace("rationale: Fictional judgement}",
                                               "rationale: Fictional judgement, instead_of: 5}"))
    assert not [p for p in problems(root) if "below rung" in p.message]


def test_a_claims_answers_is_checked_like_responds_to(project: Path):
    casualties_are(project, """\
        claims:
          - {by: Wire, text: Called it a reply., answers: 2099-01-01-nothing}
        """)
    problem = only(project)
    assert (problem.line, "unknown incident '2099-01-01-nothing'") == (16, problem.message)


# -- drafts never block publication -----------------------------------------------------------

def test_a_drafts_errors_are_located_warnings_and_the_draft_is_left_out(project: Path):
    incident_with(project, "grade: C3\n", "grade: C3\nstatus: draft\nresponds_to: [2099-01-01-nothing]\n")
    problem = only(project, Severity.WARNING)
    assert "unknown incident '2099-01-01-nothing'" in problem.message and "a draft" in problem.hint
    assert not [p for p in problems(project) if p.severity is Severity.ERROR]
    assert INCIDENT_ID not in open_project(project, today=TODAY).incidents
    strict = open_project(project, today=TODAY, strict_drafts=True)
    assert [p.message for p in strict.errors] == [problem.message]


def test_a_published_records_errors_still_stop_everything(project: Path):
    incident_with(project, "grade: C3\n", "grade: C3\nresponds_to: [2099-01-01-nothing]\n")
    assert "unknown incident" in only(project).message


def test_a_draft_that_is_not_even_a_valid_record_is_a_warning_too(project: Path):
    incident_with(project, "date: 2022-01-05\n", "date: 2022-01-05\nstatus: draft\nkilled: 3\n")
    problem = only(project, Severity.WARNING)
    assert "killed" in problem.message and "a draft" in problem.hint
