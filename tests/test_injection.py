"""Hostile text in any field renders as inert text in both formats, and no script runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from .briefings import FIXTURE, render_all

PAYLOAD = ('<script>window.__pwned = "script"</script> <img src=x onerror="window.__pwned = \'img\'"> '
           "[click](javascript:window.__pwned='link') ![pixel](https://tracker.example/p.png) "
           "{{ 7*7 }} {% if true %}jinja{% endif %} **bold** | # <!-- c -->")
SUMMARY = f"""# Heading from the summary

{PAYLOAD}

<div onclick="window.__pwned = 'div'">block html</div>

<iframe src="https://evil.example/"></iframe>
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[file link](file:///etc/passwd) <javascript:window.__pwned='autolink'>
"""
INCIDENT = "2021-03-10-convoy-drone-strike"


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_incident(data: dict) -> None:
    data["title"] = "Title " + PAYLOAD
    data["summary"] = SUMMARY
    data["notes"] = SUMMARY
    data["location"]["place"] = "Place " + PAYLOAD
    data["claims"][0]["text"] = "Claim " + PAYLOAD
    data["claims"][0]["by"] = "Claimant " + PAYLOAD
    data["sources"][0]["headline"] = "Headline " + PAYLOAD
    data["casualties"][0]["according_to"] = "Counter " + PAYLOAD


def hostile_actor(data: dict) -> None:
    data["aliases"] = ["Alias " + PAYLOAD]
    data["profile"] = SUMMARY


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("hostile") / "project"
    shutil.copytree(FIXTURE, root)
    edit(root / "incidents" / "2021" / f"{INCIDENT}.yaml", hostile_incident)
    edit(root / "actors" / "blue-force.yaml", hostile_actor)
    edit(root / "reportgen.yaml", lambda d: d["reports"][0].update(bottom_line=SUMMARY))
    return render_all(root)["fixture-brief"]


def test_html_has_no_element_attribute_or_link_from_the_data(rendered):
    page = BeautifulSoup(rendered["html"], "html.parser")
    assert not page.find_all(["script", "img", "iframe", "object", "embed"])
    assert not [attr for tag in page.find_all(True) for attr in tag.attrs if attr.startswith("on")]
    hrefs = [a["href"] for a in page.find_all("a")]
    assert all(h.startswith(("#", "https://")) for h in hrefs), hrefs


def test_html_shows_the_hostile_text_literally(rendered):
    page = BeautifulSoup(rendered["html"], "html.parser")
    heading = page.find(id=f"inc-{INCIDENT}-title").get_text()
    assert ("Title " + PAYLOAD) in heading
    entry = page.find(id=f"inc-{INCIDENT}").get_text()
    for prefix in ("Place ", "Claim ", "Claimant ", "Headline ", "Counter "):
        assert " ".join((prefix + PAYLOAD).split()) in " ".join(entry.split())
    assert "Alias " + PAYLOAD in page.find(id="actor-blue-force").get_text()
    assert "49" not in page.get_text() and "{{ 7*7 }}" in page.get_text()


def test_html_narratives_keep_only_safe_markup(rendered):
    page = BeautifulSoup(rendered["html"], "html.parser")
    summary_heading = page.find(id=f"inc-{INCIDENT}").find("h5")
    assert summary_heading.get_text() == "Heading from the summary"
    bluf = page.find(id="bottom-line")
    assert "<div onclick=" in bluf.get_text() and "[data link](data:" in bluf.get_text()


def markdown_tokens(markdown: str):
    """Every token a permissive CommonMark renderer (raw HTML on, any link) would produce."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True
    for token in md.parse(markdown):
        yield token
        yield from token.children or []


def test_markdown_has_no_html_image_or_unsafe_link_from_the_data(rendered):
    tokens = list(markdown_tokens(rendered["md"]))
    raw = {t.content.strip() for t in tokens if t.type in ("html_inline", "html_block")}
    assert all(tag.startswith('<a id="') or tag == "</a>" for tag in raw), raw
    assert not [t for t in tokens if t.type == "image"]
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert all(h.startswith(("#", "https://")) for h in hrefs), hrefs


def test_markdown_shows_the_hostile_text_literally(rendered):
    tokens = list(markdown_tokens(rendered["md"]))
    headings = ["".join(c.content for c in tokens[i + 1].children if c.type == "text")
                for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert any(("Title " + PAYLOAD) in h for h in headings)
    text = " ".join("".join(t.content for t in tokens if t.type == "text").split())
    for prefix in ("Place ", "Claim ", "Alias "):
        assert " ".join((prefix + PAYLOAD).split()) in text


@pytest.mark.slow
def test_no_script_runs_and_nothing_is_fetched_in_chromium(rendered, tmp_path):
    from .browser import open_page

    path = tmp_path / "hostile.html"
    path.write_text(rendered["html"], encoding="utf-8")
    with open_page(path) as (page, requests, dialogs):
        page.wait_for_load_state("load")
        page.mouse.click(400, 400)
        assert page.evaluate("window.__pwned === undefined")
        assert dialogs == []
        assert requests == [path.as_uri()]
