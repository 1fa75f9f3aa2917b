"""A long briefing's PDF laid out in parts, in parallel worker processes, and joined into one
document a reader cannot tell from a single layout.

WeasyPrint lays a document out in one process, on one core, and holds every box until the last
page is written: a 2,000-incident report takes minutes and gigabytes. Laid out in parts, the
work spreads over the cores, memory follows the size of a part, and an unchanged part is reused.

Where the cuts fall. Only before an element of class `page-start`, where the theme begins a new
page (print.css: each annex; in a long report each section and each month of the chronology), so
a part's first page is a page of the whole document too. A part is the document's head, the
elements marked `data-each-part` before it (the running header and footer), the start tags of
the cut's ancestors (without their ids: those are anchored where the element really begins) and
the content up to the next cut. Cuts are grouped into parts of at least PART_WEIGHT tags; the
first part (page 1 and the contents) is kept small, on its own. A short document (SPLIT_AT) is
laid out whole.

As it is written. The HTML may come as a template writes it (`Template.generate`): each part is
cut off and handed to a process as soon as the text read settles it, while the template writes
the rest (`_Cutter`; the rule, with a worked example, in docs/engine.md, "Parts laid out as they
are written"). The parts are the same whatever pieces the text comes in.

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
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future
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
READ_STEP = 1 << 18
"""How much of the text as it is written is read at a time: a quarter of a megabyte, about 15 ms
of a template's writing (each read copies the text of the parts not yet given out)."""
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
LINK = re.compile(r'<a\b[^<>]*?\shref="#([^"<>]+)"')


def render_in_parts(html: str | Iterable[str], settings: PdfSettings, *,
                    pool: Executor | None = None, cache: Cache | None = None,
                    weight: int = PART_WEIGHT, step: int = READ_STEP) -> PdfResult:
    """The PDF of `html`, given whole or as it is written: laid out whole when short, else in
    parts, each as soon as it is settled, read `step` characters at a time (see above)."""
    cutter = _Cutter(weight)
    parts = cutter.parts(html, step=step)
    first_html = next(parts)
    second = next(parts, None)
    if second is None:
        whole = lay_out(first_html, settings)
        return PdfResult(whole.data, whole.notices)
    joining = Joining(cache, pool)
    with Layouts(settings, pool, cache) as layouts:
        # page 1 with the sources it is laid out with again: its footprint foresees the places
        first, *rest = layouts.many(itertools.chain(
            [(first_html, "attached"), (second, "")], ((part, "") for part in parts)))
        pages = sum(part.pages for part in rest)
        assumed = first.pages
        for _ in range(3):  # the contents' page numbers may change the first part's length
            ahead = functools.partial(joining.write_ahead, [first, *rest], assumed + pages,
                                      except_first=True)  # while the first is laid out again
            first, stamps = layouts.many([(numbered_links(first_html, assumed, rest), "attached"),
                                          (stamps_html(cutter.head, assumed + pages), "plain")],
                                         meanwhile=ahead)
            if first.pages == assumed:
                break
            assumed = first.pages
    data = joining.join([first, *rest], stamps.data)
    return PdfResult(data, merged([n for part in (first, *rest) for n in part.notices]))


def split(html: str | Iterable[str], weight: int = PART_WEIGHT, *, step: int = READ_STEP) -> list[str]:
    """The parts' HTML, in order, of `html` given whole or in pieces (the same parts whatever
    the pieces and `step`: `_Cutter.parts`); [html] when it makes one part."""
    return list(_Cutter(weight).parts(html, step=step))


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


class _Cutter:
    """The parts of an HTML document read as it is written (`read`), each given out once it is
    settled (docs/engine.md, "Parts laid out as they are written"): the first when the text
    after it holds SPLIT_AT parts' worth, a later one when the part after it holds half a
    part's worth (a shorter last part joins the one before it), the rest at the end.

    The HTML is read tag by tag with one regular expression (TOKEN) rather than `html.parser`,
    the same tags and the same nesting in half the time (a 2,000-incident briefing's 280,000
    tags: 0.5 s against 1.0 s, measured 2026-12-07); a start tag's class is read only when it
    names a page start. Text between tags is never looked at: the HTML is the theme's, whose
    text and attribute values Jinja escapes. A token is taken only when it is whole: a comment,
    script or style that runs to the end of the text read so far is read again with what
    follows (a tag is whole at its `>`, and nothing but a comment, script or style holds a
    `<`), so the tokens are those of the whole text, whatever pieces it comes in. Only the text
    of the parts not given out is held; the head is that before the first `<body>` tag read
    before the first part is given out."""

    def __init__(self, weight: int):
        self.weight = weight
        self.text, self.base = "", 0
        """The text not given out yet, and its offset in the document."""
        self.scanned = 0
        """Where the next token is looked for."""
        self.top: _Open | None = None
        """The innermost open element; each points to its parent."""
        self.open_count: Counter[str] = Counter()
        """Open elements by tag: a stray end tag is seen at once."""
        self.body: int | None = None
        self.head = ""
        self.each_part: list[tuple[int, str]] = []
        """The data-each-part elements: where each ends, and its text."""
        self.each_part_open: tuple[int, int] | None = None
        """(offset, depth) of a data-each-part element not yet closed."""
        self.cuts: dict[int, _Open | None] = {}
        """Offset of each piece but the first -> the innermost element open there."""
        self.last_cut, self.piece_start, self.shown = 0, 0, False
        self.groups: list[list[int]] = []
        """[start, end, tags] of each part, pieces in a row."""
        self.given = 0
        self.split = False
        self.out: list[str] = []

    def parts(self, chunks: str | Iterable[str], *, step: int = READ_STEP) -> Iterator[str]:
        """The parts' HTML, in order, each as soon as the text that settles it has come in
        `chunks` (the whole text, or a template's output as it is written); the whole HTML alone
        when it makes one part. The text is read `step` characters at a time, or a quarter of
        the text held when more (each read copies it and may look again at a comment or script
        not yet closed: reading in ever larger steps keeps the work linear in the text): the
        parts are the same whatever the steps."""
        pending: list[str] = []
        size = 0
        for chunk in [chunks] if isinstance(chunks, str) else chunks:
            pending.append(chunk)
            size += len(chunk)
            if size >= max(step, len(self.text) // 4):
                yield from self.read("".join(pending))
                pending, size = [], 0
        yield from self.read("".join(pending), final=True)

    def read(self, text: str, *, final: bool = False) -> list[str]:
        """The parts settled once `text` follows what was read; with `final`, all that are
        left (the whole document alone when it makes one part)."""
        keep = self._held_from()
        self.text, self.base = self.text[keep - self.base:] + text, keep
        for match in TOKEN.finditer(self.text, self.scanned - self.base):
            if not final and match.group("tag") is None and match.end() == len(self.text):
                break  # a comment, a script or a style that may go on in the text to come
            self.scanned = self.base + match.end()
            self._token(match)
        if final:
            self._end()
        out, self.out = self.out, []
        return out

    def _held_from(self) -> int:
        """Where the text still needed begins: the first part not given out (all of it before
        the document is known to be split), or an open data-each-part element."""
        keep = self.groups[self.given][0] if self.split else 0
        return keep if self.each_part_open is None else min(keep, self.each_part_open[0])

    def _token(self, match: re.Match) -> None:
        tag = match.group("tag")
        if tag is None:
            return  # a comment, a declaration, a script or a style
        tag, attributes = tag.lower(), match.group("attributes")
        top = self.top
        depth = top.depth if top else 0
        if match.group("end"):
            self.top = _closed(top, tag, self.open_count)
        else:
            if tag == "body":
                if self.body is None and not self.split:
                    self.body = self.base + match.end()
                    self.head = self.text[:match.end()]  # nothing is dropped before the split
            elif PAGE_START in attributes and depth > 2 \
                    and PAGE_START in _attributes(attributes).get("class", "").split():
                self._cut(self.base + match.start(), top)
            if self.each_part_open is None and EACH_PART_NAMED.search(attributes) \
                    and EACH_PART in _attributes(attributes):
                self.each_part_open = (self.base + match.start(), depth)
            if tag not in VOID and not attributes.endswith("/"):  # <tag/>: opened and closed
                self.top = _Open(tag, match.group(0), top, depth + 1)
                self.open_count[tag] += 1
                return
        if self.each_part_open is not None \
                and (self.top.depth if self.top else 0) == self.each_part_open[1]:
            start = self.each_part_open[0] - self.base
            self.each_part.append((self.base + match.end(), self.text[start:match.end()]))
            self.each_part_open = None

    def _cut(self, offset: int, top: _Open | None) -> None:
        """A page start at `offset`: a piece begins there when text was shown since the last
        one began (a cut with nothing but start tags before the next one is no cut)."""
        between = self.text[self.last_cut - self.base:offset - self.base]
        self.shown = self.shown or bool(TOKEN.sub("", between).strip())
        self.last_cut = offset
        if self.shown:
            self.cuts[offset] = top
            self._piece(self.piece_start, offset)
            self.piece_start, self.shown = offset, False

    def _piece(self, start: int, end: int) -> None:
        """One more piece: it begins a part when the last holds a part's worth, else it joins
        it (page 1 and the contents are a part on their own)."""
        tags = self.text.count("<", start - self.base, end - self.base)
        groups = self.groups
        if len(groups) < 2 or groups[-1][2] >= self.weight:
            groups.append([start, end, tags])
        else:
            groups[-1][1:] = [end, groups[-1][2] + tags]
        self.split = self.split or (
            len(groups) > 1 and sum(tags for *_, tags in groups[1:]) >= SPLIT_AT * self.weight)
        while self.split and self.given < len(groups) - 1 \
                and (self.given == 0 or groups[self.given + 1][2] >= self.weight / 2):
            self._give(last=False)

    def _end(self) -> None:
        self._piece(self.piece_start, self.base + len(self.text))
        groups = self.groups
        if len(groups) > 2 and groups[-1][2] < self.weight / 2:  # a short tail joins the last
            _, end, tags = groups.pop()
            groups[-1][1:] = [end, groups[-1][2] + tags]
        if not self.split:
            self.out.append(self.text)  # held whole: nothing is dropped before the split
            return
        while self.given < len(groups):
            self._give(last=self.given == len(groups) - 1)

    def _give(self, *, last: bool) -> None:
        """The next part out, a document of its own."""
        start, end, _ = self.groups[self.given]
        first = self.given == 0
        self.given += 1
        head = self.head.replace("</head>", PART_CSS + "</head>", 1)
        before = "" if first else "".join(
            [*(text for ended, text in self.each_part if ended <= start),
             *(_reopened(node.text) for node in self.opened(start))])
        begins = max(start, self.body or 0)
        body = self.text[begins - self.base:end - self.base]
        if not first and begins == start:  # begins with the cut's start tag
            tag_end = TOKEN.match(body).end()
            body = _with_classes(body[:tag_end], _part_start) + body[tag_end:]
        if last:
            self.out.append(head + before + body)
            return
        after = "".join(f"</{node.written}>" for node in reversed(self.opened(end)))
        self.out.append(head + before + body + after + "\n</body>\n</html>\n")

    def opened(self, offset: int) -> list[_Open]:
        """The elements open at the cut at `offset` inside the body, outermost first."""
        found = []
        node = self.cuts[offset]
        while node is not None and node.depth > 2:
            found.append(node)
            node = node.parent
        return found[::-1]


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


def stamps_html(head: str, pages: int) -> str:
    """A document of `pages` empty pages with the briefing's stylesheet (its `head`, the text
    before the body): only its page-margin boxes that do not show an element of the text have
    content, the page numbers."""
    head = head.partition("</head>")[0] + STAMP_CSS + "</head>\n<body>\n"
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

    def many(self, items: Iterable[tuple[str, str]],
             meanwhile: Callable[[], None] = lambda: None) -> list[LaidOut]:
        """Each (html, kind) laid out, kept or made, taken as `items` come (a template may
        still be writing the later ones). `kind` is "" for a part, "attached" for the first
        part with the sources, "plain" for the page numbers (untagged whatever the variant: the
        join marks them as artifacts). Made in the pool when there is one and more than one is
        missing, each as it comes; once all have come, those no process has taken yet are
        handed over again longest first, so that the last to finish is a short one
        (docs/engine.md, "Parts laid out as they are written"). `meanwhile` is called once all
        are handed over (it may give the pool more to do after them), or before any is laid
        out here."""
        keys: list[str] = []
        found: dict[str, LaidOut | None] = {}
        missing: dict[str, tuple[str, str]] = {}
        running: dict[str, Future] = {}
        for html, kind in items:
            key = self._key(html, kind)
            keys.append(key)
            if key not in found:
                found[key] = self._kept(key)
                if found[key] is None:
                    missing[key] = (html, kind)
                    if self.pool is not None and len(missing) > 1:  # one alone is laid out here
                        running |= {key: self._submit(*missing[key], key)
                                    for key in missing if key not in running}
        if running:
            for key in sorted(missing, key=lambda key: -len(missing[key][0])):
                if running[key].cancel():  # not taken yet: after the longer ones
                    running[key] = self._submit(*missing[key], key)
        meanwhile()
        made = itertools.chain(
            ((key, future.result()) for key, future in running.items()),
            ((key, lay_out(html, self.settings[kind], part=_name(key)))
             for key, (html, kind) in missing.items() if key not in running))
        for key, laid_out in made:
            found[key] = laid_out
            self._keep(key, laid_out)
        self.used.update(keys)
        return [found[key] for key in keys]

    def _submit(self, html: str, kind: str, key: str) -> Future:
        return self.pool.submit(_lay_out_in_worker, html, self.settings[kind], _name(key))

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


INSTALLED = Path(__file__).resolve().parents[1]
"""Where reportgen lies, resolved as `layout.package_templates` resolves the default theme (a
folder a PDF may read, inside it; the engine names no module of the build's)."""


def _placeless(settings: PdfSettings) -> PdfSettings:
    """The settings as they bear on a layout, wherever the project and reportgen lie: the
    folders inside the project relative to it, those inside reportgen (its default theme)
    relative to it, so a project copied elsewhere, or built by reportgen installed elsewhere,
    keeps its parts and its bytes (a part's key names its table ids)."""

    def relative(folder: Path) -> Path:  # reportgen first: it may be installed in the project
        for anchor, shown in ((INSTALLED, "<reportgen>"), (settings.home, "")):
            if anchor is not None and folder.is_relative_to(anchor):
                return Path(shown, folder.relative_to(anchor))
        return folder

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
