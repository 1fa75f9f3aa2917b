"""Sections follow the report's order; the analysis sections appear only with analysis data."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from reportgen.analyse import analyse_report
from reportgen.model.common import Period
from reportgen.pipeline import open_project
from reportgen.render.text import render_report
from reportgen.select import select
from tests.support.briefings import FIXTURE, TODAY


def rendered(report_id: str, with_analysis: bool = False, **options) -> dict[str, str]:
    project = open_project(FIXTURE, today=TODAY)
    report = next(r for r in project.config.reports if r.id == report_id)
    selection = select(project, report)
    analysis = analyse_report(selection, **options) if with_analysis else None
    return render_report(project, report, selection=selection, analysis=analysis)


def main_sections(html: str) -> list[str]:
    return [s["id"] for s in BeautifulSoup(html, "html.parser").select("main > section")]


def test_sections_in_the_report_order_without_analysis():
    assert main_sections(rendered("fixture-brief")["html"]) == [
        "bottom-line", "key-judgments", "chronology", "actors", "sources", "actor-index"]
    assert main_sections(rendered("fixture-front")["html"]) == [
        "chronology", "actors", "sources", "actor-index"]


def test_analysis_sections_appear_when_the_analysis_provides_them(tmp_path):
    outputs = rendered("fixture-brief", True, build_dir=tmp_path, since=dt.date(2021, 3, 1))
    page = BeautifulSoup(outputs["html"], "html.parser")
    assert main_sections(outputs["html"]) == [
        "bottom-line", "key-judgments", "escalation", "changes", "chronology", "actors", "sources",
        "actor-index"]
    assert [a["href"] for a in page.select("nav a")][2:4] == ["#escalation", "#changes"]
    assert [h.get_text() for h in page.find(id="escalation").find_all("h3")] == [
        "Turning points", "Tempo by week", "Action and reaction", "The escalation ladder"]
    assert "No record of an issue of this report dated on or before 1 Mar 2021" in (
        page.find(id="changes").get_text())
    assert '## <a id="escalation"></a>Escalation overview' in outputs["md"]
    assert '### <a id="turning-points"></a>Turning points' in outputs["md"]


def test_without_a_previous_issue_there_is_no_changes_section():
    assert "changes" not in main_sections(rendered("fixture-brief", True)["html"])


def test_a_curators_override_rung_wins_and_shows_its_rationale():
    page = BeautifulSoup(rendered("fixture-brief", True)["html"], "html.parser")
    rung = page.find(id="inc-2021-03-10-convoy-drone-strike").find("dt", string="Escalation")
    assert " ".join(rung.find_next_sibling("dd").get_text().split()) == (
        "Rung 6: Leadership targeting (analyst's assessment: A named commander was killed.)")


def test_the_cover_is_optional_but_title_and_marking_are_not():
    project = open_project(FIXTURE, today=TODAY)
    report = project.config.reports[0].model_copy(update={"sections": ["chronology"]})
    html = render_report(project, report, selection=select(project, report))["html"]
    page = BeautifulSoup(html, "html.parser")
    assert page.find("h1").get_text() == report.title
    assert page.select_one("header .tlp").get_text() == "TLP:GREEN"
    assert page.find("dl", class_="cover-facts") is None
    assert main_sections(html) == ["chronology"]


def test_a_report_with_nothing_selected_still_renders():
    project = open_project(FIXTURE, today=TODAY)
    report = project.config.reports[1].model_copy(
        update={"period": Period.model_validate({"from": "2019-01-01", "to": "2019-01-31"})})
    outputs = render_report(project, report)
    # the actor the report is about keeps its profile, with nothing seen in the period
    assert main_sections(outputs["html"]) == ["chronology", "actors", "sources", "actor-index"]
    assert "| First seen | – |" in outputs["md"]
    assert "No incidents in this period match the report's filters." in outputs["md"]
    assert "No sources are cited." in outputs["md"]
