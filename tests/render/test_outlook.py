"""The outlook section: each indicator with its status in words, its time frame and the
incidents bearing on it as links to their chronology entries, in HTML and Markdown; absent
when a report has no outlook."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from reportgen.pipeline import open_project
from tests.support.briefings import FIXTURE, TODAY, fixture_briefings, texts

OUTSIDE = "2021-06-15-after-period"
WITHHELD = "2021-04-20-amber-meeting"


@pytest.fixture(scope="module")
def rendered():
    return fixture_briefings()


def edited(folder: Path, change) -> dict[str, str]:
    """The first report's briefings after `change` to its entry in the fixture's reportgen.yaml."""
    root = folder / "project"
    shutil.copytree(FIXTURE, root)
    path = root / "reportgen.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config["reports"][0])
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    return texts(project, project.config.reports[0])


def indicators(html: str):
    return BeautifulSoup(html, "html.parser").find(id="outlook").find_all("article", class_="indicator")


def facts(article) -> dict[str, object]:
    """Label -> the dd element, for one indicator's facts list."""
    return {dt.get_text(): dt.find_next_sibling("dd") for dt in article.find_all("dt")}


def test_html_shows_each_indicator_with_its_status_time_frame_and_incident_links(rendered):
    found = indicators(rendered["fixture-brief"]["html"])
    assert [a.find("h3").get_text() for a in found] == [
        "1. The Umbrella Front fires rockets at Blue Force positions again",
        "2. Blue Force strikes a brigade commander",
        "3. Blue Force announces its withdrawal from Fictiland"]
    first, second, third = (facts(a) for a in found)
    assert [f["Status"].get_text(" ", strip=True) for f in (first, second, third)] == [
        "Not yet observed", "Observed", "No longer relevant (as of 20 May 2021)"]
    assert first["Time frame"].get_text() == "1 Jun – 31 Aug 2021"
    assert first["Likelihood"].get_text() == "Likely (55–80%)"
    assert [a["href"] for a in first["Incidents"].find_all("a")] == [  # oldest first
        "#inc-2021-03-02-depot-rocket-attack", "#inc-2021-05-01-front-announcement"]
    assert first["Bears on"].find("a")["href"] == "#key-judgments"
    assert first["Bears on"].get_text() == "Key judgment 1"
    assert "Bears on" not in second and "Likelihood" not in second
    assert third["Incidents"].get_text(strip=True) == "None recorded"
    page = BeautifulSoup(rendered["fixture-brief"]["html"], "html.parser")
    assert page.find("nav", class_="toc").find("a", href="#outlook").get_text() == "Outlook: what to watch"


def markdown_section(md: str) -> str:
    """The outlook, up to the next section."""
    start = md.index('<a id="outlook"></a>')
    end = md.find("\n## ", start)
    return md[start:end if end != -1 else None]


def test_markdown_shows_each_indicator_with_its_status_and_incident_links(rendered):
    section = markdown_section(rendered["fixture-brief"]["md"])
    parsed = MarkdownIt("commonmark").parse(section)
    tokens = [t for token in parsed for t in [token, *(token.children or [])]]
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert hrefs == ["#key-judgments", "#inc-2021-03-02-depot-rocket-attack",
                     "#inc-2021-05-01-front-announcement", "#inc-2021-03-10-convoy-drone-strike",
                     "#key-judgments"]
    for line in ("- **Status:** Not yet observed", "- **Status:** Observed",
                 "- **Status:** No longer relevant (as of 20 May 2021)",
                 "- **Time frame:** 1 Jun – 31 Aug 2021",
                 "- **Likelihood:** Likely (55–80%)", "- **Incidents:** None recorded"):
        assert line + "\n" in section
    assert '<a id="outlook-2"></a>2. Blue Force strikes a brigade commander' in section


def test_a_report_without_an_outlook_has_no_such_section(rendered):
    front = rendered["fixture-front"]
    assert 'id="outlook"' not in front["html"] and "what to watch" not in front["html"]
    assert '<a id="outlook"></a>' not in front["md"] and "what to watch" not in front["md"]


def test_an_incident_outside_the_briefing_is_named_without_a_link_and_a_withheld_one_not_at_all(tmp_path):
    def cite(report: dict) -> None:
        report["outlook"][1]["incidents"] += [OUTSIDE, WITHHELD]

    briefing = edited(tmp_path, cite)
    second = facts(indicators(briefing["html"])[1])["Incidents"]
    assert [a["href"] for a in second.find_all("a")] == ["#inc-2021-03-10-convoy-drone-strike"]
    assert "An incident after the period (not in this briefing)" in second.get_text()
    assert "Restricted meeting" not in briefing["html"] and "Restricted meeting" not in briefing["md"]
    assert "An incident after the period (not in this briefing)" in markdown_section(briefing["md"])


def test_the_key_judgment_is_not_linked_when_the_report_leaves_key_judgments_out(tmp_path):
    def without_judgments(report: dict) -> None:
        report["sections"] = ["cover", "chronology", "outlook"]

    briefing = edited(tmp_path, without_judgments)
    bears_on = facts(indicators(briefing["html"])[0])["Bears on"]
    assert bears_on.get_text() == "Key judgment 1" and bears_on.find("a") is None
    assert "- **Bears on:** Key judgment 1\n" in markdown_section(briefing["md"])
