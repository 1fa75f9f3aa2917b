"""The parts of a PDF laid out apart (`pdf.parts`) joined into one document, written object
by object, one part at a time, each part's share of the file kept for the next join.

Each part is opened in turn (pikepdf) and the objects its pages, its structure elements and its
links reach are written under joined numbers (`_Part`), packed into object streams of the
part's own (`_Piece`); the part is then closed. What a reader's tool reads across pages is
gathered from each part and written once, for the whole document (`_Document`):

- the page tree: every part's pages, in order;
- named destinations: one table, from the anchors each part really holds (a part's stand-ins
  for anchors of other parts are left out), so every link resolves;
- the outline: each part's bookmarks, in order, pointing at the joined pages;
- page numbers: the pages of a small document laid out with the theme's footer only are drawn
  over the joined pages (as artifacts, outside the structure tree);
- the structure tree of a tagged PDF: one Document element holding each part's elements in
  order (WeasyPrint opens a new element on each page an element continues on, so the section a
  part continues becomes a sibling, exactly as in one layout: the trees are the same); the
  parent tree renumbered (each part's keys moved past the previous parts', and the pages' and
  annotations' keys with them). Marked-content ids belong to their page and stay; table-header
  ids are each part's own already (`table_tags`);
- the catalog: the first part's (metadata, language, viewer preferences, output intent,
  attachments), pointing at all of these.

Why not qpdf's own page copying and writer (pikepdf's `pages.extend`, `copy_foreign`, `save`),
which the join used first: they hold every object of the document in memory until the file is
written, about 1 kB each; at 2,000 incidents 340,000 objects, 0.5 GB, growing with the document
where the rest of the build grows with a part.

Incremental. A part's objects take numbers from a range of its own (`_span`: its object count
with room to spare, rounded up to SPAN), after the previous parts' ranges; the numbers left
over are free entries. So a part's share of the file (its bytes, where its objects are, what it
adds to the tables above) depends only on the part and its place (`_Place`: where its range
and its pages begin, its first parent-tree key), and is kept in the caller's cache under the
digest of both. After an edit, the part that changed is joined again, and the parts after it
too only when it moved them: when its pages, its parent-tree keys or its object range grew.

Parallel. A part's place follows from what each part before it takes of the file (`Footprint`:
its object range, pages and parent-tree keys), which the worker that laid it out notes (or the
join reads), and from the stamps' range, which is sized by the document's page count
(`_stamps_span`). Given a pool, the join works out every place from these and writes there, all
at once, the shares not kept (`Joining.write_ahead`), even before the parts are final (the
first part is laid out again while the others' shares are written); it then goes through the
parts in order as without a pool, and uses a share written ahead only when it reaches it at
the place it was written for. A guess that misled (a first part whose length changed, say)
costs time, not bytes.

The file is what WeasyPrint writes for each part: PDF 1.7, every object but the streams packed
in compressed object streams, a cross-reference stream. The same parts always give the same
bytes; the file identifier, where the first part has one (PDF/A), keeps that part's first half,
derived from the report, and takes a digest of the content as its second.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
import zlib
from collections.abc import Iterator
from concurrent.futures import Executor, Future
from dataclasses import asdict, dataclass, field, fields
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name
from pydantic import TypeAdapter

from reportgen import __version__
from reportgen.pdf.cache import Cache
from reportgen.pdf.layout import Footprint, LaidOut

TOKEN = re.compile(rb"\((?:\\[\s\S]?|[^\\()])*+(?:\)|\Z)|<[0-9A-Fa-f\s]*+>|(?<![\w/.#+-])(\d+) (\d+) R")
"""In qpdf's text of an object: a literal or hex string (passed over: qpdf escapes every
parenthesis in a string, so a string ends at the first bare one, or at the end of a text cut
short) or an indirect reference. Linear in any text: no string runs past a bare "(", and one
left open ends the text rather than being scanned to the end from each escaped "(" in it."""
PAGE_TREE, ELEMENT, STRUCTURE, PARENT_TREE, DESTS, CATALOG, FIRST_RANGE = range(1, 8)
"""The numbers of the objects written for the whole document, fixed so that a part can refer
to them before they are written; the stamps' range, then the parts', begin after them."""
PACKED = 200
"""Objects per object stream."""
SPAN = 1_000
"""A part's numbers are a multiple of SPAN: an edit that adds a few objects to a part does not
move the ranges of the parts after it."""
ADDED_PER_PAGE = 3
"""Objects the join adds for each page: a form for its page number, two content streams."""
STAMP_ROOM = 6
"""The stamps' range has room for at least this many objects per page, and SPAN more: the
theme's page numbers take about 5 (two objects per page and the ADDED_PER_PAGE every range is
given), so their range, and the place of every part after it, follows from the page count."""
STAMP = "/ReportgenPageNumber{}"
"""The resource name of a page's page number: its own on each page, since a part's pages may
share one resource dictionary."""


def join(parts: list[LaidOut], stamps: bytes, cache: Cache | None = None,
         pool: Executor | None = None) -> bytes:
    """One PDF of the parts in order, the pages of `stamps` drawn over theirs; each part's
    share kept in `cache` (when given) and reused from there, those not kept written in `pool`
    (when given) all at once."""
    return Joining(cache, pool).join(parts, stamps)


class Joining:
    """One join, which may begin before its parts are final: `write_ahead` starts writing the
    shares of parts already laid out, `join` writes the file."""

    def __init__(self, cache: Cache | None, pool: Executor | None):
        self.kept, self.pool = _Kept(cache), pool

    def write_ahead(self, parts: list[LaidOut], pages: int, *, except_first: bool = False) -> None:
        """Start writing in the pool (if any) the shares of `parts`, but the first when it is
        to be laid out again, at their places in a document of `pages` pages."""
        if self.pool is not None:
            self.kept.write_ahead(parts, _Place.at_start(_stamps_span(pages)), self.pool, except_first)

    def join(self, parts: list[LaidOut], stamps: bytes) -> bytes:
        document = _Document()
        with pikepdf.Pdf.open(BytesIO(stamps)) as pdf:
            forms = _stamp_forms(pdf)
        document.add(forms)
        place = _Place.at_start(forms.span)
        kept = self.kept
        if self.pool is not None:
            kept.write_ahead(parts, place, self.pool)
        for part in parts:
            name = kept.name(part, place)
            share = kept.get(name, place)
            if share is None:
                share = _share(part, place)
                kept.put(name, share)
            document.add(share)
            place = place.after(share.footprint(place))
        kept.forget_others()
        return document.finish(place.start)


def footprint(data: bytes) -> Footprint:
    """What the part whose PDF is `data` takes of a joined file, wherever it falls."""
    with pikepdf.Pdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        return Footprint(_span(pdf), len(pdf.pages),
                         _keys(_parent_tree(root)) if root is not None else 0)


@dataclass(frozen=True)
class _Place:
    """Where a part falls in the joined file: its first object number, its first page (from
    1), its first parent-tree key; the first part also gives the document its catalog."""

    start: int
    first_page: int
    first_key: int
    first: bool

    @classmethod
    def at_start(cls, stamps_span: int) -> _Place:
        """Where the first part falls: after the objects of the whole and the stamps' range."""
        return cls(FIRST_RANGE + stamps_span, first_page=1, first_key=0, first=True)

    def after(self, footprint: Footprint) -> _Place:
        """Where the part after one of this footprint, at this place, falls."""
        return _Place(self.start + footprint.span, self.first_page + footprint.pages,
                      self.first_key + footprint.keys, first=False)


@dataclass
class _Share:
    """A part's share of the joined file: its objects' bytes (`data`) and where each is
    (`entries`: number, kind, offset in `data` or object stream, index), and what it adds to
    the document's tables, as PDF text (latin-1) in joined numbers."""

    span: int
    data: bytes = b""
    entries: list[tuple[int, int, int, int]] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    dests: list[tuple[str, str]] = field(default_factory=list)
    bookmarks: list[tuple[int, str, str | None, bool]] = field(default_factory=list)
    """The outline items in reading order: (level, title, destination or None, closed), the
    level the CSS gave (`LaidOut.levels`; a part's own outline has them from its top)."""
    kids: list[str] = field(default_factory=list)
    parent_tree: list[tuple[int, str]] = field(default_factory=list)
    next_key: int = 0
    catalog: dict[str, dict[str, str]] = field(default_factory=dict)
    """The first part's: "catalog", "names", "trailer", "structure", "document" entries."""

    def footprint(self, place: _Place) -> Footprint:
        """What the share, written at `place`, takes of the file."""
        return Footprint(self.span, len(self.pages), self.next_key - place.first_key)


def _stamp_forms(pdf: pikepdf.Pdf) -> _Share:
    """Each page of the stamps as a form, page n's numbered FIRST_RANGE + n - 1."""
    piece = _Piece(FIRST_RANGE, max(_span(pdf), _stamps_span(len(pdf.pages))))
    stamps = _Part(piece, pdf)
    forms = [stamps.text(page.as_form_xobject().unparse()) for page in pdf.pages]
    assert forms == [b"%d 0 R" % (FIRST_RANGE + n) for n in range(len(forms))]
    stamps.write()
    return _Share(piece.span, *piece.written())


def _span(pdf: pikepdf.Pdf) -> int:
    """The numbers a part takes: its objects, those the join adds, its object streams."""
    need = int(pdf.trailer.Size) + ADDED_PER_PAGE * len(pdf.pages)
    need += need // PACKED + 1
    return _rounded(need)


def _stamps_span(pages: int) -> int:
    """The numbers the stamps of `pages` pages take at least (more only if they need more)."""
    return _rounded(STAMP_ROOM * pages + SPAN)


def _rounded(need: int) -> int:
    return -(-need // SPAN) * SPAN


def _share(part: LaidOut, place: _Place) -> _Share:
    """The part's share of the joined file at `place`."""
    with pikepdf.Pdf.open(BytesIO(part.data)) as pdf:
        piece = _Piece(place.start, _span(pdf))
        source = _Part(piece, pdf)
        share = _Share(piece.span, next_key=place.first_key)
        if place.first:
            share.catalog = _catalog(source, pdf)
        if "/StructTreeRoot" in pdf.Root:
            _structure(share, source, pdf.Root.StructTreeRoot, place)
        parent = source.stand_in(PAGE_TREE)
        for number, page in enumerate(pdf.pages, place.first_page):
            share.pages.append(_place_page(source, page, parent, number, place.first_key))
        _links(share, source, pdf, part)
        source.write()
        share.data, share.entries = piece.written()
    return share


def _catalog(source: _Part, pdf: pikepdf.Pdf) -> dict[str, dict[str, str]]:
    """The first part's catalog and trailer, less what the join writes for the whole."""
    def entries(dictionary: Dictionary, *leaving_out: str) -> dict[str, str]:
        return {k: _str(source.text(v.unparse())) for k, v in dictionary.items() if k not in leaving_out}

    found = {"catalog": entries(pdf.Root, "/Type", "/Pages", "/StructTreeRoot", "/Names", "/Outlines"),
             "names": entries(pdf.Root.get("/Names", Dictionary()), "/Dests"),
             "trailer": {}}
    if "/Info" in pdf.trailer:
        found["trailer"]["/Info"] = _str(source.text(pdf.trailer.Info.unparse()))
    if "/ID" in pdf.trailer:
        found["trailer"]["/ID"] = _str(pdf.trailer.ID[0].unparse())
    if "/StructTreeRoot" in pdf.Root:
        root = pdf.Root.StructTreeRoot
        found["structure"] = entries(root, "/K", "/ParentTree", "/ParentTreeNextKey")
        found["document"] = entries(_document(root), "/K", "/P")
    return found


def _structure(share: _Share, source: _Part, root: Dictionary, place: _Place) -> None:
    """The part's top-level elements become the joined Document's, its parent-tree keys moved
    past the previous parts'. The first part's Document keeps every element; a next part's
    empty ones (the running header, repeated in each part) are left out."""
    element = source.stand_in(ELEMENT)
    for kid in _kids(_document(root)):
        if _is_element(kid):
            if not place.first and not _kids(kid):
                continue
            kid.P = element
        share.kids.append(_str(source.text(kid.unparse())))
    tree = list(_parent_tree(root))
    share.parent_tree = [(key + place.first_key, _str(source.text(value.unparse())))
                         for key, value in tree]
    share.next_key = place.first_key + _keys(tree)


def _place_page(source: _Part, page: pikepdf.Page, parent: Dictionary, number: int,
                shift: int) -> str:
    """A part's page as page `number` of the joined file: in its page tree, its parent-tree
    keys (and its annotations') moved by `shift`, its page number drawn over it as an
    artifact. Returns the reference to it."""
    name = Name(STAMP.format(number))
    page.add_resource(source.stand_in(FIRST_RANGE + number - 1), Name.XObject, name)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n/Artifact BMC q " + str(name).encode("ascii") + b" Do Q EMC\n")
    page.obj.Parent = parent
    if "/StructParents" in page.obj:
        page.obj.StructParents = int(page.obj.StructParents) + shift
    for annotation in page.obj.get("/Annots") or []:
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + shift
    return _str(source.text(page.obj.unparse()))


def _links(share: _Share, source: _Part, pdf: pikepdf.Pdf, part: LaidOut) -> None:
    """The anchors the part really holds, and its bookmarks."""
    names = pdf.Root.get("/Names")
    if names is not None and "/Dests" in names:
        share.dests = [(str(name), _str(source.text(destination.unparse(resolved=True))))
                       for name, destination in pikepdf.NameTree(names.Dests).items()
                       if str(name) in part.anchors]
    outlines = pdf.Root.get("/Outlines")
    if outlines is not None:
        found = _bookmarks(source, outlines.get("/First"), 0)
        levels = part.levels if len(part.levels) == len(found) else [depth + 1 for depth, *_ in found]
        share.bookmarks = [(level, *rest) for level, (_, *rest) in zip(levels, found, strict=True)]


def _bookmarks(source: _Part, item: Dictionary | None, depth: int) -> list[tuple]:
    """A part's outline items from `item` on, each followed by its children."""
    found = []
    while item is not None:
        destination = item.get("/Dest")
        found.append((depth, _str(item.Title.unparse()),
                      None if destination is None else _str(source.text(destination.unparse())),
                      int(item.get("/Count", 0)) < 0))
        found += _bookmarks(source, item.get("/First"), depth + 1)
        item = item.get("/Next")
    return found


def _nested(flat: list[tuple[int, str, str | None, bool]]) -> list[list]:
    """The document's outline items in reading order, with their levels -> [title,
    destination, closed, children] trees: each item under the last before it of a lower
    level, as WeasyPrint nests the bookmarks of one layout."""
    roots: list[list] = []
    open_: list[tuple[int, list]] = [(-1, roots)]
    for level, title, destination, closed in flat:
        while open_[-1][0] >= level:
            open_.pop()
        item = [title, destination, closed, []]
        open_[-1][1].append(item)
        open_.append((level, item[3]))
    return roots


class _Piece:
    """Objects numbered from `start` (at most `span` of them): streams written as they come,
    the others packed PACKED to a compressed object stream."""

    def __init__(self, start: int, span: int):
        self.start, self.span, self.next = start, span, start
        self.out = bytearray()
        self.entries: list[tuple[int, int, int, int]] = []
        self.packed: list[tuple[int, bytes]] = []

    def reserve(self) -> int:
        """A new object number; the object must be written under it before the end."""
        if self.next >= self.start + self.span:
            raise ValueError("a part has more objects than its range holds")
        self.next += 1
        return self.next - 1

    def put(self, number: int, text: bytes) -> None:
        self.packed.append((number, text))
        if len(self.packed) == PACKED:
            self._pack()

    def put_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream: `dictionary` the text of its dictionary without /Length."""
        self.entries.append((number, 1, len(self.out), 0))
        self.out += b"%d 0 obj\n%s /Length %d >>\nstream\n" % (number, dictionary[:-2], len(data))
        self.out += data + b"\nendstream\nendobj\n"

    def _pack(self) -> None:
        if not self.packed:
            return
        number, offsets, at = self.reserve(), [], 0
        for index, (packed, text) in enumerate(self.packed):
            self.entries.append((packed, 2, number, index))
            offsets.append(b"%d %d" % (packed, at))
            at += len(text) + 1
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + b"".join(text + b"\n" for _, text in self.packed))
        self.put_stream(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>"
                        % (len(self.packed), len(head)), data)
        self.packed = []

    def written(self) -> tuple[bytes, list[tuple[int, int, int, int]]]:
        self._pack()
        return bytes(self.out), self.entries


class _Part:
    """One open part (or the stamps): its objects written to a piece under joined numbers,
    each the first time the text of an object being written refers to it."""

    def __init__(self, piece: _Piece, pdf: pikepdf.Pdf):
        self.piece, self.pdf = piece, pdf
        self.numbers: dict[int, int] = {}
        """This part's object number -> the joined one."""
        self.waiting: list[tuple[int, int]] = []

    def stand_in(self, joined: int) -> Dictionary:
        """An object of this part that stands for object `joined` of the joined file (the page
        tree, the Document element, a page number's form): a reference to it is written as one
        to `joined`, and it is not written itself."""
        placeholder = self.pdf.make_indirect(Dictionary())
        self.numbers[placeholder.objgen[0]] = joined
        return placeholder

    def text(self, unparsed: bytes) -> bytes:
        """qpdf's text of an object of this part, its references renumbered; each object it
        refers to waits to be written."""
        return TOKEN.sub(self._renumbered, unparsed)

    def _renumbered(self, match: re.Match) -> bytes:
        if match[1] is None:
            return match[0]
        number = int(match[1])
        joined = self.numbers.get(number)
        if joined is None:
            joined = self.numbers[number] = self.piece.reserve()
            self.waiting.append((number, int(match[2])))
        return b"%d 0 R" % joined

    def write(self) -> None:
        """Write every object waiting, and those they refer to."""
        while self.waiting:
            number, generation = self.waiting.pop()
            found = self.pdf.get_object(number, generation)
            joined = self.numbers[number]
            if isinstance(found, pikepdf.Stream):
                entries = Dictionary({k: v for k, v in found.stream_dict.items() if k != "/Length"})
                self.piece.put_stream(joined, self.text(entries.unparse()), found.read_raw_bytes())
            else:
                self.piece.put(joined, self.text(found.unparse(resolved=True)))


class _Kept:
    """Parts' shares kept in the caller's cache under the digest of the part and its place;
    those a join did not use are dropped after it."""

    def __init__(self, cache: Cache | None):
        self.cache = cache
        self.used: set[str] = set()
        self.ahead: dict[str, _Share | Future] = {}
        """Name -> a share read or being written ahead (`write_ahead`)."""

    def write_ahead(self, parts: list[LaidOut], place: _Place, pool: Executor,
                    except_first: bool = False) -> None:
        """Read the shares kept and start writing the others in `pool`, each at the place the
        footprints of the parts before it give (noted by their workers, or read here); the
        first part's only unless `except_first`, and none already read or begun. Those begun
        for places no longer foreseen are dropped (cancelled if not yet running), so that they
        do not hold up the pool."""
        foreseen = {}
        for index, part in enumerate(parts):
            name = self._named(part, place)
            if not (except_first and index == 0):
                foreseen[name] = self.ahead.pop(name, None) or self._read(name, place) \
                    or pool.submit(_share, part, place)
            place = place.after(part.footprint or footprint(part.data))
        self._drop_ahead()
        self.ahead = foreseen

    def name(self, part: LaidOut, place: _Place) -> str:
        """The name the share of `part` at `place` is kept under; it is used."""
        name = self._named(part, place)
        self.used.add(name)
        return name

    @staticmethod
    def _named(part: LaidOut, place: _Place) -> str:
        return hashlib.sha256(json.dumps([__version__, asdict(place)]).encode() + part.data).hexdigest()[:32]

    def get(self, name: str, place: _Place) -> _Share | None:
        """The share of `name` for `place`: read or written ahead, or kept; None when it is
        none of these (a kept one not as written is none)."""
        ahead = self.ahead.pop(name, None)
        if isinstance(ahead, Future):
            share = ahead.result()
            self.put(name, share)
            return share
        return ahead or self._read(name, place)

    def _read(self, name: str, place: _Place) -> _Share | None:
        blob = self.cache.get("share", name) if self.cache is not None else None
        if blob is None:
            return None
        try:
            head, data = blob.split(b"\n", 1)
            meta = json.loads(head)
            if set(meta) != KEPT_FIELDS or meta["name"] != name:
                return None
            share = SHARE.validate_json(json.dumps({k: v for k, v in meta.items() if k != "name"}),
                                        strict=True)
        except (ValueError, AttributeError):
            return None
        share.data = data
        return share if _sound(share, place) else None

    def put(self, name: str, share: _Share) -> None:
        if self.cache is None:
            return
        meta = {f.name: getattr(share, f.name) for f in fields(share) if f.name != "data"}
        meta["name"] = name  # (not `asdict`: it deep-copies every entry, seconds at 2,000 incidents)
        self.cache.put("share", name, json.dumps(meta, sort_keys=True).encode("ascii") + b"\n" + share.data)

    def forget_others(self) -> None:
        """Drop the shares this join did not use, kept or being written ahead."""
        self._drop_ahead()
        if self.cache is not None:
            self.cache.keep_only("share", self.used)

    def _drop_ahead(self) -> None:
        for ahead in self.ahead.values():
            if isinstance(ahead, Future):
                ahead.cancel()
        self.ahead = {}


SHARE = TypeAdapter(_Share)
"""A kept share read back: every field of the type it is written with."""
KEPT_FIELDS = {f.name for f in fields(_Share)} - {"data"} | {"name"}


def _sound(share: _Share, place: _Place) -> bool:
    """Whether a share read back can be joined at `place`: its objects numbered in its range,
    each where its bytes hold one, pages, and the first part's catalog only at the first place.
    With the digest and the types this tells a share damaged or edited by hand, which is then
    written again; it is no defence against whoever can write the build folder (they could as
    well write the parts)."""
    end = place.start + share.span
    return (share.span > 0 and share.span % SPAN == 0 and share.next_key >= place.first_key
            and all(place.start <= number < end and (
                (kind == 1 and 0 <= at < len(share.data) and index == 0)
                or (kind == 2 and place.start <= at < end and 0 <= index < PACKED))
                for number, kind, at, index in share.entries)
            and bool(share.pages)
            and (set(share.catalog) in ({"catalog", "names", "trailer"},
                                        {"catalog", "names", "trailer", "structure", "document"})
                 if place.first else not share.catalog))


class _Document:
    """The joined file: the parts' shares in order, then what is written for the whole."""

    def __init__(self):
        self.out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.entries: dict[int, tuple[int, int, int]] = {}
        self.pages: list[str] = []
        self.dests: dict[str, str] = {}
        self.outline: list[tuple[int, str, str | None, bool]] = []
        self.kids: list[str] = []
        self.parent_tree: list[tuple[int, str]] = []
        self.next_key = 0
        self.catalog: dict[str, dict[str, str]] = {}

    def add(self, share: _Share) -> None:
        offset = len(self.out)
        self.out += share.data
        for number, kind, at, index in share.entries:
            self.entries[number] = (kind, at + offset if kind == 1 else at, index)
        self.pages += share.pages
        for name, destination in share.dests:
            self.dests.setdefault(name, destination)
        self.outline += share.bookmarks
        self.kids += share.kids
        self.parent_tree += share.parent_tree
        self.next_key = max(self.next_key, share.next_key)
        self.catalog = self.catalog or share.catalog

    def finish(self, start: int) -> bytes:
        """The file, the objects written for the whole numbered from `start` (the outline's;
        the others have fixed numbers)."""
        piece = _Piece(start, 2 * len(self.outline) + 2)
        piece.put(PAGE_TREE, b"<< /Type /Pages /Kids [ %s ] /Count %d >>"
                  % (_bytes(" ".join(self.pages)), len(self.pages)))
        catalog = {"/Type": "/Catalog", "/Pages": f"{PAGE_TREE} 0 R", **self.catalog["catalog"]}
        if "structure" in self.catalog:
            catalog["/StructTreeRoot"] = self._structure(piece)
        piece.put(DESTS, b"<< /Names [ %s ] >>" % b" ".join(
            pikepdf.String(name).unparse() + b" " + _bytes(self.dests[name]) for name in sorted(self.dests)))
        catalog["/Names"] = _str(_dictionary({**self.catalog["names"], "/Dests": f"{DESTS} 0 R"}))
        if self.outline:
            root = piece.reserve()
            first, last, count = _write_level(piece, _nested(self.outline), root)
            piece.put(root, b"<< /Count %d /First %d 0 R /Last %d 0 R >>" % (count, first, last))
            catalog["/Outlines"] = f"{root} 0 R"
        piece.put(CATALOG, _dictionary(catalog))
        self.add(_Share(0, *piece.written()))
        return self._cross_reference(piece.next)

    def _structure(self, piece: _Piece) -> str:
        piece.put(ELEMENT, _dictionary({**self.catalog["document"], "/P": f"{STRUCTURE} 0 R",
                                        "/K": f"[ {' '.join(self.kids)} ]"}))
        piece.put(PARENT_TREE, b"<< /Nums [ %s ] >>" % _bytes(" ".join(
            f"{key} {value}" for key, value in self.parent_tree)))
        piece.put(STRUCTURE, _dictionary({**self.catalog["structure"], "/K": f"[ {ELEMENT} 0 R ]",
                                          "/ParentTree": f"{PARENT_TREE} 0 R",
                                          "/ParentTreeNextKey": str(self.next_key)}))
        return f"{STRUCTURE} 0 R"

    def _cross_reference(self, number: int) -> bytes:
        """The cross-reference stream, as object `number`, and the end of the file."""
        trailer = {"/Root": f"{CATALOG} 0 R", **{k: v for k, v in self.catalog["trailer"].items()
                                                  if k != "/ID"}}
        if "/ID" in self.catalog["trailer"]:
            digest = hashlib.md5(self.out).hexdigest()
            trailer["/ID"] = f"[ {self.catalog['trailer']['/ID']} <{digest}> ]"
        start = len(self.out)
        self.entries[number] = (1, start, 0)
        free = (0, 0, 0)
        rows = [struct.pack(">BIH", 0, 0, 65535)]
        rows += [struct.pack(">BIH", *self.entries.get(n, free)) for n in range(1, number + 1)]
        data = zlib.compress(b"".join(rows))
        self.out += b"%d 0 obj\n%s\nstream\n" % (number, _dictionary({
            "/Type": "/XRef", "/Size": str(number + 1), "/W": "[ 1 4 2 ]", **trailer,
            "/Filter": "/FlateDecode", "/Length": str(len(data))}))
        self.out += data + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
        return bytes(self.out)


def _write_level(piece: _Piece, items: list[list], parent: int) -> tuple[int, int, int]:
    """Write sibling outline items under `parent`: (first, last, the count of items visible),
    counted as pikepdf counts them."""
    numbers = [piece.reserve() for _ in items]
    count = len(items)
    for index, ((title, destination, closed, children), number) in enumerate(
            zip(items, numbers, strict=True)):
        entries = {"/Title": title, "/Parent": f"{parent} 0 R", "/Count": "0"}
        if destination is not None:
            entries["/Dest"] = destination
        if index:
            entries["/Prev"] = f"{numbers[index - 1]} 0 R"
        if index + 1 < len(items):
            entries["/Next"] = f"{numbers[index + 1]} 0 R"
        if children:
            first, last, below = _write_level(piece, children, number)
            entries.update({"/First": f"{first} 0 R", "/Last": f"{last} 0 R",
                            "/Count": str(-below if closed else below)})
            count += 0 if closed else below
        piece.put(number, _dictionary(entries))
    return numbers[0], numbers[-1], count


def _dictionary(entries: dict[str, str]) -> bytes:
    return _bytes("<< " + " ".join(f"{key} {value}" for key, value in entries.items()) + " >>")


def _str(text: bytes) -> str:
    """PDF text kept as str: each byte one character, so that JSON keeps it as it is."""
    return text.decode("latin-1")


def _bytes(text: str) -> bytes:
    return text.encode("latin-1")


def _document(root: Dictionary) -> Dictionary:
    kids = root.K
    return kids[0] if isinstance(kids, Array) else kids


def _parent_tree(root: Dictionary) -> Iterator[tuple[int, pikepdf.Object]]:
    if "/ParentTree" not in root:
        return iter(())
    return iter(pikepdf.NumberTree(root.ParentTree).items())


def _keys(tree: Iterator[tuple[int, object]] | list[tuple[int, object]]) -> int:
    """The parent-tree keys a part takes: up to its largest."""
    return max((key + 1 for key, _ in tree), default=0)


def _kids(element: Dictionary) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(item: pikepdf.Object) -> bool:
    return isinstance(item, Dictionary) and "/S" in item
