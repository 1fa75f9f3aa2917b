"""A long briefing's PDF laid out in parts, in parallel worker processes, and joined into one
document a reader cannot tell from a single layout.

WeasyPrint lays a document out in one process, on one core, and holds every box until the last
page is written: a 2,000-incident report takes minutes and gigabytes. Laid out in parts, the
work spreads over the cores, memory follows the size of a part, and an unchanged part is reused.

Where the cuts fall. Only before an element of class `page-start`, where the theme begins a new
page (print.css: each annex; in a long report each section and each month of the chronology), so
a part's first page is a page of the whole document too. A part is the document's head, the
elements marked `data-each-part` (the running header and footer), the start tags of the cut's
ancestors (without their ids: those are anchored where the element really begins) and the
content up to the next cut. Cuts are grouped into parts of at least PART_WEIGHT tags; the
first part (page 1 and the contents) is kept small, on its own. A short document (SPLIT_AT) is
laid out whole.

Page numbers. A part is laid out without the footer's "Page X of Y" (PART_CSS), so nothing on its
pages depends on where it falls. The numbers are put on the joined pages from one small WeasyPrint
document with the briefing's own stylesheet and as many empty pages, whose only content is that
footer box (`stamps`), so they read exactly as in a single layout. The contents, in the first
part, need the final page of each target: the first part is laid out once to learn its page
count while the others are laid out, then again with each link carrying its target's final page
(`data-page`, which print.css shows instead of `target-counter`), and once more should its page
count then differ. A second pass over the other parts was the alternative: twice the work.

Links and bookmarks. A link to an anchor of another part is kept by a stand-in anchor in its own
part (`pdf.lay_out(part=...)`); the join writes one table of named destinations from the
real anchors, the first of each name, so every link resolves in the joined file. The bookmarks of
each part, which begin at the part's own top level, are nested by their CSS levels
(`LaidOut.levels`) into one outline, as one layout nests them, pointing at the joined pages.

Reuse. Each part's PDF is kept in the caller's cache (`reportgen.pdf.cache`; the build's is
`build/<report>/parts/`) under the digest of all it is made from (its HTML, the PDF settings,
reportgen, WeasyPrint and the fonts): after an edit only the part holding it is laid out again,
with the first part when a page count moved; the join keeps each part's share of the joined file
there too, and writes again only the shares that changed or moved (`pdf.join`). A reused part
is the same bytes as one laid out again, and the join (with a file identifier derived from the
content) depends only on the parts, so the PDF is the same bytes whatever `-j` and whichever
parts or shares were reused.

Tagged PDF (PDF/UA): the join makes one structure tree of the parts' (`pdf.join`); it is
the tree one layout makes, element for element, and the page numbers are artifacts.

Processes. The parts are laid out in the pool the caller hands in (`reportgen.processes`),
which it owns, and the join writes their shares of the file there (`pdf.join`, "Parallel");
without one, one after another here.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import html as html_lib
import json
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import weasyprint
from pydantic import TypeAdapter

from reportgen import __version__
from reportgen.pdf.cache import Cache
from reportgen.pdf.join import Joining, footprint
from reportgen.pdf.layout import Footprint, LaidOut, Notice, PdfResult, PdfSettings, lay_out
from reportgen.render.fonts import folders_fingerprint

PAGE_START = "page-start"
EACH_PART = "data-each-part"
PART_WEIGHT = 4_000
"""Tags (start and end) a part holds at least: about 10 pages of chronology. Chosen by timing
one build of each at 2,000 incidents (docs/performance.md, "The PDF at scale"): 15,000 and 7,500 were slower
cold and after an edit (a layout's cost grows faster than its pages), 2,000 slower again (each
part's fixed cost)."""
SPLIT_AT = 4
"""A document is laid out in parts only when those after the first hold SPLIT_AT times the part
weight: below, the fixed cost of parts (the first laid out twice, the page numbers, the join)
outweighs what they save, and the 57-page example is one layout, as bare WeasyPrint's."""
PART_CSS = ("<style>@page { @bottom-right { content: none } }"
            " .part-start { break-before: auto }</style>")
"""Added to each part: its pages carry no page number (stamped after the join), and the element
it starts with (of class part-start) needs no break: a part's first page is a new page."""
STAMP_CSS = ("<style>:root, body { background: none } .stamp { break-before: page }"
             " .stamp:first-child { break-before: auto }</style>")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
LINK = re.compile(r'<a\b[^<>]*?\shref="#([^"<>]+)"')


def render_in_parts(html: str, settings: PdfSettings, *, pool: Executor | None = None,
                    cache: Cache | None = None, weight: int = PART_WEIGHT) -> PdfResult:
    """The PDF of `html`: laid out whole when short, else in parts (see above)."""
    parts = split(html, weight)
    if len(parts) == 1:
        whole = lay_out(html, settings)
        return PdfResult(whole.data, whole.notices)
    joining = Joining(cache, pool)
    with Layouts(settings, pool, cache) as layouts:
        # page 1 with the sources it is laid out with again: its footprint foresees the places
        first, *rest = layouts.many([(parts[0], "attached"), *((part, "") for part in parts[1:])])
        pages = sum(part.pages for part in rest)
        assumed = first.pages
        for _ in range(3):  # the contents' page numbers may change the first part's length
            ahead = functools.partial(joining.write_ahead, [first, *rest], assumed + pages,
                                      except_first=True)  # while the first is laid out again
            first, stamps = layouts.many([(numbered_links(parts[0], assumed, rest), "attached"),
                                          (stamps_html(html, assumed + pages), "plain")],
                                         meanwhile=ahead)
            if first.pages == assumed:
                break
            assumed = first.pages
    data = joining.join([first, *rest], stamps.data)
    return PdfResult(data, merged([n for part in (first, *rest) for n in part.notices]))


def split(html: str, weight: int = PART_WEIGHT) -> list[str]:
    """The parts' HTML, in order; [html] when it makes one part."""
    cuts = _Cuts(html)
    pieces = cuts.pieces()
    if len(pieces) < 2:
        return [html]
    groups = [[*pieces[0], html.count("<", *pieces[0])]]  # [start, end, tags], pieces in a row
    for start, end in pieces[1:]:
        tags = html.count("<", start, end)
        if len(groups) == 1 or groups[-1][2] >= weight:
            groups.append([start, end, tags])
        else:
            groups[-1][1:] = [end, groups[-1][2] + tags]
    if len(groups) > 2 and groups[-1][2] < weight / 2:  # a short tail joins the last
        _, end, tags = groups.pop()
        groups[-1][1:] = [end, groups[-1][2] + tags]
    if len(groups) < 2 or sum(tags for *_, tags in groups[1:]) < SPLIT_AT * weight:
        return [html]
    return [cuts.part(start, end, first=index == 0) for index, (start, end, _) in enumerate(groups)]


ATTRIBUTES = r"""(?:[^<>"']++|"[^"<]*+"|'[^'<]*+')*+"""
TOKEN = re.compile(rf"""<!--.*?(?:-->|\Z)|<![^<>]*+>|<\?[^<>]*+>"""
                   rf"""|<(?P<raw>script|style|title|textarea)\b{ATTRIBUTES}>.*?(?:</(?P=raw)\s*>|\Z)"""
                   rf"""|<(?P<end>/?)(?P<tag>[a-zA-Z][^\s/<>]*+)(?P<attributes>{ATTRIBUTES})>""",
                   re.S | re.I | re.A)
"""A comment (to the end, unclosed), a declaration, a processing instruction, an element whose
content is text whatever it looks like (script, style, title, textarea: read whole), or a start
or end tag: its name, then its attributes, a quoted value read whole (a `>` inside one ends
nothing). Linear in the length of any input: the quantifiers are possessive, and nothing, not
even a quoted value, runs past a `<` (the theme's values have none: Jinja writes `&lt;`), so a
`<` with no `>` after it (a broken template) costs the distance to the next `<`, not a scan to
the end from each (100 kB took 43 s that way). Letters and spaces are ASCII's, as HTML's are."""
ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"<]*)"|'([^'<]*)'|([^\s"'=<>`]+)))?""", re.A)
"""One attribute of a start tag: its name, and its value in double, single or no quotes."""
EACH_PART_NAMED = re.compile(EACH_PART, re.I | re.A)


class _Cuts:
    """Where each page-start element begins in the HTML, and the start tags open there.

    The HTML is read tag by tag with one regular expression (TOKEN) rather than `html.parser`,
    the same tags and the same nesting in half the time (a 2,000-incident briefing's 280,000
    tags: 0.5 s against 1.0 s, measured 2026-12-07); a start tag's class is read only when it
    names a page start. Text between tags is never looked at: the HTML is the theme's, whose
    text and attribute values Jinja escapes."""

    def __init__(self, html: str):
        self.html = html
        self.cuts: dict[int, _Open] = {}
        """Cut offset -> the innermost element open there."""
        self.body = 0
        self.each_part: list[str] = []
        self._scan()

    def _scan(self) -> None:
        top: _Open | None = None  # the innermost open element; each points to its parent
        open_count: Counter[str] = Counter()  # open elements by tag: a stray end tag is seen at once
        each_part: tuple[int, int] | None = None  # (offset, depth) of an open data-each-part
        for match in TOKEN.finditer(self.html):
            tag = match.group("tag")
            if tag is None:
                continue  # a comment, a declaration, a script or a style
            tag, attributes = tag.lower(), match.group("attributes")
            depth = top.depth if top else 0
            if match.group("end"):
                top = _closed(top, tag, open_count)
            else:
                if tag == "body":
                    self.body = match.end()
                elif PAGE_START in attributes and depth > 2 \
                        and PAGE_START in _attributes(attributes).get("class", "").split():
                    self.cuts[match.start()] = top
                if each_part is None and EACH_PART_NAMED.search(attributes) \
                        and EACH_PART in _attributes(attributes):
                    each_part = (match.start(), depth)
                if tag not in VOID and not attributes.endswith("/"):  # <tag/>: opened and closed
                    top = _Open(tag, match.group(0), top, depth + 1)
                    open_count[tag] += 1
                    continue
            if each_part is not None and (top.depth if top else 0) == each_part[1]:
                self.each_part.append(self.html[each_part[0]:match.end()])
                each_part = None

    def opened(self, offset: int) -> list[_Open]:
        """The elements open at the cut at `offset` inside the body, outermost first."""
        found = []
        node = self.cuts[offset]
        while node is not None and node.depth > 2:
            found.append(node)
            node = node.parent
        return found[::-1]

    def pieces(self) -> list[tuple[int, int]]:
        """(start, end) of the text before the first cut and between cuts; a cut with nothing
        but start tags before the next one is no cut."""
        starts, previous, shown = [0], 0, False  # shown: text since the last start
        for offset in self.cuts:  # each stretch read once, however many cuts show nothing
            shown = shown or bool(TOKEN.sub("", self.html[previous:offset]).strip())
            previous = offset
            if shown:
                starts.append(offset)
                shown = False
        ends = [*starts[1:], len(self.html)]
        return list(zip(starts, ends, strict=True))

    def part(self, start: int, end: int, *, first: bool) -> str:
        """The HTML of the part from `start` to `end`, a document of its own."""
        head = self.html[:self.body].replace("</head>", PART_CSS + "</head>", 1)
        before = "" if first else "".join(
            [*self.each_part, *(_reopened(node.text) for node in self.opened(start))])
        body = self.html[max(start, self.body):end]
        if not first:  # begins with the cut's start tag
            tag_end = TOKEN.match(body).end()
            body = _with_classes(body[:tag_end], _part_start) + body[tag_end:]
        if end == len(self.html):
            return head + before + body
        after = "".join(f"</{node.written}>" for node in reversed(self.opened(end)))
        return head + before + body + after + "\n</body>\n</html>\n"


class _Open(NamedTuple):
    """An element open at some point of the HTML: a stack whose every state is kept by the cut
    that saw it, at no cost (a copy of the stack at each cut grew with cuts times depth: minutes
    and gigabytes for a template that never closes its page starts)."""

    tag: str
    """Its name in lower case, as an end tag is matched to it."""
    text: str
    """Its start tag as written."""
    parent: _Open | None
    depth: int

    @property
    def written(self) -> str:
        """Its name as its start tag writes it (a start tag begins with `<` and its name)."""
        return self.text[1:1 + len(self.tag)]


def _closed(top: _Open | None, tag: str, open_count: Counter[str]) -> _Open | None:
    """The innermost open element once an end tag closes its element and any left open inside
    it; a stray end tag closes nothing."""
    if not open_count[tag]:
        return top
    while top is not None:
        open_count[top.tag] -= 1
        if top.tag == tag:
            return top.parent
        top = top.parent
    return None


def _reopened(start_tag: str) -> str:
    """An ancestor's start tag as a later part opens it again: no id (anchored where the
    element begins) and no page break of its own (the part begins a page anyway)."""
    return _with_classes(start_tag, lambda classes: [c for c in classes if c != PAGE_START],
                         drop_id=True)


def _part_start(classes: list[str]) -> list[str]:
    """The classes of the element a part begins with: it begins the part's first page."""
    return [name for c in classes for name in ((c, "part-start") if c == PAGE_START else (c,))]


def _attributes(attributes: str) -> dict[str, str]:
    """A start tag's attributes, by name in lower case (the first of a name, as HTML reads
    them), values with their entities decoded: a value is never read as an attribute."""
    found: dict[str, str] = {}
    for match in ATTRIBUTE.finditer(attributes):
        found.setdefault(match.group(1).lower(), _value(match))
    return found


def _value(attribute: re.Match) -> str:
    """An ATTRIBUTE's value, quoted or not, its entities decoded ("" when it has none)."""
    return html_lib.unescape(next((v for v in attribute.group(2, 3, 4) if v is not None), ""))


def _with_classes(start_tag: str, change: Callable[[list[str]], list[str]], *,
                  drop_id: bool = False) -> str:
    """The start tag with its class list changed (and its id dropped), the rest as written."""
    tag = TOKEN.fullmatch(start_tag)
    begin, end = tag.span("attributes")
    kept, last, classes_seen = [start_tag[:begin]], begin, False
    for attribute in ATTRIBUTE.finditer(start_tag, begin, end):
        name = attribute.group(1).lower()
        if name == "id" and drop_id:
            kept.append(start_tag[last:attribute.start()].rstrip())
        elif name == "class" and not classes_seen:
            classes_seen = True
            changed = " ".join(change(_value(attribute).split()))
            kept.append(start_tag[last:attribute.start()] + f'class="{html_lib.escape(changed)}"')
        else:
            continue
        last = attribute.end()
    return "".join(kept) + start_tag[last:]


def numbered_links(html: str, pages: int, rest: list[LaidOut]) -> str:
    """The first part with each link to another part's anchor given that anchor's final page,
    the first part being `pages` long."""
    final: dict[str, int] = {}
    offset = pages + 1
    for part in rest:
        for name, page in part.anchors.items():
            final.setdefault(name, offset + page)
        offset += part.pages

    def number(match: re.Match) -> str:
        page = final.get(match.group(1))
        return match.group(0) if page is None else f'{match.group(0)} data-page="{page}"'

    return LINK.sub(number, html)


def stamps_html(html: str, pages: int) -> str:
    """A document of `pages` empty pages with the briefing's stylesheet: only its page-margin
    boxes that do not show an element of the text have content, the page numbers."""
    head = html[:html.index("</head>")] + STAMP_CSS + "</head>\n<body>\n"
    return head + '<div class="stamp"></div>\n' * pages + "</body>\n</html>\n"


def merged(notices: list[Notice]) -> list[Notice]:
    """The parts' notices as one layout would say them: each kind once, counted."""
    found: dict[tuple, Notice] = {}
    for notice in notices:
        key = (notice.kind or notice.message, notice.owner, notice.url)
        first = found.get(key)
        found[key] = notice if first is None else Notice(
            first.message, first.owner, first.url, first.kind, first.count + notice.count)
    return list(found.values())


@dataclass(frozen=True)
class _KeptPart:
    """What is kept beside a part's PDF: its name (a part copied under another's is not it)
    and what `LaidOut` says besides the bytes."""

    key: str
    pages: int
    anchors: dict[str, int]
    levels: list[int]
    notices: list[Notice]
    footprint: Footprint | None = None


KEPT_PART = TypeAdapter(_KeptPart)


class Layouts:
    """Lays out parts, in the caller's `pool` when there is one, reusing those kept in its
    `cache`. The sources are attached to the first part only: the join keeps its catalog."""

    def __init__(self, settings: PdfSettings, pool: Executor | None, cache: Cache | None):
        self.pool, self.cache = pool, cache
        self.settings = {"attached": settings, "": replace(settings, sources=()),
                         "plain": replace(settings, sources=(), variant="none")}
        self.salt = {attached: json.dumps([
            __version__, weasyprint.__version__, folders_fingerprint(),
            hashlib.sha256(repr(_placeless(each)).encode("utf-8")).hexdigest()]).encode("utf-8")
            for attached, each in self.settings.items()}
        self.used: set[str] = set()

    def __enter__(self) -> Layouts:
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None and self.cache is not None:
            self.cache.keep_only("part", self.used)  # what this build did not use is not kept

    def many(self, items: list[tuple[str, str]],
             meanwhile: Callable[[], None] = lambda: None) -> list[LaidOut]:
        """Each (html, kind) laid out, kept or made: made in parallel when there is a pool,
        the largest first, so that the last to finish is a small one. `kind` is "" for a
        part, "attached" for the first part with the sources, "plain" for the page numbers
        (untagged whatever the variant: the join marks them as artifacts). `meanwhile` is
        called once those for the pool are submitted (it may give the pool more to do after
        them), or before any is laid out here."""
        keys = [self._key(html, kind) for html, kind in items]
        found = {key: self._kept(key) for key in keys}
        missing = {key: item for key, item in zip(keys, items, strict=True) if found[key] is None}
        order = sorted(missing, key=lambda key: -len(missing[key][0]))
        if len(missing) > 1 and self.pool is not None:
            running = {key: self.pool.submit(_lay_out_in_worker, missing[key][0],
                                             self.settings[missing[key][1]], _name(key))
                       for key in order}
            made = ((key, running[key].result()) for key in order)
        else:
            made = ((key, lay_out(html, self.settings[kind], part=_name(key)))
                    for key, (html, kind) in missing.items())
        meanwhile()
        for key, laid_out in made:
            found[key] = laid_out
            self._keep(key, laid_out)
        self.used.update(keys)
        return [found[key] for key in keys]

    def _key(self, html: str, kind: str) -> str:
        return hashlib.sha256(self.salt[kind] + html.encode("utf-8")).hexdigest()[:32]

    def _kept(self, key: str) -> LaidOut | None:
        """The part kept under `key`, or None when it is missing or not what this build
        wrote there (damaged, or edited by hand, or another part's): then it is laid out
        again."""
        blob = self.cache.get("part", key) if self.cache is not None else None
        if blob is None:
            return None
        try:
            head, data = blob.split(b"\n", 1)
            meta = KEPT_PART.validate_json(head, strict=True)
        except ValueError:
            return None
        sound = (meta.key == key and all(0 <= page < meta.pages for page in meta.anchors.values()))
        return LaidOut(data, meta.notices, meta.pages, meta.anchors, meta.levels,
                       meta.footprint) if sound else None

    def _keep(self, key: str, laid_out: LaidOut) -> None:
        if self.cache is None:
            return
        meta = _KeptPart(key, laid_out.pages, laid_out.anchors, laid_out.levels, laid_out.notices,
                         laid_out.footprint)
        self.cache.put("part", key, KEPT_PART.dump_json(meta) + b"\n" + laid_out.data)


def _placeless(settings: PdfSettings) -> PdfSettings:
    """The settings as they bear on a layout, wherever the project lies: the folders inside
    the project relative to it, so a project copied elsewhere keeps its parts and its bytes (a
    part's key names its table ids)."""
    home = settings.home
    if home is None:
        return settings

    def relative(folder: Path) -> Path:
        return folder.relative_to(home) if folder.is_relative_to(home) else folder

    return replace(settings, base=relative(settings.base), roots=tuple(map(relative, settings.roots)),
                   home=None)


def _name(key: str) -> str:
    """A part's name in its table ids (`table_tags`): its key's start, unique as the key is (a
    part holds anchors no other part holds)."""
    return f"p{key[:12]}-"


def _lay_out_in_worker(html: str, settings: PdfSettings, part: str) -> LaidOut:
    """In a worker process: one part, links to other parts kept, with its footprint in the
    joined file (for the join to write the parts' shares in parallel). The boxes of the part
    before are collected first: with the build's rarer collections (`make.tuning`) a worker
    would otherwise hold two parts' garbage at once. (Not in the build's own process, where a
    full collection would walk the whole project for every part.)"""
    gc.collect()
    laid_out = lay_out(html, settings, part=part)
    return laid_out._replace(footprint=footprint(laid_out.data))
