"""Sections follow the report's order; those with nothing to show are left out."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from reportgen.model.common import Period
from reportgen.pipeline import open_project
from tests.support.briefings import FIXTURE, TODAY, texts


def rendered(report_id: str, since: dt.date | None = None) -> dict[str, str]:
    project = open_project(FIXTURE, today=TODAY)
    return texts(project, project.config.report(report_id), since=since)


def main_sections(html: str) -> list[str]:
    return [s["id"] for s in BeautifulSoup(html, "html.parser").select("main > section")]


def test_sections_in_the_report_order():
    assert main_sections(rendered("fixture-brief")["html"]) == [
        "bottom-line", "key-judgments", "escalation", "chronology", "actors", "outlook", "sources",
        "actor-index"]
    assert main_sections(rendered("fixture-front")["html"]) == [  # it asks for no escalation
        "chronology", "actors", "sources", "actor-index"]


def test_every_briefing_has_its_analysis_and_what_changed_when_asked():
    """No call makes a smaller briefing: the escalation overview is always there, and "what
    changed" whenever there is an issue to compare with (here none was recorded)."""
    outputs = rendered("fixture-brief", since=dt.date(2021, 3, 1))
    page = BeautifulSoup(outputs["html"], "html.parser")
    assert main_sections(outputs["html"]) == [
        "bottom-line", "key-judgments", "escalation", "changes", "chronology", "actors", "outlook",
        "sources", "actor-index"]
    assert [a["href"] for a in page.select("nav a")][2:4] == ["#escalation", "#changes"]
    assert [h.get_text() for h in page.find(id="escalation").find_all("h3")] == [
        "Turning points", "Tempo by week", "Action and reaction", "The escalation ladder"]
    assert "No record of an issue of this report dated on or before 1 Mar 2021" in (
        page.find(id="changes").get_text())
    assert '## <a id="escalation"></a>Escalation overview' in outputs["md"]
    assert '### <a id="turning-points"></a>Turning points' in outputs["md"]


def test_without_a_previous_issue_there_is_no_changes_section():
    assert "changes" not in main_sections(rendered("fixture-brief")["html"])


def test_a_curators_override_rung_wins_and_shows_its_rationale():
    page = BeautifulSoup(rendered("fixture-brief")["html"], "html.parser")
    rung = page.find(id="inc-2021-03-10-convoy-drone-strike").find("dt", string="Escalation")
    assert " ".join(rung.find_next_sibling("dd").get_text().split()) == (
        "Rung 6: Leadership targeting (analyst's assessment: A named commander was killed.)")


def test_the_cover_is_optional_but_title_and_marking_are_not():
    project = open_project(FIXTURE, today=TODAY)
    report = project.config.reports[0].model_copy(update={"sections": ["chronology"]})
    html = texts(project, report)["html"]
    page = BeautifulSoup(html, "html.parser")
    assert page.find("h1").get_text() == report.title
    assert page.select_one("header .tlp").get_text() == "TLP:GREEN"
    assert page.find("dl", class_="cover-facts") is None
    assert main_sections(html) == ["chronology"]


def test_a_report_with_nothing_selected_still_renders():
    project = open_project(FIXTURE, today=TODAY)
    report = project.config.reports[1].model_copy(
        update={"period": Period.model_validate({"from": "2019-01-01", "to": "2019-01-31"})})
    outputs = texts(project, report)
    # the actor the report is about keeps its profile, with nothing seen in the period
    assert main_sections(outputs["html"]) == ["chronology", "actors", "sources", "actor-index"]
    assert "| First seen | – |" in outputs["md"]
    assert "No incidents in this period match the report's filters." in outputs["md"]
    assert "No sources are cited." in outputs["md"]
