"""Hostile text in any field renders as inert text in both formats, and no script runs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from reportgen.pipeline import build_report, open_project
from tests.support.audit import watching
from tests.support.briefings import FIXTURE, TODAY, render_all
from tests.support.http_recorder import recording_server
from tests.support.pdf_tools import page_texts

LONG_WORD = "Unbroken" * 150
"""1,200 letters with no break opportunity, short enough for a title (2,000 characters)."""
PAYLOADS = {
    "script tag": '<script>window.__pwned = "script"</script>',
    "event-handler attribute": "<img src=x onerror=\"window.__pwned = 'img'\">",
    "javascript: link": "[click](javascript:window.__pwned='link')",
    "remote image": "![pixel](https://tracker.example/p.png)",
    "CSS url() in a style attribute":
        '<span style="background:url(https://tracker.example/css.png)">styled</span>',
    "Jinja delimiters": "{{ 7*7 }} {% if true %}jinja{% endif %}",
    "Markdown syntax": "**bold** | # <!-- c -->",
    "bidi override": "invoice\u202egnp.exe",
    "very long word": LONG_WORD,
}
PAYLOAD = " ".join(PAYLOADS.values())
SHOWN = PAYLOAD.replace("\u202e", "")
"""What a reader sees: every payload as literal text, less the bidi control (reportgen.model.text)."""
SUMMARY = f"""# Heading from the summary

{PAYLOAD}

<div onclick="window.__pwned = 'div'">block html</div>

<iframe src="https://evil.example/"></iframe>
<p style="background-image: url('https://tracker.example/block.png')">styled block</p>
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[file link](file:///etc/passwd) <javascript:window.__pwned='autolink'>
\u2067isolate left open and {"Longer" * 850}
"""
BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
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


def hostile_report(data: dict) -> None:
    report = data["reports"][0]
    report["bottom_line"] = SUMMARY
    report["outlook"][0].update(text="Indicator " + PAYLOAD, note="Watch note " + PAYLOAD)


def hostile_project(folder: Path, web: str = "https://tracker.example") -> Path:
    """The fixture with the payloads in every text field; their URLs point at `web`."""
    root = folder / "project"
    shutil.copytree(FIXTURE, root)
    edit(root / "incidents" / "2021" / f"{INCIDENT}.yaml", hostile_incident)
    edit(root / "actors" / "blue-force.yaml", hostile_actor)
    edit(root / "reportgen.yaml", hostile_report)
    for path in root.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("https://tracker.example", web)
                        .replace("https://evil.example", web), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    return render_all(hostile_project(tmp_path_factory.mktemp("hostile")))["fixture-brief"]


def test_html_has_no_element_attribute_or_link_from_the_data(rendered):
    page = BeautifulSoup(rendered["html"], "html.parser")
    assert not page.find_all(["script", "iframe", "object", "embed"])
    images = page.find_all("img")  # only the charts reportgen drew, inline
    assert images and all(img["src"].startswith("data:image/svg+xml;base64,")
                          and img.find_parent("figure", class_=["chart", "sparkline"]) for img in images)
    assert not [attr for tag in page.find_all(True) for attr in tag.attrs if attr.startswith("on")]
    hrefs = [a["href"] for a in page.find_all("a")]
    assert all(h.startswith(("#", "https://")) for h in hrefs), hrefs


def test_html_shows_the_hostile_text_literally(rendered):
    page = BeautifulSoup(rendered["html"], "html.parser")
    heading = page.find(id=f"inc-{INCIDENT}-title").get_text()
    assert ("Title " + SHOWN) in heading
    entry = page.find(id=f"inc-{INCIDENT}").get_text() + page.find(id=f"ev-{INCIDENT}").get_text()
    for prefix in ("Place ", "Claim ", "Claimant ", "Headline ", "Counter "):
        assert " ".join((prefix + SHOWN).split()) in " ".join(entry.split())
    assert "Alias " + SHOWN in page.find(id="actor-blue-force").get_text()
    outlook = page.find(id="outlook-1")
    assert outlook.find("h3").get_text() == "1. Indicator " + SHOWN
    assert "Watch note " + SHOWN in outlook.get_text()
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
    images = [t.attrs["src"] for t in tokens if t.type == "image"]  # only the charts, beside it
    assert images and all(re.fullmatch(r"charts/[a-z0-9-]+\.svg", src) for src in images), images
    hrefs = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert all(h.startswith(("#", "https://")) or re.fullmatch(r"charts/[a-z0-9-]+\.svg", h)
               for h in hrefs), hrefs


def test_markdown_shows_the_hostile_text_literally(rendered):
    tokens = list(markdown_tokens(rendered["md"]))
    headings = ["".join(c.content for c in tokens[i + 1].children if c.type == "text")
                for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert any(("Title " + SHOWN) in h for h in headings)
    text = " ".join("".join(t.content for t in tokens if t.type == "text").split())
    for prefix in ("Place ", "Claim ", "Alias ", "Indicator ", "Watch note "):
        assert " ".join((prefix + SHOWN).split()) in text


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_no_bidi_control_reaches_the_briefing(rendered, fmt):
    assert not [c for c in BIDI_CONTROLS if c in rendered[fmt]]
    assert "invoicegnp.exe" in rendered[fmt]


def test_style_attributes_from_the_data_are_text(rendered):
    page = BeautifulSoup(rendered["html"], "html.parser")
    styled = [tag for tag in page.find_all(style=True) if "tracker" in tag["style"]]
    assert styled == []
    assert '<span style="background:url(https://tracker.example/css.png)">' in page.get_text()


@pytest.mark.slow
def test_no_script_runs_and_nothing_is_fetched_in_chromium(rendered, tmp_path):
    from tests.support.browser import open_page

    path = tmp_path / "hostile.html"
    path.write_text(rendered["html"], encoding="utf-8")
    with open_page(path) as (page, requests, dialogs):
        page.wait_for_load_state("load")
        page.mouse.click(400, 400)
        assert page.evaluate("window.__pwned === undefined")
        assert dialogs == []
        assert requests == [path.as_uri()]


@pytest.mark.slow
def test_long_words_wrap_on_a_phone(rendered, tmp_path):
    from tests.support.browser import open_page

    path = tmp_path / "hostile.html"
    path.write_text(rendered["html"], encoding="utf-8")
    with open_page(path, width=375) as (page, _requests, _dialogs):
        assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.slow
def test_the_pdf_fetches_nothing_and_shows_every_payload_as_text(tmp_path):
    with recording_server() as (base, requests), watching() as seen:
        root = hostile_project(tmp_path, web=base)
        project = open_project(root, today=TODAY)
        report = next(r for r in project.config.reports if r.id == "fixture-brief")
        result = build_report(project, report, ("pdf",))
    assert requests == []
    assert not [e for e in seen if "passwd" in e or (e.startswith("connect") and "/pymp-" not in e)]
    text = " ".join(page_texts(result.written[0]))
    assert "\u202e" not in text and "\u2067" not in text  # (pdftotext itself wraps Arabic in U+202B…U+202C)
    flat = "".join(text.split())  # pdftotext breaks the long words where the page wraps them
    for payload in PAYLOADS.values():
        shown = payload.replace("\u202e", "").replace("https://tracker.example", base)
        assert "".join(shown.split()) in flat, payload[:40]
    assert flat.count("Longer") >= 850  # wrapped over pages, each with its running header
