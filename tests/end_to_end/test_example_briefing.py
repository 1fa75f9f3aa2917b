"""The example briefing shows the anchor incident as an analyst needs it: every source with its
grade, the casualty range with each source's figure, and the link to what it answered."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from reportgen.pipeline import open_project

ANCHOR = "2024-02-07-baghdad-drone-strike"
JORDAN = "2024-01-28-drone-attack-tower-22-jordan"


@pytest.fixture(scope="module")
def built(example_built):
    folder = example_built / "build" / "escalation-brief"
    return {fmt: (folder / f"escalation-brief.{fmt}").read_text(encoding="utf-8")
            for fmt in ("md", "html")} | {"project": open_project(example_built)}


def test_html_entry_has_every_source_the_range_and_the_jordan_link(built):
    """The entry gives the range and every source's figure, each source by grade and outlet; the
    evidence annex gives every source in full."""
    incident = built["project"].incidents[ANCHOR]
    page = BeautifulSoup(built["html"], "html.parser")
    entry = page.find("article", id=f"inc-{ANCHOR}")
    assert entry is not None
    text = " ".join(entry.get_text().split())
    cited = entry.find("p", class_="sources-line").find_all("abbr", class_="grade")
    assert [grade.get_text() for grade in cited] == [source.grade for source in incident.sources]
    sources = page.find(id=f"ev-{ANCHOR}").find("ul", class_="sources").find_all("li")
    assert len(sources) == len(incident.sources) == 6
    for item, source in zip(sources, incident.sources, strict=True):
        assert item.find("abbr", class_="grade").get_text() == source.grade
    for outlet in ("dpa", "US Central Command", "Al Arabiya", "Sabereen News"):
        assert outlet in " ".join(s.get_text() for s in sources) and outlet in text
    assert "2–3 killed among Kataib Hezbollah (" in text
    for said in ("at least 3 (Kataib Hezbollah members)",
                 "Al Arabiya, quoting a security source: several", "Sabereen News: 2"):
        assert said in text
    response = entry.find("dt", string="Response to").find_next_sibling("dd").find("a")
    assert response["href"] == f"#inc-{JORDAN}"
    assert "Tower 22" in response.get_text()
    assert "21:30 AST (18:30 UTC; reported as 19:30 UTC)" in text


def test_the_jordan_attack_says_it_was_answered(built):
    entry = BeautifulSoup(built["html"], "html.parser").find("article", id=f"inc-{JORDAN}")
    answers = entry.find("dt", string="Answered by").find_next_sibling("dd")
    assert f"#inc-{ANCHOR}" in [a["href"] for a in answers.find_all("a")]


def test_markdown_entry_has_the_same_facts(built):
    markdown = built["md"]
    start = markdown.index(f'<a id="inc-{ANCHOR}"></a>')
    entry = markdown[start:markdown.index("\n## ", start)]
    assert ("**Response to:** [28 Jan 2024: Drone attack on Tower 22 in Jordan kills three US "
            f"soldiers](#inc-{JORDAN})") in entry
    assert "- **Casualties:** 2–3 killed among Kataib Hezbollah (" in entry
    for grade in ("**B2** dpa", "**B2** US Central Command", "**C3** Al Arabiya", "**D2** Sabereen News"):
        assert grade in entry


def test_sides_appear_by_their_labels_never_their_ids(built):
    """Tables, prose, alt texts and profiles name a side as reportgen.yaml labels it."""
    sides = built["project"].config.sides
    for fmt in ("md", "html"):
        text = built[fmt]
        for side_id, side in sides.items():
            assert side.label in text
            for leak in (f"side “{side_id}”", f"“{side_id}”", f"`{side_id}`", f"side {side_id} "):
                assert leak not in text, (fmt, leak)
    soup = BeautifulSoup(built["html"], "html.parser")
    headers = [th.get_text() for th in soup.find("table", class_="tempo").find_all("th", scope="col")]
    assert {side.label for side in sides.values()} <= {h[0].lower() + h[1:] for h in headers} | set(headers)


def test_every_estimate_gives_its_time_frame_indicators_and_alternative(built):
    report = built["project"].config.report("escalation-brief")
    estimates = [kj for kj in report.key_judgments if kj.time_frame]
    assert len(estimates) >= 3
    soup = BeautifulSoup(built["html"], "html.parser")
    items = soup.find("ol", class_="judgments").find_all("li", recursive=False)
    basis = {int(item["value"]): " ".join(item.get_text().split())
             for item in soup.find("ol", class_="basis").find_all("li", recursive=False)}
    for number, (judgment, item) in enumerate(zip(report.key_judgments, items, strict=True), 1):
        text = " ".join(item.get_text().split())
        assert f"Confidence: {judgment.confidence}." in text
        if judgment.time_frame:  # page 1 gives the estimate; the basis section what it rests on
            assert f"Time frame: {judgment.time_frame}." in text
            assert all(indicator in basis[number] for indicator in judgment.indicators)
            assert "Alternative:" in basis[number]


def test_a_source_without_a_headline_prints_no_placeholder(built):
    for fmt in ("md", "html"):
        assert "no headline recorded" not in built[fmt]
