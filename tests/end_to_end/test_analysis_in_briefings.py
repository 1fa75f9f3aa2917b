"""The analysis in the built briefings: charts beside the outputs and inline in the HTML, the
escalation overview on the example corpus, issue records and 'what changed', markings."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from reportgen.analyse import analyse_report
from reportgen.cli import main
from reportgen.pipeline import open_project
from reportgen.render.charts import briefing_charts
from reportgen.select import select
from tests.support.briefings import FIXTURE, TODAY

TOWER_22 = "2024-01-28-drone-attack-tower-22-jordan"
BAGHDAD = "2024-02-07-baghdad-drone-strike"


def build(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["build", *args, "-C", str(root)])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def example(example_built) -> Path:
    """The example's escalation-brief, built once (Markdown and HTML: no test here reads its PDF)."""
    return example_built / "build" / "escalation-brief"


@pytest.fixture(scope="module")
def page(example) -> BeautifulSoup:
    return BeautifulSoup((example / "escalation-brief.html").read_text(encoding="utf-8"),
                         "html.parser")


def test_the_overview_shows_the_charts_inline_with_alt_text(example, page):
    images = [image for part in ("map", "escalation", "responses")
              for image in page.find(id=part).find_all("img")]
    assert len(images) == 3
    assert not page.find(id="at-a-glance").find("img"), "the map has a page of its own"
    shown = (example / "charts" / "map.svg").read_bytes()
    assert images[0]["src"] == "data:image/svg+xml;base64," + base64.b64encode(shown).decode()
    phone = (example / "charts" / "map-phone.svg").read_bytes()
    assert page.find(id="map").find("source")["srcset"] == (
        "data:image/svg+xml;base64," + base64.b64encode(phone).decode())
    assert images[0]["alt"].startswith("Map of 23 of the briefing's 26 incidents at 17 places")
    assert "Baghdad, incidents 11, 14, 15, 19 and 26;" in images[0]["alt"]
    assert "Tower 22, incident 20;" in images[0]["alt"]
    section = page.find(id="map")
    assert "the other 3 are listed under it" in " ".join(section.get_text().split())
    assert [" ".join(li.get_text().split()) for li in section.select("ul.unplaced li")] == [
        "21. 30 Jan 2024, Kataib Hezbollah announces suspension of operations against US forces "
        "(Iraq): place given only as a country",
        "22. 2 Feb 2024, Harakat al-Nujaba says it will go on attacking US forces (Iraq): place "
        "given only as a country",
        "23. 3 Feb 2024, US strikes in eastern Syria in response to the Tower 22 attack (eastern "
        "Syria): place given only as a region"]
    assert images[1]["alt"].startswith("Charts sharing one time axis, 25 Sep 2023 to 11 Feb 2024")
    assert "Top: bars of attacks per week by the party that carried them out" in images[1]["alt"]
    assert "Bottom: the highest escalation rung each week" in images[1]["alt"]
    # 18 Oct 2023: three attacks; 29 Jan - 4 Feb 2024 also three (two announcements are no
    # attacks): the earliest of equals (method rule `tempo`).
    assert "Busiest week: week of 16 Oct 2023 with 3 attacks." in images[1]["alt"]
    assert images[2]["alt"].startswith("Chronology by actor: one lane per acting actor")


def test_the_markdown_links_the_chart_files(example):
    markdown = (example / "escalation-brief.md").read_text(encoding="utf-8")
    linked = {name for name in (p.name for p in (example / "charts").glob("*.svg"))
              if f"](charts/{name})" in markdown}
    assert {"map.svg", "tempo.svg", "swimlane.svg", "activity-kataib-hezbollah.svg"} <= linked
    assert linked == {p.name for p in (example / "charts").glob("*.svg")}


def test_tower_22_turning_point_and_the_baghdad_response(page):
    rows = page.find("table", class_="turning-points").find_all("tr")
    tower = next(r for r in rows if r.find("a", href=f"#inc-{TOWER_22}"))
    assert "First reported deaths: US and partner forces" in tower.get_text()
    chains = page.find("ol", class_="chains").get_text(" ")
    assert " ".join(chains.split()).count("Baghdad, 7 Feb 2024 answered Tower 22, 28 Jan 2024 "
                                          "after 10 days") == 1


def test_each_rung_says_why_in_the_evidence(page):
    """The entry gives the rung; its evidence says why, in words, never "ladder rule 1"."""
    entry = page.find("article", id=f"inc-{BAGHDAD}")
    rung = " ".join(entry.find("dt", string="Escalation").find_next_sibling("dd").get_text().split())
    assert rung == "Rung 7: Leadership targeting in a capital"
    why = " ".join(page.find(id=f"ev-{BAGHDAD}").find("p", class_="reasoning").get_text().split())
    assert why.startswith("Escalation: rung 7, Leadership targeting in a capital. Leadership "
                          "targeted: Abu Baqir al-Saadi of Kataib Hezbollah")
    assert "rule" not in why


def test_profiles_carry_a_sparkline(page):
    profile = page.find("section", id="actor-kataib-hezbollah")
    image = profile.find("figure", class_="sparkline").find("img")
    assert image["alt"].startswith("Kataib Hezbollah, incidents per week from 25 Sep 2023")


def test_building_twice_gives_identical_charts(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    build(root, "fixture-brief")
    charts = root / "build" / "fixture-brief" / "charts"
    first = {p.name: p.read_bytes() for p in charts.glob("*.svg")}
    build(root, "fixture-brief")
    assert {p.name: p.read_bytes() for p in charts.glob("*.svg")} == first
    assert "tempo.svg" in first and "activity-blue-force.svg" in first


def test_what_changed_since_the_previous_issue(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    output = build(root, "fixture-brief")
    assert (root / "build" / "fixture-brief" / "issues" / "3.json").is_file()
    assert "wrote" in output and "charts into build/fixture-brief/charts/" in output
    # Issue 4: one incident corrected, one retracted, the previous issue dated by its cut-off.
    config = root / "reportgen.yaml"
    config.write_text(config.read_text().replace("issue: 3", "issue: 4\n    previous_issue: 2021-06-01"))
    clash = root / "incidents" / "2021" / "2021-03-12-checkpoint-clash.yaml"
    clash.write_text(clash.read_text().replace("title: Clash at a Fictiville checkpoint",
                                               "title: Clash at Fictiville checkpoint 4"))
    depot = root / "incidents" / "2021" / "2021-03-02-depot-rocket-attack.yaml"
    depot.write_text(depot.read_text() + "status: retracted\n")
    build(root, "fixture-brief")
    html = (root / "build" / "fixture-brief" / "fixture-brief.html").read_text(encoding="utf-8")
    changes = BeautifulSoup(html, "html.parser").find(id="changes")
    text = " ".join(changes.get_text().split())
    assert "Compared with issue 3 (information as of 1 Jun 2021): 0 incidents added, 1 amended, " \
           "1 retracted or no longer shown." in text
    assert changes.find(id="changes-amended").find_next("a")["href"] == \
        "#inc-2021-03-12-checkpoint-clash"
    assert "Rockets hit Blue Force depot at Fictiville (retracted)" in text


def test_a_withheld_actor_is_never_named_by_the_analysis(tmp_path):
    """grey-unit is TLP:RED; the TLP:GREEN briefing may not name it, not even in a chart."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    clash = root / "incidents" / "2021" / "2021-03-12-checkpoint-clash.yaml"
    clash.write_text(clash.read_text().replace("{actor: grey-unit, role: mentioned}",
                                               "{actor: grey-unit, role: perpetrator}"))
    project = open_project(root, today=TODAY)
    report = next(r for r in project.config.reports if r.id == "fixture-brief")
    analysis = analyse_report(select(project, report))
    shown = repr(analysis) + "".join(c.alt + c.svg.decode() + c.name
                                     for c in briefing_charts(analysis))
    assert "grey" not in shown.lower()


def test_the_live_preview_shows_the_escalation_overview(tmp_path):
    from reportgen.preview import Preview

    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    preview = Preview(root, "fixture-brief")
    assert preview.rebuild() == []
    overview = BeautifulSoup(preview.page, "html.parser").find(id="escalation")
    assert overview.find("img")["src"].startswith("data:image/svg+xml;base64,")
    assert not (root / "build").exists(), "the preview writes nothing"
