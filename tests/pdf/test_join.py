"""The join on tiny PDFs made here with pikepdf (no layout): milliseconds each. Pages in order
with their page numbers drawn over them, links resolving to the right joined page, the outline
nested across parts, the structure tree's parent tree renumbered, strings that read like PDF
syntax kept as they were, and the same bytes whether the parts' shares are kept or made, made
in order or all at once in a pool."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, OutlineItem

from reportgen.pdf import LaidOut
from reportgen.pdf import join as joining
from reportgen.pdf.join import Joining, footprint, join

HOSTILE = "a (paren) b \\) 3 0 R c ) /Type /Catalog ( d << /S /JavaScript >> 7 0 R"
"""Text that looks like PDF syntax, including an indirect reference: only real references
are renumbered."""
BALLAST = random.Random(7).randbytes(12_000)
"""An unreferenced stream on each page, uncompressed: qpdf 12 refuses a cross-reference stream
that is large for its file, and each part's object range (`join.SPAN`) is sized for real parts
of ten pages and more, so a tiny part is made about as heavy as a real page."""


def tiny(name: str, pages: int, *, anchors: dict[str, int] | None = None, stand_ins: tuple[str, ...] = (),
         bookmarks: list[tuple[str, int]] = (), levels: list[int] = (), tagged: bool = False) -> LaidOut:
    """A part: `pages` pages whose content says "<name> page <n>", named destinations for
    `anchors` (and for `stand_ins`, anchors of other parts it links to, on its last page),
    top-level bookmarks (title, page), and with `tagged` one P element per page."""
    pdf = pikepdf.new()
    for number in range(pages):
        page = pdf.add_blank_page(page_size=(200, 200))
        page.contents_add(pikepdf.Stream(pdf, f"% {name} page {number + 1}\n".encode("ascii")))
        page.obj.PieceInfo = Dictionary(Ballast=pikepdf.Stream(pdf, BALLAST))
    dests = pikepdf.NameTree.new(pdf)
    for anchor, page in {**(anchors or {}), **dict.fromkeys(stand_ins, pages - 1)}.items():
        dests[anchor] = Array([pdf.pages[page].obj, Name.XYZ, 0, 200, 0])
    pdf.Root.Names = Dictionary(Dests=dests.obj)
    with pdf.open_outline() as outline:
        outline.root.extend(OutlineItem(title, page) for title, page in bookmarks)
    if tagged:
        _tag(pdf)
    out = BytesIO()
    pdf.save(out, static_id=True, compress_streams=False)
    return LaidOut(out.getvalue(), [], pages, anchors or {}, list(levels))


def _tag(pdf: pikepdf.Pdf) -> None:
    """A structure tree: a Document element holding one P per page, each page its own
    parent-tree key."""
    root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root))
    kids, nums = Array(), Array()
    for key, page in enumerate(pdf.pages):
        element = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, P=document,
                                               Pg=page.obj, K=0, T=pikepdf.String(f"page {key}")))
        kids.append(element)
        nums.extend([key, Array([element])])
        page.obj.StructParents = key
    document.K = kids
    root.K = Array([document])
    root.ParentTree = pdf.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(pdf.pages)
    pdf.Root.StructTreeRoot = root


def stamps(pages: int) -> bytes:
    pdf = pikepdf.new()
    for number in range(pages):
        page = pdf.add_blank_page(page_size=(200, 200))
        page.contents_add(pikepdf.Stream(pdf, f"% stamp {number + 1}\n".encode("ascii")))
    out = BytesIO()
    pdf.save(out, static_id=True)
    return out.getvalue()


def joined(*parts: LaidOut, cache=None) -> pikepdf.Pdf:
    data = join(list(parts), stamps(sum(p.pages for p in parts)), cache)
    pdf = pikepdf.Pdf.open(BytesIO(data), attempt_recovery=False)  # its cross-reference as written
    assert all(obj is not None for obj in pdf.objects)  # every object where the table says
    return pdf


def page_says(page: pikepdf.Page) -> str:
    streams = page.obj.Contents if isinstance(page.obj.Contents, Array) else [page.obj.Contents]
    return b"".join(s.read_bytes() for s in streams).decode("latin-1")


def test_pages_follow_each_other_each_with_its_page_number_drawn_over_it():
    pdf = joined(tiny("first", 2), tiny("second", 3))
    assert len(pdf.pages) == 5
    says = [page_says(page) for page in pdf.pages]
    assert [s.split("% ", 1)[1].split("\n")[0] for s in says] == [
        "first page 1", "first page 2", "second page 1", "second page 2", "second page 3"]
    for number, page in enumerate(pdf.pages, 1):
        form = page.Resources.XObject[f"/ReportgenPageNumber{number}"]
        assert f"% stamp {number}" in form.read_bytes().decode("latin-1")
        assert f"/Artifact BMC q /ReportgenPageNumber{number} Do Q EMC" in says[number - 1]


def test_each_anchor_leads_to_its_joined_page_and_stand_ins_are_left_out():
    first = tiny("first", 2, anchors={"intro": 0, "annex-a": 1}, stand_ins=("chron-2024-01",))
    second = tiny("second", 2, anchors={"chron-2024-01": 1, "annex-a": 0})
    pdf = joined(first, second)
    dests = pikepdf.NameTree(pdf.Root.Names.Dests)
    pages = [page.obj.objgen for page in pdf.pages]
    found = {str(name): pages.index(dest[0].objgen) for name, dest in dests.items()}
    assert found == {"intro": 0, "annex-a": 1, "chron-2024-01": 3}  # the first "annex-a" wins


def test_the_outline_nests_each_parts_bookmarks_by_their_levels():
    first = tiny("first", 2, bookmarks=[("Chronology", 0), ("January", 1)], levels=[1, 2])
    second = tiny("second", 2, bookmarks=[("February", 0), ("Annex A", 1)], levels=[2, 1])
    pdf = joined(first, second)
    with pdf.open_outline() as outline:
        tree = [(item.title, [child.title for child in item.children]) for item in outline.root]
        pages = [pdf.pages.index(pikepdf.Page(item.destination[0])) for item in outline.root]
    assert tree == [("Chronology", ["January", "February"]), ("Annex A", [])]
    assert pages == [0, 3]


def test_the_parent_tree_and_the_pages_keys_move_past_the_previous_parts():
    pdf = joined(tiny("first", 2, tagged=True), tiny("second", 3, tagged=True))
    root = pdf.Root.StructTreeRoot
    (document,) = root.K
    assert [str(kid.T) for kid in document.K] == ["page 0", "page 1", "page 0", "page 1", "page 2"]
    assert all(kid.P.objgen == document.objgen for kid in document.K)
    assert [int(page.obj.StructParents) for page in pdf.pages] == [0, 1, 2, 3, 4]
    nums = list(root.ParentTree.Nums)
    keys, elements = [int(k) for k in nums[::2]], nums[1::2]
    assert keys == [0, 1, 2, 3, 4] and int(root.ParentTreeNextKey) == 5
    for key, element in zip(keys, elements, strict=True):
        assert element[0].Pg.objgen == pdf.pages[key].obj.objgen  # each key leads to its page


def test_strings_that_read_like_pdf_syntax_are_kept_as_they_were():
    pdf = joined(tiny("first", 1, anchors={HOSTILE: 0}, bookmarks=[(HOSTILE, 0)]),
                 tiny("second", 1, bookmarks=[("plain", 0)]))
    with pdf.open_outline() as outline:
        assert [item.title for item in outline.root] == [HOSTILE, "plain"]
    assert [str(name) for name, _ in pikepdf.NameTree(pdf.Root.Names.Dests).items()] == [HOSTILE]
    assert "/OpenAction" not in pdf.Root and not [  # the string made no action of itself
        obj for obj in pdf.objects if isinstance(obj, Dictionary) and obj.get("/S") == Name.JavaScript]


class MemoryCache:
    def __init__(self):
        self.kept: dict[tuple[str, str], bytes] = {}
        self.puts = 0

    def get(self, kind, name):
        return self.kept.get((kind, name))

    def put(self, kind, name, data):
        self.puts += 1
        self.kept[(kind, name)] = data

    def keep_only(self, kind, names):
        self.kept = {key: v for key, v in self.kept.items() if key[0] != kind or key[1] in set(names)}


def test_kept_shares_give_the_same_bytes_and_only_a_changed_part_is_joined_again():
    parts = [tiny("first", 2, bookmarks=[("A", 0)], levels=[1]), tiny("second", 2), tiny("third", 1)]
    cache = MemoryCache()
    made = join(parts, stamps(5), cache)
    assert cache.puts == 3 and join(parts, stamps(5)) == made
    assert join(parts, stamps(5), cache) == made and cache.puts == 3
    edited = [*parts[:2], tiny("third, edited", 1)]
    join(edited, stamps(5), cache)
    assert cache.puts == 4 and len(cache.kept) == 3  # the unused share is dropped


@pytest.mark.parametrize("damage", [b"", b"not json\nat all", b'{"span": -1}\n', b"\xff"])
def test_a_damaged_share_is_joined_again(damage):
    parts = [tiny("first", 2), tiny("second", 2)]
    cache = MemoryCache()
    made = join(parts, stamps(4), cache)
    cache.kept = {key: damage for key in cache.kept}
    assert join(parts, stamps(4), cache) == made


@pytest.fixture
def shares_written(monkeypatch) -> list[int]:
    """Counts the shares the join writes, in order or in a pool."""
    written = []
    share = joining._share

    def counted(part, place):
        written.append(place.first_page)
        return share(part, place)

    monkeypatch.setattr(joining, "_share", counted)
    return written


def test_shares_written_in_a_pool_are_the_same_bytes_each_written_once(shares_written):
    parts = [tiny("first", 2, tagged=True, anchors={"a": 0}, bookmarks=[("A", 0)], levels=[1]),
             tiny("second", 3, tagged=True, stand_ins=("a",)), tiny("third", 1, tagged=True)]
    in_order = join(parts, stamps(6))
    noted = [part._replace(footprint=footprint(part.data)) for part in parts]
    assert [p.footprint.pages for p in noted] == [2, 3, 1] and [p.footprint.keys for p in noted] == [2, 3, 1]
    shares_written.clear()
    with ThreadPoolExecutor(2) as pool:
        assert join(noted, stamps(6), pool=pool) == in_order
        assert sorted(shares_written) == [1, 3, 6]  # each at its place, none again
        shares_written.clear()
        assert join(parts, stamps(6), pool=pool) == in_order  # footprints read by the join
        assert sorted(shares_written) == [1, 3, 6]


def test_a_footprint_that_misleads_costs_time_not_bytes(shares_written):
    parts = [tiny("first", 2, tagged=True), tiny("second", 3, tagged=True), tiny("third", 1)]
    in_order = join(parts, stamps(6))
    wrong = footprint(parts[0].data)._replace(pages=5)
    misled = [parts[0]._replace(footprint=wrong), *parts[1:]]
    shares_written.clear()
    with ThreadPoolExecutor(2) as pool:
        assert join(misled, stamps(6), pool=pool) == in_order
    # ahead: the first at page 1, the second and third where the footprint put them (6, 9), in
    # vain (or cancelled before they began); then in order at their real places (3, 6)
    assert sorted(shares_written) in ([1, 3, 6], [1, 3, 6, 6], [1, 3, 6, 9], [1, 3, 6, 6, 9])


def test_kept_shares_are_read_not_written_in_a_pool(shares_written):
    parts = [tiny("first", 2), tiny("second", 2), tiny("third", 1)]
    cache = MemoryCache()
    made = join(parts, stamps(5), cache)
    edited = [*parts[:2], tiny("third, edited", 1)]
    expected = join(edited, stamps(5))
    shares_written.clear()
    with ThreadPoolExecutor(2) as pool:
        assert join(edited, stamps(5), cache, pool) == expected
        assert shares_written == [5]  # the edited part's
        assert join(parts, stamps(5), cache, pool) == made
    assert shares_written == [5, 5]  # the unedited third's again: the edit's join dropped it


def test_shares_written_ahead_of_the_first_part_laid_out_again_are_used(shares_written):
    """The parts' shares begin while the first part is laid out again (with its contents' page
    numbers): written at the places a document of that many pages gives them, each once."""
    before = tiny("first", 2, tagged=True, anchors={"a": 0})
    rest = [tiny("second", 3, tagged=True), tiny("third", 1, tagged=True)]
    noted = [part._replace(footprint=footprint(part.data)) for part in (before, *rest)]
    again = tiny("first, numbered", 2, tagged=True, anchors={"a": 0})
    expected = join([again, *rest], stamps(6))
    shares_written.clear()
    with ThreadPoolExecutor(2) as pool:
        joining = Joining(None, pool)
        joining.write_ahead(noted, 6, except_first=True)
        assert joining.join([again, *noted[1:]], stamps(6)) == expected
    assert sorted(shares_written) == [1, 3, 6]  # the first's in the join; the others not again



def test_shares_foreseen_for_places_that_moved_give_way(shares_written):
    """Page 1 grew when laid out again: the shares begun for the old places are dropped, not
    left to hold up the pool ahead of those the join needs."""
    rest = [tiny(name, 1, tagged=True) for name in ("second", "third", "fourth", "fifth")]
    short, grown = tiny("first", 2, tagged=True), tiny("first, longer", 3, tagged=True)
    expected = join([grown, *rest], stamps(7))
    shares_written.clear()
    busy = threading.Event()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(busy.wait)  # the pool's one worker is busy until page 1 is laid out again
        joining = Joining(None, pool)
        joining.write_ahead([short, *rest], 6, except_first=True)
        joining.write_ahead([grown, *rest], 7, except_first=True)  # page 1 came out longer
        busy.set()
        assert joining.join([grown, *rest], stamps(7)) == expected
    assert sorted(shares_written) == [1, 4, 5, 6, 7]  # the four begun for 3-6 never ran
