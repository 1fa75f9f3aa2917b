"""Curators' Markdown (summaries, profiles, the bottom line) rendered so it can never inject.

One parser for both outputs: CommonMark with raw HTML off, no images (an image would make the
briefing fetch something), and only http(s) links and in-document anchors live; anything else
stays visible as plain text. Headings inside a narrative are pushed below the heading that
contains it, so a summary cannot break the document outline. The HTML output is the parser's
own rendering; the Markdown output is the same token stream written back by mdformat, which
escapes whatever would otherwise turn into markup.
"""

from __future__ import annotations

import re
from functools import cache
from types import SimpleNamespace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdformat.renderer import MDRenderer

LIVE_LINK_PREFIXES = ("http://", "https://", "#")
_UNESCAPED_LT = re.compile(r"(?<!\\)((?:\\\\)*)<")


def _escape_every_less_than(text: str, node: object, context: object) -> str:
    """mdformat leaves the second '<' of '<<' bare (its pattern consumes the next character),
    which would let '<<img onerror=...>' through as raw HTML: escape every unescaped '<'."""
    return _UNESCAPED_LT.sub(r"\1\\<", text)


SAFE_TEXT = SimpleNamespace(RENDERERS={}, POSTPROCESSORS={"text": _escape_every_less_than})


def is_live_link(url: str) -> bool:
    """Only web links and anchors inside the briefing may be clickable."""
    return url.strip().lower().startswith(LIVE_LINK_PREFIXES)


@cache
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = is_live_link
    return md


def tokens(text: str, level: int) -> list[Token]:
    """Parse `text`, demoting its headings to start below heading level `level`."""
    stream = parser().parse(text or "")
    for token in stream:
        if token.type in ("heading_open", "heading_close"):
            depth = min(6, int(token.tag[1:]) + level)
            token.tag = f"h{depth}"
            token.markup = "#" * depth
        elif token.type in ("fence", "code_block") and not token.content.endswith("\n"):
            token.content += "\n"  # an unclosed fence at the end; mdformat needs the newline
    return stream


def to_html(text: str, level: int = 0) -> str:
    md = parser()
    return md.renderer.render(tokens(text, level), md.options, {})


def to_markdown(text: str, level: int = 0) -> str:
    md = parser()
    options = {**md.options, "parser_extension": [SAFE_TEXT]}
    return MDRenderer().render(tokens(text, level), options, {}).rstrip("\n")
