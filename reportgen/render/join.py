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
  annotations' keys with them); table-header ids made unique (each part numbers its own).
  Marked-content ids belong to their page and stay.

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
    """One PDF of the parts in order, the pages of `stamps` drawn over theirs."""
    sources = [pikepdf.Pdf.open(BytesIO(part.data)) for part in parts]
    joined = sources[0]
    offsets = [0]
    for source in sources[1:]:
        offsets.append(len(joined.pages))
        with warnings.catch_warnings():  # named destinations are joined below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            joined.pages.extend(source.pages)
    dests: dict[str, Array] = {}
    outline: list[pikepdf.OutlineItem] = []
    for source, offset, part in zip(sources, offsets, parts, strict=True):
        to_joined = _page_mapper(joined, source, offset)
        for name, destination in _named_destinations(source):
            if name in part.anchors and name not in dests:
                dests[name] = to_joined(destination)
        with source.open_outline() as items:
            outline += [_moved(item, to_joined) for item in items.root]
    if "/StructTreeRoot" in joined.Root:
        _join_structure(joined, sources, offsets)
    _stamp_pages(joined, stamps)
    tree = pikepdf.NameTree.new(joined)
    for name in sorted(dests):
        tree[name] = dests[name]
    if "/Names" not in joined.Root:
        joined.Root.Names = Dictionary()
    joined.Root.Names.Dests = tree.obj
    with joined.open_outline() as items:
        items.root[:] = outline
    out = BytesIO()
    joined.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def _page_mapper(joined: pikepdf.Pdf, source: pikepdf.Pdf, offset: int) -> Mapper:
    """A destination in `source` -> the same place in the joined document."""
    numbers = {page.objgen: index for index, page in enumerate(source.pages)}

    def to_joined(destination: Array) -> Array:
        page = joined.pages[offset + numbers[destination[0].objgen]].obj
        return Array([page, *list(destination)[1:]])

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


def _join_structure(joined: pikepdf.Pdf, sources: list[pikepdf.Pdf], offsets: list[int]) -> None:
    """One structure tree for the joined pages (see the module's docstring)."""
    root = joined.Root.StructTreeRoot
    document = _document(root)
    entries = list(_parent_tree(root))
    next_key = max((key for key, _ in entries), default=-1) + 1
    ends = [*offsets[1:], len(joined.pages)]
    for index, source in enumerate(sources[1:], 1):
        theirs = joined.copy_foreign(source.Root.StructTreeRoot)
        shift = next_key
        moved = [(key + shift, value) for key, value in _parent_tree(theirs)]
        entries += moved
        next_key = max((key for key, _ in moved), default=shift - 1) + 1
        for page in joined.pages[offsets[index]:ends[index]]:
            _shift_keys(page.obj, shift)
        _rename_ids(theirs, f"p{index}-".encode("ascii"))
        _adopt(document, _kids(_document(theirs)))
    tree = pikepdf.NumberTree.new(joined)
    for key, value in entries:
        tree[key] = value
    root.ParentTree = tree.obj
    root.ParentTreeNextKey = next_key


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


def _elements(kids: list[pikepdf.Object]) -> Iterator[Dictionary]:
    """Every structure element under `kids` (not marked content, not object references)."""
    stack = list(kids)
    while stack:
        item = stack.pop()
        if isinstance(item, Dictionary) and "/S" in item:
            yield item
            stack += _kids(item)


def _rename_ids(root: Dictionary, prefix: bytes) -> None:
    """Prefix every element id of a part, and the header ids its cells name, with `prefix`."""
    for element in _elements(_kids(root)):
        if "/ID" in element:
            element.ID = pikepdf.String(prefix + bytes(element.ID))
        if "/Headers" in element:
            element.Headers = Array([pikepdf.String(prefix + bytes(h)) for h in element.Headers])


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
