"""The parts of a PDF laid out apart (`render.parts`) joined into one document, with qpdf
(through pikepdf).

The first part's file becomes the document: its catalog stays (metadata, language, viewer
preferences, output intent, attachments); the other parts' pages are appended. Then each thing
a reader's tool reads across pages is made whole again:

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
  ids are each part's own already (`table_tags`).

Resource names and the file identifier are derived from the content (never pikepdf's random
names), so the same parts always join into the same bytes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator
from io import BytesIO

import pikepdf
from pikepdf import Array, Dictionary, Name

from reportgen.render.pdf import LaidOut

Mapper = Callable[[Array], Array]


def join(parts: list[LaidOut], stamps: bytes) -> bytes:
    """One PDF of the parts in order, the pages of `stamps` drawn over theirs. The parts are
    opened one at a time, each closed once its objects are copied (`_copied_out`)."""
    joined = pikepdf.Pdf.open(BytesIO(parts[0].data))
    structure = _Structure(joined) if "/StructTreeRoot" in joined.Root else None
    links = _Links()
    links.add(joined, parts[0], [page.obj for page in joined.pages])
    copied = len(joined.objects)
    for part in parts[1:]:
        source = pikepdf.Pdf.open(BytesIO(part.data))
        offset = len(joined.pages)
        with warnings.catch_warnings():  # named destinations are joined below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            joined.pages.extend(source.pages)
        pages = [page.obj for page in joined.pages[offset:]]
        links.add(source, part, pages)
        if structure is not None:
            structure.add(joined.copy_foreign(source.Root.StructTreeRoot), pages)
        copied = _copied_out(joined, copied)
        source.close()
    if structure is not None:
        structure.finish()
    _stamp_pages(joined, stamps)
    links.finish(joined)
    out = BytesIO()
    # Objects packed in compressed streams, as WeasyPrint writes each part (every variant is
    # PDF 1.7): at 2,000 incidents the file is 12 MB instead of 47 and written twice as fast.
    joined.save(out, deterministic_id=True, compress_streams=True,
                object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _copied_out(joined: pikepdf.Pdf, copied: int) -> int:
    """Give the streams copied into `joined` after its first `copied` objects their data (their
    raw, still encoded bytes), which qpdf would otherwise read from the part when the joined
    file is written: the part can then be closed, and the join holds one part at a time beside
    the joined document, not all of them (at 2,000 incidents, 0.5 GB less). Returns the number
    of objects now."""
    objects = joined.objects  # a new list of all objects: taken once
    for new in objects[copied:]:
        if isinstance(new, pikepdf.Stream):
            new.write(new.read_raw_bytes(), filter=new.get("/Filter"),
                      decode_parms=new.get("/DecodeParms"))
    return len(objects)


class _Links:
    """The joined document's named destinations and outline, gathered part by part."""

    def __init__(self):
        self.dests: dict[str, Array] = {}
        self.outline: list[pikepdf.OutlineItem] = []

    def add(self, source: pikepdf.Pdf, part: LaidOut, pages: list[pikepdf.Object]) -> None:
        """The anchors `part` really holds and its bookmarks, its pages being `pages`."""
        to_joined = _page_mapper(pages, source)
        for name, destination in _named_destinations(source):
            if name in part.anchors and name not in self.dests:
                self.dests[name] = to_joined(destination)
        with source.open_outline() as items:
            self.outline += [_moved(item, to_joined) for item in items.root]

    def finish(self, joined: pikepdf.Pdf) -> None:
        tree = pikepdf.NameTree.new(joined)
        for name in sorted(self.dests):
            tree[name] = self.dests[name]
        if "/Names" not in joined.Root:
            joined.Root.Names = Dictionary()
        joined.Root.Names.Dests = tree.obj
        with joined.open_outline() as items:
            items.root[:] = self.outline


def _page_mapper(pages: list[pikepdf.Object], source: pikepdf.Pdf) -> Mapper:
    """A destination in `source` -> the same place on its page among the joined `pages`."""
    numbers = {page.objgen: index for index, page in enumerate(source.pages)}

    def to_joined(destination: Array) -> Array:
        return Array([pages[numbers[destination[0].objgen]], *list(destination)[1:]])

    return to_joined


def _named_destinations(source: pikepdf.Pdf) -> Iterable[tuple[str, Array]]:
    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    return [(str(key), value) for key, value in pikepdf.NameTree(names.Dests).items()]


def _moved(item: pikepdf.OutlineItem, to_joined: Mapper) -> pikepdf.OutlineItem:
    """An outline item of a part, pointing at the joined page."""
    moved = pikepdf.OutlineItem(item.title, to_joined(item.destination))
    moved.is_closed = item.is_closed
    moved.children[:] = [_moved(child, to_joined) for child in item.children]
    return moved


def _stamp_pages(joined: pikepdf.Pdf, stamps: bytes) -> None:
    """Draw each page of `stamps` over the joined page of the same number, as an artifact, under
    a resource name of its own (a page's resources may be shared with others)."""
    stamp_pdf = pikepdf.Pdf.open(BytesIO(stamps))
    for number, (page, stamp) in enumerate(zip(joined.pages, stamp_pdf.pages, strict=True), 1):
        name = Name(f"/ReportgenPageNumber{number}")
        page.add_resource(joined.copy_foreign(stamp.as_form_xobject()), Name.XObject, name)
        page.contents_add(b"q\n", prepend=True)
        page.contents_add(b"Q\n/Artifact BMC q " + str(name).encode("ascii") + b" Do Q EMC\n")


class _Structure:
    """One structure tree for the joined pages, the first part's, to which each next part's
    tree is added (see the module's docstring)."""

    def __init__(self, joined: pikepdf.Pdf):
        self.joined, self.root = joined, joined.Root.StructTreeRoot
        self.document = _document(self.root)
        self.entries = list(_parent_tree(self.root))
        self.next_key = max((key for key, _ in self.entries), default=-1) + 1

    def add(self, theirs: Dictionary, pages: list[pikepdf.Object]) -> None:
        """Add a part's tree, copied in, whose elements mark `pages`."""
        shift = self.next_key
        moved = [(key + shift, value) for key, value in _parent_tree(theirs)]
        self.entries += moved
        self.next_key = max((key for key, _ in moved), default=shift - 1) + 1
        for page in pages:
            _shift_keys(page, shift)
        _adopt(self.document, _kids(_document(theirs)))

    def finish(self) -> None:
        tree = pikepdf.NumberTree.new(self.joined)
        for key, value in self.entries:
            tree[key] = value
        self.root.ParentTree = tree.obj
        self.root.ParentTreeNextKey = self.next_key


def _document(root: Dictionary) -> Dictionary:
    kids = root.K
    return kids[0] if isinstance(kids, Array) else kids


def _parent_tree(root: Dictionary) -> Iterator[tuple[int, pikepdf.Object]]:
    if "/ParentTree" not in root:
        return iter(())
    return iter(pikepdf.NumberTree(root.ParentTree).items())


def _shift_keys(page: Dictionary, shift: int) -> None:
    """Move a page's parent-tree keys, and those of its annotations, by `shift`."""
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + shift
    for annotation in page.get("/Annots") or []:
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + shift


def _kids(element: Dictionary) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _adopt(document: Dictionary, kids: list[pikepdf.Object]) -> None:
    """Append a part's top-level elements to the Document element. A single layout, too, opens
    a new element for each page an element continues on, so the section a part continues is a
    sibling of its start, as there. An empty element (the running header, repeated in each
    part) is left out."""
    kids = [kid for kid in kids if not (_is_element(kid) and not _kids(kid))]
    for kid in kids:
        if _is_element(kid):
            kid.P = document
    document.K = Array([*_kids(document), *kids])


def _is_element(item: pikepdf.Object) -> bool:
    return isinstance(item, Dictionary) and "/S" in item
