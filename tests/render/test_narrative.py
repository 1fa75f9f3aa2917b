"""Curators' Markdown: rendered safely to HTML, and re-written safely as Markdown."""

from __future__ import annotations

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reportgen.render.narrative import is_live_link, to_html, to_markdown

HOSTILE = """# Title

<script>alert(1)</script> <img src=x onerror=alert(2)>
[click](javascript:alert(3)) [data](data:text/html,hi) [file](file:///etc/passwd)
[ok](https://example.org/a) [anchor](#inc-x) ![pixel](https://example.org/p.png)
<javascript:alert(4)> &lt;b&gt; {{ 7*7 }} {% raw %}
"""


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def test_only_web_links_and_anchors_are_live():
    assert is_live_link("https://example.org") and is_live_link("HTTP://x") and is_live_link("#a")
    for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc", "vbscript:x", "mailto:a@b",
                "//evil.example", "ftp://x"):
        assert not is_live_link(url)


def test_html_has_no_markup_from_the_text():
    page = soup(to_html(HOSTILE))
    assert not page.find_all(["script", "img", "iframe", "object"])
    assert [a["href"] for a in page.find_all("a")] == ["https://example.org/a", "#inc-x",
                                                       "https://example.org/p.png"]
    assert not any(attr.startswith("on") for tag in page.find_all(True) for attr in tag.attrs)
    text = page.get_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    assert "[click](javascript:alert(3))" in text and "{{ 7*7 }}" in text


def test_headings_are_pushed_below_the_container():
    assert soup(to_html("# A\n\n## B", level=3)).find("h4").text == "A"
    assert soup(to_html("# A\n\n## B", level=3)).find("h5").text == "B"
    assert soup(to_html("# A", level=6)).find("h6").text == "A"
    assert to_markdown("Title\n=====\n\ntext", level=2) == "### Title\n\ntext"


def test_markdown_output_renders_to_the_same_safe_html():
    again = to_markdown(HOSTILE, level=2)
    assert to_html(again) == to_html(HOSTILE, level=2)
    assert unsafe_parts(again) == []


def test_markdown_output_escapes_every_less_than_sign():
    """mdformat alone leaves the second '<' of '<<img ...>' bare."""
    assert unsafe_parts(to_markdown("<<img src=x onerror=alert(1)>")) == []


PIECES = [*"ab <>/&;#*_[]()!`:\\\n-=|~{}%\"'1.+", "http://x.y", "javascript:", "    ", "\n\n",
          "> ", "- ", "1. ", "```", "<a href='x'>", "<script>", "](", "![", "&#106;",
          "<img src=x onerror=1>", "<!--", "<?", "<![CDATA["]
markdownish = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def unsafe_parts(markdown: str) -> list[str]:
    """What a permissive CommonMark renderer would turn into live HTML or links."""
    permissive = MarkdownIt("commonmark", {"html": True})
    permissive.validateLink = lambda url: True
    found = []
    for block in permissive.parse(markdown):
        for token in [block, *(block.children or [])]:
            if token.type in ("html_block", "html_inline") and token.content != "<br />":
                found.append(token.content)
            elif token.type == "image":
                found.append(token.attrs["src"])
            elif token.type == "link_open" and token.attrs["href"] and not is_live_link(
                    token.attrs["href"]):
                found.append(token.attrs["href"])
    return found


@settings(max_examples=400)
@given(markdownish)
def test_rewritten_markdown_is_inert_in_any_commonmark_renderer(text):
    assert unsafe_parts(to_markdown(text)) == []
