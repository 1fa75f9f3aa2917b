"""What a reader of a briefing reads: the text of its HTML (text nodes, alt, title and label
attributes, and the text of the SVG charts it embeds) and its Markdown without link targets and
anchors. Ids, URLs and attributes that no reader sees are left out, so a test can ask whether the
words a reader meets hold anything internal."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from urllib.parse import unquote

READ_ATTRIBUTES = ("alt", "title", "aria-label")
"""The attributes a reader meets: shown as tooltips, read out by screen readers."""
_SVG_DATA = re.compile(r"^data:image/svg\+xml(;base64)?,(.*)$", re.DOTALL)
_UNSEEN = {"script", "style", "metadata"}
"""Elements no reader sees (an SVG's metadata names the drawing library)."""


class _Reader(HTMLParser):
    def __init__(self, svg: bool = False):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self._svg = svg

    def handle_starttag(self, tag, attrs):
        if tag in _UNSEEN:
            self._skipping += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.parts.append(value)
            if name in ("src", "href", "data") and value and (svg := _svg_text(value)):
                self.parts.append(svg)

    def handle_endtag(self, tag):
        if tag in _UNSEEN and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data)

    def handle_comment(self, data):
        """A chart's drawn words: matplotlib draws text as outlines and writes each string
        beside them as a comment."""
        if self._svg and not self._skipping:
            self.parts.append(data.strip())


def html_text(html: str, *, svg: bool = False) -> str:
    """The words a reader of `html` (or of an SVG drawing) meets, one part per line."""
    reader = _Reader(svg)
    reader.feed(html)
    reader.close()
    return "\n".join(reader.parts)


def _svg_text(value: str) -> str:
    found = _SVG_DATA.match(value)
    if not found:
        return ""
    payload = found.group(2)
    svg = base64.b64decode(payload).decode("utf-8") if found.group(1) else unquote(payload)
    return html_text(svg, svg=True)


_LINK_TARGET = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]|^\[[^\]]+\]:.*$", re.MULTILINE)
_ANCHOR = re.compile(r"\{#[^}]*\}|<a [^>]*>|</a>")
_URL = re.compile(r"<?https?://\S+")


def markdown_text(markdown: str) -> str:
    """The Markdown a reader reads: link targets, reference definitions, explicit anchors and
    bare URLs left out."""
    return _URL.sub(" ", _ANCHOR.sub(" ", _LINK_TARGET.sub("]", markdown)))


def ids_in(text: str, ids: set[str]) -> list[str]:
    """Each of `ids` that `text` holds as a whole token (not inside a longer id or word)."""
    if not ids:
        return []
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
                         + r")(?![\w-])")
    return sorted({m.group() for m in pattern.finditer(text)})
