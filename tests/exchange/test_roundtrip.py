"""The Markdown briefing has the same outline, entries and links as the HTML one."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from tests.support.briefings import fixture_briefings, fixture_report_ids

ANCHOR = re.compile(r'<a id="([^"]+)">')


def markdown_outline(markdown: str) -> tuple[list[tuple[int, str]], set[str], set[str]]:
    """Headings, explicit anchors and in-document link targets, as a GFM renderer sees them."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    tokens = md.parse(markdown)
    headings, anchors, links = [], set(), set()
    for index, token in enumerate(tokens):
        for child in token.children or []:
            if child.type == "html_inline":
                anchors.update(ANCHOR.findall(child.content))
            elif child.type == "link_open" and child.attrs["href"].startswith("#"):
                links.add(child.attrs["href"])
        if token.type == "heading_open":
            inline = tokens[index + 1].children
            text = "".join(c.content for c in inline if c.type in ("text", "code_inline"))
            headings.append((int(token.tag[1]), " ".join(text.split())))
    return headings, anchors, links


def html_outline(html: str) -> tuple[list[tuple[int, str]], set[str], set[str]]:
    page = BeautifulSoup(html, "html.parser")
    headings = [(int(h.name[1]), " ".join(h.get_text().split()))
                for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    anchors = {tag["id"] for tag in page.select("article[id], section[id]")}
    links = {a["href"] for a in page.select('a[href^="#"]')} - {"#main"}
    return headings, anchors, links


@pytest.mark.parametrize("report_id", sorted(fixture_report_ids()))
def test_same_headings_anchors_and_links(report_id):
    rendered = fixture_briefings()[report_id]
    md_headings, md_anchors, md_links = markdown_outline(rendered["md"])
    html_headings, html_anchors, html_links = html_outline(rendered["html"])
    assert md_headings == html_headings
    incident_anchors = {a for a in html_anchors if a.startswith("inc-")}
    assert incident_anchors and {a for a in md_anchors if a.startswith("inc-")} == incident_anchors
    assert {a for a in md_anchors if a.startswith("actor-")} == {
        a for a in html_anchors if a.startswith("actor-")}
    assert md_links == html_links
    assert {link[1:] for link in md_links} <= md_anchors, "every Markdown link has a target"
    ids = {tag["id"] for tag in BeautifulSoup(rendered["html"], "html.parser").select("[id]")}
    assert {link[1:] for link in html_links} <= ids, "every HTML link has a target"
