"""The parts of a PDF laid out apart (`render.parts`) joined into one document, written object
by object so that the join holds one part at a time.

Each part is opened in turn (pikepdf) and the objects its pages, its structure elements and its
links reach are written to the joined file under new numbers (`_Writer`, `_Part`); the part is
then closed. What a reader's tool reads across pages is written once, for the whole document:

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

The file is what WeasyPrint writes for each part: PDF 1.7, every object but the streams packed
in compressed object streams, a cross-reference stream. Objects are numbered in the order they
are reached, so the same parts always give the same bytes; the file identifier, where the first
part has one (PDF/A), keeps that part's first half, derived from the report, and takes a digest
of the content as its second.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from collections.abc import Iterator
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name

from reportgen.render.pdf import LaidOut

TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|(?<![\w/.#+-])(\d+) (\d+) R")
"""In qpdf's text of an object: a literal or hex string (passed over: qpdf escapes every
parenthesis in a string, so a string ends at the first bare one) or an indirect reference."""
PACKED = 200
"""Objects per object stream."""
STAMP = "/ReportgenPageNumber{}"
"""The resource name of a page's page number: its own on each page, since a part's pages may
share one resource dictionary."""


def join(parts: list[LaidOut], stamps: bytes) -> bytes:
    """One PDF of the parts in order, the pages of `stamps` drawn over theirs."""
    writer = _Writer()
    with pikepdf.Pdf.open(BytesIO(stamps)) as pdf:
        forms = _stamp_forms(_Part(writer, pdf), pdf)
    document = _Document(writer, forms)
    for index, part in enumerate(parts):
        with pikepdf.Pdf.open(BytesIO(part.data)) as pdf:
            document.add(pdf, part, first=index == 0)
    return document.finish()


def _stamp_forms(stamps: _Part, pdf: pikepdf.Pdf) -> list[int]:
    """Each stamp page as a form written to the joined file: their joined numbers."""
    forms = [stamps.text(page.as_form_xobject().unparse()) for page in pdf.pages]
    stamps.write()
    return [int(form.split()[0]) for form in forms]


class _Writer:
    """The joined file, object by object: streams written as they come, the other objects
    packed PACKED to a compressed object stream, the cross-reference a stream at the end."""

    def __init__(self):
        self.out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.entries: dict[int, tuple[int, int, int]] = {}
        """Object number -> its cross-reference entry: (1, offset, 0) or (2, stream, index)."""
        self.packed: list[tuple[int, bytes]] = []
        self.count = 0

    def reserve(self) -> int:
        """A new object number; the object must be written under it before the end."""
        self.count += 1
        return self.count

    def put(self, number: int, text: bytes) -> None:
        self.packed.append((number, text))
        if len(self.packed) == PACKED:
            self._pack()

    def put_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream: `dictionary` the text of its dictionary without /Length."""
        self.entries[number] = (1, len(self.out), 0)
        self.out += b"%d 0 obj\n%s /Length %d >>\nstream\n" % (number, dictionary[:-2], len(data))
        self.out += data + b"\nendstream\nendobj\n"

    def _pack(self) -> None:
        if not self.packed:
            return
        number, offsets, at = self.reserve(), [], 0
        for index, (packed, text) in enumerate(self.packed):
            self.entries[packed] = (2, number, index)
            offsets.append(b"%d %d" % (packed, at))
            at += len(text) + 1
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + b"".join(text + b"\n" for _, text in self.packed))
        self.put_stream(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>"
                        % (len(self.packed), len(head)), data)
        self.packed = []

    def finish(self, trailer: bytes, first_id: bytes | None) -> bytes:
        """The file, its trailer's entries (/Root, /Info) given as text; an identifier when
        `first_id` is (the first half, as text)."""
        self._pack()
        if first_id is not None:
            trailer += b" /ID [ %s <%s> ]" % (first_id, hashlib.md5(self.out).hexdigest().encode())
        number = self.reserve()
        self.entries[number] = (1, len(self.out), 0)
        rows = [struct.pack(">BIH", 0, 0, 65535)]
        rows += [struct.pack(">BIH", *self.entries[n]) for n in range(1, number + 1)]
        start = len(self.out)
        self.put_stream(number, b"<< /Type /XRef /Size %d /W [ 1 4 2 ] %s /Filter /FlateDecode >>"
                        % (number + 1, trailer), zlib.compress(b"".join(rows)))
        self.out += b"startxref\n%d\n%%%%EOF\n" % start
        return bytes(self.out)


class _Part:
    """One open part (or the stamps): its objects written to the joined file under joined
    numbers, each the first time the text of an object being written refers to it."""

    def __init__(self, writer: _Writer, pdf: pikepdf.Pdf):
        self.writer, self.pdf = writer, pdf
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
            joined = self.numbers[number] = self.writer.reserve()
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
                self.writer.put_stream(joined, self.text(entries.unparse()), found.read_raw_bytes())
            else:
                self.writer.put(joined, self.text(found.unparse(resolved=True)))


class _Bookmark:
    """An outline item: its title and destination as joined text, open or closed."""

    def __init__(self, title: bytes, destination: bytes | None, closed: bool,
                 children: list[_Bookmark]):
        self.title, self.destination, self.closed, self.children = title, destination, closed, children


class _Document:
    """What the joined file gathers from each part and writes once, at the end."""

    def __init__(self, writer: _Writer, forms: list[int]):
        self.writer, self.forms = writer, forms
        self.page_tree = writer.reserve()
        self.element = 0
        """The joined Document element's number, once a tagged part is added."""
        self.pages: list[bytes] = []
        self.dests: dict[str, bytes] = {}
        self.outline: list[_Bookmark] = []
        self.kids: list[bytes] = []
        self.parent_tree: list[tuple[int, bytes]] = []
        self.next_key = 0
        self.catalog: dict[str, bytes] = {}
        self.names: dict[str, bytes] = {}
        self.structure: dict[str, bytes] | None = None
        self.document: dict[str, bytes] = {}
        self.info: bytes | None = None
        self.first_id: bytes | None = None

    def add(self, pdf: pikepdf.Pdf, part: LaidOut, *, first: bool) -> None:
        """Write a part's objects; keep what the document writes of it at the end."""
        source = _Part(self.writer, pdf)
        if first:
            self._keep_catalog(source, pdf)
        shift = self.next_key
        if "/StructTreeRoot" in pdf.Root:
            self._add_structure(source, pdf.Root.StructTreeRoot, shift, first=first)
        parent = source.stand_in(self.page_tree)
        for page in pdf.pages:
            self._place(source, page, parent, shift)
        self._add_links(source, pdf, part)
        source.write()

    def _keep_catalog(self, source: _Part, pdf: pikepdf.Pdf) -> None:
        """The first part's catalog, trailer and Document element, less what the join writes
        for the whole document."""
        own = ("/Type", "/Pages", "/StructTreeRoot", "/Names", "/Outlines")
        self.catalog = {k: source.text(v.unparse()) for k, v in pdf.Root.items() if k not in own}
        names = pdf.Root.get("/Names", Dictionary())
        self.names = {k: source.text(v.unparse()) for k, v in names.items() if k != "/Dests"}
        if "/Info" in pdf.trailer:
            self.info = source.text(pdf.trailer.Info.unparse())
        if "/ID" in pdf.trailer:
            self.first_id = pdf.trailer.ID[0].unparse()

    def _add_structure(self, source: _Part, root: Dictionary, shift: int, *, first: bool) -> None:
        """The part's top-level elements become the joined Document's, its parent tree keys
        moved past the previous parts'. The first part's Document keeps every element; a next
        part's empty ones (the running header, repeated in each part) are left out."""
        document = _document(root)
        if first:
            self.element = self.writer.reserve()
            own = ("/K", "/ParentTree", "/ParentTreeNextKey")
            self.structure = {k: source.text(v.unparse()) for k, v in root.items() if k not in own}
            self.document = {k: source.text(v.unparse()) for k, v in document.items()
                             if k not in ("/K", "/P")}
        element = source.stand_in(self.element)
        for kid in _kids(document):
            if _is_element(kid):
                if not first and not _kids(kid):
                    continue
                kid.P = element
            self.kids.append(source.text(kid.unparse()))
        moved = [(key + shift, source.text(value.unparse())) for key, value in _parent_tree(root)]
        self.parent_tree += moved
        self.next_key = max((key + 1 for key, _ in moved), default=self.next_key)

    def _place(self, source: _Part, page: pikepdf.Page, parent: Dictionary, shift: int) -> None:
        """A part's page as a page of the joined file: in its page tree, its parent-tree keys
        (and its annotations') moved by `shift`, its page number drawn over it as an artifact."""
        number = len(self.pages) + 1
        name = Name(STAMP.format(number))
        page.add_resource(source.stand_in(self.forms[number - 1]), Name.XObject, name)
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n/Artifact BMC q " + str(name).encode("ascii") + b" Do Q EMC\n")
        page.obj.Parent = parent
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + shift
        for annotation in page.obj.get("/Annots") or []:
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift
        self.pages.append(source.text(page.obj.unparse()))

    def _add_links(self, source: _Part, pdf: pikepdf.Pdf, part: LaidOut) -> None:
        """The anchors the part really holds (the first of each name) and its bookmarks."""
        names = pdf.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for key, destination in pikepdf.NameTree(names.Dests).items():
                name = str(key)
                if name in part.anchors and name not in self.dests:
                    self.dests[name] = source.text(destination.unparse(resolved=True))
        outlines = pdf.Root.get("/Outlines")
        if outlines is not None:
            self.outline += _bookmarks(source, outlines.get("/First"))

    def finish(self) -> bytes:
        writer = self.writer
        writer.put(self.page_tree, b"<< /Type /Pages /Kids [ %s ] /Count %d >>"
                   % (b" ".join(self.pages), len(self.pages)))
        catalog = {"/Type": b"/Catalog", "/Pages": b"%d 0 R" % self.page_tree, **self.catalog}
        if self.structure is not None:
            catalog["/StructTreeRoot"] = self._write_structure()
        dests = writer.reserve()
        writer.put(dests, b"<< /Names [ %s ] >>" % b" ".join(
            pikepdf.String(name).unparse() + b" " + self.dests[name] for name in sorted(self.dests)))
        catalog["/Names"] = _dictionary({**self.names, "/Dests": b"%d 0 R" % dests})
        if self.outline:
            catalog["/Outlines"] = self._write_outline()
        root = writer.reserve()
        writer.put(root, _dictionary(catalog))
        trailer = b"/Root %d 0 R" % root + (b" /Info " + self.info if self.info else b"")
        return writer.finish(trailer, self.first_id)

    def _write_structure(self) -> bytes:
        writer, root, tree = self.writer, self.writer.reserve(), self.writer.reserve()
        writer.put(self.element, _dictionary({**self.document, "/P": b"%d 0 R" % root,
                                              "/K": b"[ %s ]" % b" ".join(self.kids)}))
        writer.put(tree, b"<< /Nums [ %s ] >>" % b" ".join(
            b"%d %s" % (key, value) for key, value in self.parent_tree))
        writer.put(root, _dictionary({**self.structure, "/K": b"[ %d 0 R ]" % self.element,
                                      "/ParentTree": b"%d 0 R" % tree,
                                      "/ParentTreeNextKey": b"%d" % self.next_key}))
        return b"%d 0 R" % root

    def _write_outline(self) -> bytes:
        root = self.writer.reserve()
        first, last, count = self._write_level(self.outline, root)
        self.writer.put(root, b"<< /Count %d /First %d 0 R /Last %d 0 R >>" % (count, first, last))
        return b"%d 0 R" % root

    def _write_level(self, items: list[_Bookmark], parent: int) -> tuple[int, int, int]:
        """Write sibling items under `parent`: (first, last, the count of items visible)."""
        numbers = [self.writer.reserve() for _ in items]
        count = len(items)
        for index, (item, number) in enumerate(zip(items, numbers, strict=True)):
            entries = {"/Title": item.title, "/Parent": b"%d 0 R" % parent, "/Count": b"0"}
            if item.destination is not None:
                entries["/Dest"] = item.destination
            if index:
                entries["/Prev"] = b"%d 0 R" % numbers[index - 1]
            if index + 1 < len(items):
                entries["/Next"] = b"%d 0 R" % numbers[index + 1]
            if item.children:
                first, last, below = self._write_level(item.children, number)
                entries.update({"/First": b"%d 0 R" % first, "/Last": b"%d 0 R" % last,
                                "/Count": b"%d" % (-below if item.closed else below)})
                count += 0 if item.closed else below
            self.writer.put(number, _dictionary(entries))
        return numbers[0], numbers[-1], count


def _bookmarks(source: _Part, item: Dictionary | None) -> list[_Bookmark]:
    """A part's outline items from `item` on, with their children."""
    found = []
    while item is not None:
        destination = item.get("/Dest")
        found.append(_Bookmark(
            item.Title.unparse(), None if destination is None else source.text(destination.unparse()),
            int(item.get("/Count", 0)) < 0, _bookmarks(source, item.get("/First"))))
        item = item.get("/Next")
    return found


def _dictionary(entries: dict[str, bytes]) -> bytes:
    return b"<< " + b" ".join(key.encode("ascii") + b" " + value for key, value in entries.items()) + b" >>"


def _document(root: Dictionary) -> Dictionary:
    kids = root.K
    return kids[0] if isinstance(kids, Array) else kids


def _parent_tree(root: Dictionary) -> Iterator[tuple[int, pikepdf.Object]]:
    if "/ParentTree" not in root:
        return iter(())
    return iter(pikepdf.NumberTree(root.ParentTree).items())


def _kids(element: Dictionary) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(item: pikepdf.Object) -> bool:
    return isinstance(item, Dictionary) and "/S" in item
