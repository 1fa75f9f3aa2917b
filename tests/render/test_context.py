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
    """The sections in reading order: page 1's, the main text's, the annexes'."""
    page = BeautifulSoup(html, "html.parser")
    return [s["id"] for s in page.select(".front > section, main > section, main > .chapter > section, "
                                            "main > .annexes > .annex > section")]


FRONT = ["bottom-line", "key-judgments", "at-a-glance", "map"]
ANNEXES = ["evidence", "ladder", "responses", "weekly", "sources", "actor-index"]


def test_sections_in_the_report_order():
    assert main_sections(rendered("fixture-brief")["html"]) == [
        *FRONT, "escalation", "incidents", "chronology", "actors", "outlook", *ANNEXES]
    assert main_sections(rendered("fixture-front")["html"]) == [  # it asks for no escalation
        "chronology", "actors", "sources", "actor-index"]


def test_page_one_comes_first_then_the_contents_then_the_annexes_lettered():
    page = BeautifulSoup(rendered("fixture-brief")["html"], "html.parser")
    order = [tag.get("class", [tag.name])[0]
             for tag in page.select("body > .front, body > nav.toc, body > main")]
    assert order == ["front", "toc", "main"]
    contents = [" ".join(a.get_text().split()) for a in page.select("nav.toc a")]
    assert contents[:4] == ["Escalation overview", "Incidents at a glance", "Chronology",
                            "Actor profiles"]
    assert contents[4] == "Outlook: what to watch"
    assert contents[5:] == ["Annex A: Evidence by incident", "Annex B: The escalation ladder",
                            "Annex C: Action and reaction", "Annex D: Tempo in detail",
                            "Annex E: Sources and method", "Annex F: Index of actors"]
    assert page.find(id="ladder-title").get_text() == "Annex B: The escalation ladder"


def test_each_entry_links_to_its_evidence_and_back():
    page = BeautifulSoup(rendered("fixture-brief")["html"], "html.parser")
    entries = page.select("article.incident")
    assert entries
    for entry in entries:
        key = entry["id"].removeprefix("inc-")
        assert entry.find("a", href=f"#ev-{key}").get_text().endswith("Annex A")
        evidence = page.find(id=f"ev-{key}")
        assert evidence.find("a", href=f"#inc-{key}")
        assert evidence.find("ul", class_="sources"), "every source is in the annex"
        assert not entry.find("ul", class_="sources") and not entry.find("ul", class_="claims")


def test_without_an_evidence_annex_each_entry_holds_its_evidence():
    project = open_project(FIXTURE, today=TODAY)
    report = project.config.reports[0].model_copy(update={"annexes": ["sources"]})
    page = BeautifulSoup(texts(project, report)["html"], "html.parser")
    assert page.find(id="evidence") is None
    for entry in page.select("article.incident"):
        assert entry.find("ul", class_="sources") and not entry.find(class_="sources-line")


def test_every_briefing_has_its_analysis_and_what_changed_when_asked():
    """No call makes a smaller briefing: the escalation overview is always there, and "what
    changed" whenever there is an issue to compare with (here none was recorded)."""
    outputs = rendered("fixture-brief", since=dt.date(2021, 3, 1))
    page = BeautifulSoup(outputs["html"], "html.parser")
    assert main_sections(outputs["html"]) == [
        "bottom-line", "key-judgments", "since-last-issue", "at-a-glance", "map", "escalation",
        "incidents", "chronology", "actors", "outlook", *ANNEXES]
    assert [a["href"] for a in page.select("nav a")][:2] == ["#escalation", "#incidents"]
    assert [h.get_text() for h in page.find(id="escalation").find_all("h3")] == [
        "Turning points"]
    since = " ".join(page.find(id="since-last-issue").get_text().split())
    assert "Since the last issue (1 Mar 2021):" in since
    assert "No record of that issue's contents was kept" in since
    assert '## <a id="escalation"></a>Escalation overview' in outputs["md"]
    assert '### <a id="turning-points"></a>Turning points' in outputs["md"]


def test_without_a_previous_issue_there_is_no_changes_section():
    assert "changes" not in main_sections(rendered("fixture-brief")["html"])


def test_a_curators_override_rung_wins_and_shows_its_rationale():
    page = BeautifulSoup(rendered("fixture-brief")["html"], "html.parser")
    rung = page.find(id="inc-2021-03-10-convoy-drone-strike").find("dt", string="Escalation")
    assert " ".join(rung.find_next_sibling("dd").get_text().split()) == (
        "Rung 6: Leadership targeting (analyst's assessment)")
    why = page.find(id="ev-2021-03-10-convoy-drone-strike").find("p", class_="reasoning")
    assert " ".join(why.get_text().split()) == (
        "Escalation: rung 6, Leadership targeting. Analyst's assessment: A named commander was "
        "killed.")


def test_the_cover_is_optional_but_title_and_marking_are_not():
    project = open_project(FIXTURE, today=TODAY)
    report = project.config.reports[0].model_copy(update={"sections": ["chronology"], "annexes": []})
    html = texts(project, report)["html"]
    page = BeautifulSoup(html, "html.parser")
    assert page.find("h1").get_text() == report.title
    assert page.select_one("header .tlp").get_text() == "TLP:GREEN"
    assert page.find(class_="cover-facts") is None
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
