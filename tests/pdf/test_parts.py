"""A PDF laid out in parts and joined is the document one layout makes: the same pages, text,
page numbers, contents, bookmarks and link targets, valid and with every font embedded; the same
bytes whatever the number of workers and whether parts were reused; only what changed laid out
again."""

from __future__ import annotations

import hashlib
import html as html_lib
import io
import json
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf
import pypdf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.pdf import PdfSettings, lay_out
from reportgen.pdf.parts import PAGE_START, SPLIT_AT, Layouts, _Cutter, _placeless, render_in_parts, split
from reportgen.pipeline import make_briefing, open_project
from reportgen.processes import worker_pool
from reportgen.render.pdf import asset_roots, pdf_info, print_html, project_templates, source_files
from reportgen.write.cache import FolderCache
from tests.conftest import copy_example
from tests.support.briefings import FIXTURE, TODAY
from tests.support.pdf_tools import fonts, outline, page_texts, run_tool
from tests.support.table_scopes import pdf_rows, ua_findings

EVERY_CUT = 1
"""A part weight that makes a part of every cut."""


@dataclass
class Built:
    html: str
    settings: PdfSettings
    whole: bytes
    parts: bytes
    folder: Path


def settings_of(root: Path, variant: str, briefing=None) -> PdfSettings:
    """The PDF settings of the project's first report; with its sources attached when
    `briefing` is given."""
    project = open_project(root, today=TODAY)
    report = project.config.reports[0]
    sources = tuple(source_files(briefing.selection)) if briefing else ()
    return PdfSettings(pdf_info(project, report), project_templates(project),
                       tuple(asset_roots(project, report)), variant, sources)


def build(root: Path, variant: str, folder: Path, *, attach: bool = False) -> Built:
    project = open_project(root, today=TODAY)
    briefing = make_briefing(project, project.config.reports[0])
    html = print_html(briefing)
    options = settings_of(root, variant, briefing if attach else None)
    whole = lay_out(html, options).data
    parts = render_in_parts(html, options, cache=FolderCache(folder), weight=EVERY_CUT).data
    return Built(html, options, whole, parts, folder)


def again_in_parts(built: Built, folder: Path):
    """The fixture's print HTML laid out in parts again, the parts kept in `folder`."""
    return render_in_parts(built.html, built.settings, cache=FolderCache(folder), weight=EVERY_CUT)


@pytest.fixture(scope="module")
def fixture_built(tmp_path_factory) -> Built:
    """The fixture laid out whole and in parts (about 9 s): for the slow tests, which CI runs;
    the join itself is tested on tiny documents in `test_join`."""
    return build(FIXTURE, "none", tmp_path_factory.mktemp("parts"))


@dataclass
class Printed:
    html: str
    settings: PdfSettings


@pytest.fixture(scope="module")
def fixture_print() -> Printed:
    """The fixture's print HTML and PDF settings, not laid out."""
    project = open_project(FIXTURE, today=TODAY)
    return Printed(print_html(make_briefing(project, project.config.reports[0])),
                   settings_of(FIXTURE, "none"))


def written(tmp_path: Path, data: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def link_targets(data: bytes) -> list[tuple[int, str, int | None, float | None]]:
    """Each link: its page, what it names, and the page and height it leads to."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    named = reader.named_destinations
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                target = named.get(str(annotation["/Dest"]))
                assert target is not None, f"page {number + 1}: #{annotation['/Dest']} leads nowhere"
                found.append((number, str(annotation["/Dest"]),
                              reader.get_destination_page_number(target), round(float(target.top), 1)))
            elif "/A" in annotation:
                found.append((number, str(annotation["/A"].get("/URI")), None, None))
    return found


def structure(pdf: Path) -> list[tuple[int, str, tuple]]:
    """The structure tree depth first: each element's depth, role and the marked content it
    holds, as (page, id) pairs."""
    reader = pypdf.PdfReader(pdf)
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages)}
    found = []

    def walk(element, depth: int, page) -> None:
        page = element.get("/Pg", page)
        kids = element.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        content = []
        for kid in kids:
            if isinstance(kid, int):
                content.append((pages[page.idnum], kid))
        found.append((depth, str(element.get("/S")), tuple(content)))
        for kid in kids:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid, depth + 1, page)

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    kids = root["/K"] if isinstance(root["/K"], list) else [root["/K"]]
    for kid in kids:
        walk(kid.get_object(), 0, None)
    return found


def parent_tree_faults(pdf: Path) -> list[str]:
    """Where the parent tree does not lead back from a page's marked content, or an
    annotation, to the element that holds it."""
    faults = []
    with pikepdf.open(pdf) as document:
        tree = pikepdf.NumberTree(document.Root.StructTreeRoot.ParentTree)
        for number, page in enumerate(document.pages):
            if "/StructParents" in page.obj:
                for mcid, element in enumerate(tree[int(page.obj.StructParents)]):
                    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                    if mcid not in [int(k) for k in kids if isinstance(k, int)]:
                        faults.append(f"page {number + 1}: MCID {mcid}")
            for annotation in page.obj.get("/Annots") or []:
                if "/StructParent" in annotation:
                    element = tree[int(annotation.StructParent)]
                    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                    if not any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == annotation
                               for k in kids):
                        faults.append(f"page {number + 1}: annotation")
    return faults


def table_header_faults(pdf: Path) -> list[str]:
    """Header ids used twice, and header references that do not name exactly one header."""
    ids: Counter = Counter()
    named: list[bytes] = []
    with pikepdf.open(pdf) as document:
        for element in document.objects:
            if isinstance(element, pikepdf.Dictionary) and element.get("/S") in ("/TH", "/TD"):
                if "/ID" in element:
                    ids[bytes(element.ID)] += 1
                named += [bytes(header) for header in element.get("/A", {}).get("/Headers", [])]
    return ([f"id {i!r} used {n} times" for i, n in ids.items() if n > 1]
            + [f"{h!r} names no header" for h in named if h not in ids])


def pdfua_findings(pdf: Path) -> list[str]:
    return sorted(ua_findings(pdf).elements())


def table_scopes(pdf: Path) -> list:
    return pdf_rows(pypdf.PdfReader(pdf))


def assert_same_document(whole: Path, joined: Path) -> None:
    texts = page_texts(whole)
    assert len(texts) > 1
    assert page_texts(joined) == texts  # every page: text, running header, "Page X of Y", contents
    one, other = pypdf.PdfReader(whole), pypdf.PdfReader(joined)
    assert outline(other) == outline(one)
    assert link_targets(joined.read_bytes()) == link_targets(whole.read_bytes())
    assert other.metadata == one.metadata
    assert run_tool("qpdf", "--check", str(joined)).returncode == 0
    assert all(font["emb"] == "yes" for font in fonts(joined))


def test_split_cuts_only_where_a_page_starts(fixture_print):
    parts = split(fixture_print.html, EVERY_CUT)
    assert len(parts) > 2
    for part in parts[1:]:
        body = part[part.index("<body"):]
        assert f"{PAGE_START} part-start" in body  # the part begins at a page start
        assert "data-each-part" in body  # and repeats the running header and footer
    ids = [m for part in parts for m in re.findall(r'\sid="([^"]+)"', part)]
    assert sorted(ids) == sorted(re.findall(r'\sid="([^"]+)"', fixture_print.html))


@pytest.mark.slow  # lays the fixture out whole and in parts: CI runs it
def test_joined_parts_read_as_one_layout(fixture_built, tmp_path):
    assert_same_document(written(tmp_path, fixture_built.whole, "whole.pdf"),
                         written(tmp_path, fixture_built.parts, "parts.pdf"))


@pytest.mark.slow  # lays the fixture out in parts twice more: CI runs it
def test_same_bytes_whatever_the_workers_and_when_parts_are_reused(fixture_built, tmp_path):
    kept = {path.name: path.stat().st_mtime_ns for path in fixture_built.folder.iterdir()}
    with worker_pool(2) as pool:
        reused = render_in_parts(fixture_built.html, fixture_built.settings, pool=pool,
                                 cache=FolderCache(fixture_built.folder), weight=EVERY_CUT).data
        assert reused == fixture_built.parts
        assert {path.name: path.stat().st_mtime_ns for path in fixture_built.folder.iterdir()} == kept
        fresh = render_in_parts(fixture_built.html, fixture_built.settings, pool=pool,
                                cache=FolderCache(tmp_path), weight=EVERY_CUT).data
    assert fresh == fixture_built.parts


class Watched(Executor):
    """The caller's pool, noting how many pieces of the text had been written when each job
    was handed to it."""

    def __init__(self, pool: Executor, written: list[str]):
        self.pool, self.written, self.at, self.args = pool, written, [], []

    def submit(self, fn, /, *args, **kwargs) -> Future:
        self.at.append(len(self.written))
        self.args.append(args)
        return self.pool.submit(fn, *args, **kwargs)


def test_parts_go_to_the_pool_as_they_come_then_those_not_taken_longest_first(tmp_path):
    """Each part is handed to the pool as it comes (the first once a second is missing too:
    one alone is laid out here); once all have come, those no process has taken are handed
    over again longest first, so that the last to finish is a short one. The pool's one
    thread is held busy meanwhile, so nothing is taken before the end."""
    settings = settings_of(FIXTURE, "none")
    documents = [f"<!DOCTYPE html><html><body><p>{'word ' * size}</p></body></html>"
                 for size in (10, 300, 100, 400)]
    came: list[str] = []

    def template() -> Iterator[tuple[str, str]]:
        for html in documents:
            came.append(html)
            yield html, ""

    busy = threading.Event()
    with ThreadPoolExecutor(1) as threads:
        threads.submit(busy.wait, 60)
        watched = Watched(threads, came)
        layouts = Layouts(settings, watched, FolderCache(tmp_path))
        with_first_four = layouts.many(template(), meanwhile=busy.set)
    handed = [args[0] for args in watched.args]
    assert watched.at == [2, 2, 3, 4, 4, 4, 4, 4]  # as they came; then all four again, at the end
    assert handed[:4] == documents
    assert handed[4:] == sorted(documents, key=len, reverse=True)
    assert [laid_out.pages for laid_out in with_first_four] == [1, 1, 1, 1]
    with ThreadPoolExecutor(1) as threads:
        watched = Watched(threads, came)
        again = Layouts(settings, watched, FolderCache(tmp_path)).many(
            [(documents[0], ""), (documents[1].replace("word", "edit"), "")])
    assert watched.at == [] and [laid_out.pages for laid_out in again] == [1, 1]  # one: here


@pytest.mark.slow  # lays the fixture out in parts once more: CI runs it
def test_a_pdf_laid_out_as_the_template_writes_it_is_the_same_bytes(fixture_built, tmp_path):
    """Given as a template writes it, in small pieces read a few at a time, each part is laid
    out in the pool, and the PDF is the same bytes as from the whole text."""
    html = fixture_built.html
    pieces = [html[at:at + 1_000] for at in range(0, len(html), 1_000)]
    written: list[str] = []

    def template() -> Iterator[str]:
        for piece in pieces:
            written.append(piece)
            yield piece

    with worker_pool(2) as pool:
        watched = Watched(pool, written)
        data = render_in_parts(template(), fixture_built.settings, pool=watched,
                               cache=FolderCache(tmp_path), weight=EVERY_CUT, step=1_000).data
    assert data == fixture_built.parts
    assert len(watched.at) >= len(split(html, EVERY_CUT))  # every part in the pool (then shares)


def test_a_parts_key_names_no_folder_of_this_machine(tmp_path):
    """What a part's key is made of names the folders a PDF may read relative to the project
    and to reportgen (its default theme), never where either lies: the same project built by
    reportgen installed elsewhere keeps its parts and its bytes (a key names table ids)."""
    project = copy_example(tmp_path / "somewhere")
    settings = replace(settings_of(project, "none"), home=project)
    assert any(not root.is_relative_to(project) for root in settings.roots)  # the default theme
    for each in Layouts(settings, None, None).settings.values():
        placeless = _placeless(each)
        assert not placeless.base.is_absolute()
        assert not any(root.is_absolute() for root in placeless.roots), placeless.roots


@pytest.mark.slow  # lays the fixture out in parts twice more: CI runs it
def test_an_edit_lays_out_again_only_the_part_holding_it(fixture_built, tmp_path):
    folder = tmp_path / "parts"
    again_in_parts(fixture_built, folder)
    before = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.part")}
    shares = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.share")}
    parts = split(fixture_built.html, EVERY_CUT)
    html = fixture_built.html
    at = html.rindex("<p>") + len("<p>")  # in the last part
    edited = html[:at] + "Edited: " + html[at:]
    assert split(edited, EVERY_CUT)[:-1] == parts[:-1]
    data = render_in_parts(edited, fixture_built.settings, cache=FolderCache(folder), weight=EVERY_CUT).data
    after = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.part")}
    kept = before.keys() & after.keys()
    assert len(kept) >= len(parts) - 1  # the other parts were reused, not laid out again
    assert all(before[name] == after[name] for name in kept)
    assert data != fixture_built.parts
    assert len(after) == len(before)  # what the build no longer uses is not kept
    shares_after = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.share")}
    assert len(shares) == len(shares_after) == len(parts)
    assert sum(shares[name] == shares_after.get(name) for name in shares) == len(parts) - 1
    assert data == render_in_parts(edited, fixture_built.settings, weight=EVERY_CUT).data


DAMAGE = [b"not a pdf", b'{"pages": "many", "anchors": [], "notices": []}',
          b'{"pages": 1, "anchors": {"x": 99}, "notices": [{"message": 3}]}', b"\xff\xfe", b""]


@pytest.mark.slow  # lays the fixture out in parts twice more: CI runs it
def test_a_damaged_kept_part_is_laid_out_again(fixture_built, tmp_path):
    folder = tmp_path / "parts"
    again_in_parts(fixture_built, folder)
    for number, kept in enumerate(sorted(folder.iterdir())):
        kept.write_bytes(DAMAGE[number % len(DAMAGE)])
    again = again_in_parts(fixture_built, folder)
    assert again.data == fixture_built.parts


@pytest.mark.slow  # lays the fixture out in parts twice: CI runs it
def test_kept_parts_swapped_with_their_records_are_laid_out_again(fixture_built, tmp_path):
    """Each kept part is sound on its own (its data matches its digest), but it sits under
    another part's name: a part is used only where it was made for, so the PDF is the same."""
    folder = tmp_path / "parts"
    again_in_parts(fixture_built, folder)
    keys = sorted(path.stem for path in folder.glob("*.part"))
    assert len(keys) > 2
    held = [(folder / f"{key}.part").read_bytes() for key in keys]
    for key, data in zip(keys, held[1:] + held[:1], strict=True):  # each one name along
        (folder / f"{key}.part").write_bytes(data)
    again = again_in_parts(fixture_built, folder)
    assert again.data == fixture_built.parts


def edited_shares(folder: Path) -> Iterator[dict]:
    """Each kept share of the join with one field changed, its digest (the cache's) still
    matching: the metadata itself is checked."""
    edits = [lambda meta: meta["entries"].__setitem__(0, [10**7, 1, 0, 0]),  # outside its range
             lambda meta: meta.__setitem__("span", -1000),
             lambda meta: meta.__setitem__("pages", "1 0 R"),  # a text, not a list
             lambda meta: meta.pop("kids"),
             lambda meta: meta["entries"].__setitem__(0, [meta["entries"][0][0], 3, 0, 0]),  # no kind 3
             lambda meta: meta.__setitem__("catalog", {"catalog": {}})]
    for number, kept in enumerate(sorted(folder.glob("*.share"))):
        _, head, data = kept.read_bytes().split(b"\n", 2)
        meta = json.loads(head)
        edits[number % len(edits)](meta)
        blob = json.dumps(meta).encode("ascii") + b"\n" + data
        kept.write_bytes(hashlib.sha256(blob).hexdigest().encode("ascii") + b"\n" + blob)
        yield meta


@pytest.mark.slow  # lays the fixture out in parts again: CI runs it
def test_a_kept_share_edited_by_hand_is_written_again(fixture_built, tmp_path):
    folder = tmp_path / "parts"
    again_in_parts(fixture_built, folder)
    assert len(list(edited_shares(folder))) == len(split(fixture_built.html, EVERY_CUT))
    again = again_in_parts(fixture_built, folder)
    assert again.data == fixture_built.parts


@pytest.mark.slow  # lays the fixture out tagged, whole and in parts (13 s): CI runs it
def test_a_tagged_document_in_parts_has_one_structure_tree(fixture_built, tmp_path):
    tagged = replace(fixture_built.settings, variant="pdf/ua-1")
    whole = written(tmp_path, lay_out(fixture_built.html, tagged).data, "whole.pdf")
    joined = written(tmp_path, render_in_parts(fixture_built.html, tagged, weight=EVERY_CUT,
                                               cache=FolderCache(tmp_path / "parts")).data, "parts.pdf")
    assert_same_document(whole, joined)
    assert structure(joined) == structure(whole)
    assert pdfua_findings(joined) == []
    assert table_scopes(joined) == table_scopes(whole)
    assert table_header_faults(whole) == [] and table_header_faults(joined) == []
    assert parent_tree_faults(whole) == [] and parent_tree_faults(joined) == []


@pytest.mark.slow  # lays the fixture out whole: CI runs it
def test_a_short_document_is_laid_out_whole(fixture_built, tmp_path):
    data = render_in_parts(fixture_built.html, fixture_built.settings, cache=FolderCache(tmp_path)).data
    assert data == fixture_built.whole


def sections(count: int) -> str:
    """A document of `count` page-starting sections of 20 tags each, after a heading on page 1
    (the head's title is no text of a page: a cut with nothing shown before it is no cut)."""
    body = "".join('<section class="page-start">' + "<p>x</p>" * 9 + "</section>" for _ in range(count))
    return (f"<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>t</h1>{body}"
            "</main></body></html>")


def test_a_document_is_cut_only_when_what_follows_page_one_outweighs_the_cost_of_parts():
    weight = 20  # one section
    assert split(sections(3), weight) == [sections(3)]  # three parts' worth: not worth cutting
    assert split(sections(SPLIT_AT - 1), weight) == [sections(SPLIT_AT - 1)]
    assert len(split(sections(SPLIT_AT), weight)) == SPLIT_AT + 1  # page 1, then each section


@pytest.mark.slow
def test_pdf_a_in_parts_keeps_attachments_and_output_intent(tmp_path):
    built = build(FIXTURE, "pdf/a-3b", tmp_path / "parts", attach=True)
    whole, joined = written(tmp_path, built.whole, "whole.pdf"), written(tmp_path, built.parts, "parts.pdf")
    assert_same_document(whole, joined)
    one, other = pypdf.PdfReader(whole), pypdf.PdfReader(joined)
    assert {name: data for name, data in other.attachments.items()} == dict(one.attachments.items())
    for key in ("/OutputIntents", "/Metadata", "/Lang", "/MarkInfo"):
        assert (key in other.trailer["/Root"]) == (key in one.trailer["/Root"]), key
    assert other.trailer["/ID"][0] and other.xmp_metadata is not None


@pytest.mark.slow
def test_the_example_in_parts_reads_as_one_layout(tmp_path):
    built = build(copy_example(tmp_path / "example"), "none", tmp_path / "parts")
    assert len(split(built.html, EVERY_CUT)) > 5
    assert split(built.html) == [built.html]  # at the default part size, one layout (SPLIT_AT)
    tagged = replace(built.settings, variant="pdf/ua-1")
    joined = written(tmp_path, render_in_parts(built.html, tagged, cache=FolderCache(tmp_path / "ua"),
                                               weight=EVERY_CUT).data, "ua-parts.pdf")
    whole = written(tmp_path, lay_out(built.html, tagged).data, "ua-whole.pdf")
    assert structure(joined) == structure(whole)
    assert outline(pypdf.PdfReader(joined)) == outline(pypdf.PdfReader(whole))  # months under sections
    assert pdfua_findings(joined) == []
    assert_same_document(written(tmp_path, built.whole, "whole.pdf"),
                         written(tmp_path, built.parts, "parts.pdf"))


SECTION = st.recursive(
    st.tuples(st.just("p"), st.booleans(), st.text("abc ", min_size=1, max_size=5), st.just([])),
    lambda inner: st.tuples(st.sampled_from(["div", "section"]), st.booleans(), st.just(""),
                            st.lists(inner, min_size=1, max_size=4)),
    max_leaves=12)


def markup(node, counter: list[int]) -> str:
    tag, starts, text, children = node
    counter[0] += 1
    number = counter[0]
    classes = f' class="{PAGE_START}"' if starts else ""
    inner = text + "".join(markup(child, counter) for child in children)
    return f'<{tag} id="e{number}"{classes}>{inner}</{tag}>'


@settings(max_examples=100, deadline=None)
@given(st.lists(SECTION, min_size=1, max_size=5), st.integers(min_value=1, max_value=40))
def test_parts_hold_every_element_once_in_order(tree, weight):
    """Whatever the nesting of page starts and the size of a part: every part is a whole
    document, and the parts together hold each element of the text once, in order, the running
    elements in each."""
    counter = [0]
    body = "".join(markup(node, counter) for node in tree)
    html = ('<!DOCTYPE html><html><head><title>t</title></head><body>'
            '<div class="running" data-each-part><p>head</p></div>' + body + "</body></html>")
    parts = split(html, weight)
    texts = [re.sub(r"<[^>]*>|\s", "", part[part.index("<body"):]) for part in parts]
    assert "".join(t.replace("head", "", 1) for t in texts) == re.sub(r"<[^>]*>|\s", "", body)
    ids = [m for part in parts for m in re.findall(r'\sid="(e\d+)"', part)]
    assert ids == [f"e{n}" for n in range(1, counter[0] + 1)]
    for part in parts:
        assert part.count("<body") == 1 and part.rstrip().endswith("</html>")
        assert part.count("data-each-part") == 1



FRAGMENTS = ['<section class="page-start">', "</section>", "<p>", "</p>", "text ",
             '<div class="x page-start" title="a > b">', "</div>", "<br/>", '<img alt="x">',
             '<div class="running" data-each-part><p>run</p></div>', "<a title='<q'>", "</a>",
             '<!-- <div class="page-start">c</div> -->', "<style>a<b{}</style>",
             "<script>if (a<b) {}</script>", "<!x>", "<? y ?>", "<", '"', "'", "<!--", "<b x ",
             "</p></p>", '<div class="page-start">']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60), st.booleans(), st.data(),
       st.integers(min_value=1, max_value=80), st.integers(min_value=1, max_value=12))
def test_the_parts_are_the_same_whatever_pieces_the_text_comes_in(fragments, closed, data, step,
                                                                   weight):
    """The parts of a document read as a template writes it, in pieces cut anywhere (inside a
    tag, a quoted value, a comment, a style) and read a few characters at a time, are those
    of the document given whole: a token is taken only once it is whole."""
    html = ("<!DOCTYPE html><html><head><title>t</title></head><body><main><p>page 1</p>"
            + "".join(fragments) + ("</main></body></html>" if closed else ""))
    at = sorted(set(data.draw(st.lists(st.integers(min_value=0, max_value=len(html)), max_size=40))))
    pieces = [html[start:end] for start, end in zip([0, *at], [*at, len(html)], strict=True)]
    assert split(pieces, weight, step=step) == split(html, weight)


def sized_sections(tags: list[int]) -> list[str]:
    """A document's text in pieces: page 1 and the contents, then a section beginning a page,
    each holding as many tags (each `<`, up to the next page start) as `tags` says."""
    head = "<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>[s0]</h1>"
    tail = "</main></body></html>"
    pieces = [head + "<br>" * (tags[0] - head.count("<"))]
    for n, count in enumerate(tags[1:], 1):
        pieces.append(f'<section class="page-start"><p>[s{n}]' + "<br>" * (count - 3) + "</section>")
    return [*pieces[:-1], pieces[-1].replace("<br>" * tail.count("<"), "", 1) + tail]


def test_a_part_goes_as_soon_as_the_written_rule_settles_it():
    """The worked example of docs/engine.md ("Parts laid out as they are written"): stretches of
    500 tags for page 1, then 3,000, 1,500, 5,000, 4,200, 2,500, 1,000 and 1,900 make the parts
    page 1, 3,000 + 1,500, 5,000, 4,200 and 2,500 + 1,000 + 1,900; the first four go when the
    2,500 has ended (the next page start is read), the last when the text is done."""
    tags = [500, 3_000, 1_500, 5_000, 4_200, 2_500, 1_000, 1_900]
    pieces = sized_sections(tags)
    assert [piece.count("<") for piece in pieces] == tags

    def given(pieces: list[str]) -> list[tuple[int, str]]:
        """Each part, with how many pieces had been read when it went (one more: the end)."""
        cutter = _Cutter(4_000)
        found = [(n, part) for n, piece in enumerate(pieces, 1) for part in cutter.read(piece)]
        return found + [(len(pieces) + 1, part) for part in cutter.read("", final=True)]

    parts = given(pieces)
    assert [at for at, _ in parts] == [7, 7, 7, 7, 9]  # with the seventh piece's page start
    assert [[n for n in range(8) if f"[s{n}]" in part] for _, part in parts] == [
        [0], [1, 2], [3], [4], [5, 6, 7]]
    parts = given(sized_sections([500, 4_000, 4_000, 4_000, 4_000, 1_000]))  # a short last part
    assert [at for at, _ in parts] == [6, 6, 6, 6, 7]  # the fifth waits for the text's end
    assert [[n for n in range(6) if f"[s{n}]" in part] for _, part in parts] == [
        [0], [1], [2], [3], [4, 5]]
    short = "".join(sized_sections([500, 3_000, 1_500, 5_000, 4_200, 2_299]))
    assert split(short) == [short]  # 15,999 tags after page 1: laid out whole
    assert len(split("".join(sized_sections([500, 3_000, 1_500, 5_000, 4_200, 2_300])))) == 5


def test_the_first_parts_go_while_most_of_a_long_text_is_still_to_come():
    """Read as written at the default step, a long document's first parts are given out with
    most of its text still to come (the steps grow with the text held only before the first
    part goes: after it, what is held is the parts not yet settled)."""
    pieces = sized_sections([500] + [4_000] * 60)
    written: list[str] = []

    def template() -> Iterator[str]:
        for piece in pieces:
            written.append(piece)
            yield piece

    given = [len(written) for _ in _Cutter(4_000).parts(template())]
    assert len(given) == 61
    assert given[0] < len(pieces) / 3
    assert given[30] < len(pieces) * 2 / 3


TRICKY = ('<!DOCTYPE html><html><head><title>a <div class="page-start"> b</title>'
          '<style>p::after { content: "<div class=\'page-start\'>" }</style></head><body>'
          '<div class="running" DATA-EACH-PART><p>head<br/></p><img data-each-part alt="x"></div>'
          '<MAIN id="m"><!-- <section class="page-start">no cut</section> -->'
          '<section id="s1" title="a > b"><p>one <a href="#s1" title="see class=page-start and'
          ' data-each-part">x</a></p></section>'
          "<section id='s2' class='x page-start' data-note=\"1 > 0\"><p>two<img src=x /></p></section>"
          '<div id="d" class="page-starter" title="my page-start"><section id="s3" class="page-start">'
          '<p>three</p></section></div></MAIN></body></html>')


def test_cuts_fall_where_an_html_parser_finds_page_starts():
    """The cuts are found by a regular expression, not a parser: a page start inside a title,
    a style, a comment or an attribute's value (a curator's words in a link's title) is none, a
    `>` inside a quoted value ends no tag, tags and attributes may be in capitals or closed
    with `/>`, and a cut inside another element opens it again without its id and its own page
    break, its other classes and attributes as written."""
    parts = split(TRICKY, 1)
    bodies = [part[part.index("<body>"):] for part in parts]
    assert len(parts) == 3
    assert "no cut" in bodies[0] and 'id="s1"' in bodies[0] and "s2" not in bodies[0]
    assert 'title="see class=page-start and data-each-part"' in bodies[0]
    assert re.search(r'<MAIN>\s*<section id=\'s2\' class="x page-start part-start"', bodies[1])
    assert re.search(r'<MAIN><div class="page-starter" title="my page-start">\s*'
                     r'<section id="s3" class="page-start part-start"', bodies[2])
    assert bodies[2].endswith("</MAIN></body></html>")
    for body in bodies[1:]:
        assert body.startswith('<body><div class="running" DATA-EACH-PART><p>head<br/></p>'
                               '<img data-each-part alt="x"></div>')
        assert body.lower().count("data-each-part") == 2


BROKEN = {"a tag never closed": "<b x ", "a comment never closed": "<!-- x ",
          "a quote never closed": '<a title="', "a declaration never closed": "<!x ",
          "an instruction never closed": "<? ", "a bare bracket": "<", "a style never closed": "<style>",
          "quotes of both kinds": "\"a '<a'\"", "page starts never closed": '<div class="page-start">x',
          "page starts with nothing in them": '<div class="page-start"></div>',
          "stray end tags": "<div></p></p>"}


def test_a_broken_template_cannot_make_finding_the_cuts_hang():
    """A project's own template may leave a tag, a comment or a quote open, with no `>` after
    it, nest page starts it never closes, or start pages with nothing on them: the parts of 400 kB
    of each are found at once, given whole or as a template writes it, 100 characters at a time
    (in a process of its own, stopped after a minute: a scan to the end of the text from every
    `<`, as the first regular expression did, a copy of the open elements at every cut, or a
    comment never closed read again from its start at every step, takes hours here)."""
    script = ("import sys; from reportgen.pdf.parts import split\n"
              "for piece in sys.argv[1:]:\n"
              "    html = ('<html><head></head><body><main><p>x</p><div class=\"page-start\">x</div>'"
              " + piece * (400_000 // len(piece)))\n"
              "    split(html)\n"
              "    split((html[at:at + 100] for at in range(0, len(html), 100)), step=100)")
    done = subprocess.run([sys.executable, "-c", script, *BROKEN.values()], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr

def test_table_header_ids_stay_unique_across_parts(fixture_print, tmp_path):
    """Parts alike in shape number their objects alike, and WeasyPrint's table-header ids come
    from those numbers: without each part's own prefix the joined ids would collide."""
    table = ('<table><thead><tr><th scope="col">Day</th><th scope="col">Count</th></tr></thead>'
             '<tbody><tr><th scope="row">Monday</th><td>{n}</td></tr></tbody></table>')
    body = "".join(f'<section class="page-start"><h2>Week {n}</h2>{table.format(n=n)}</section>'
                   for n in range(SPLIT_AT + 2))
    html = (f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
            f'<h1>Tables</h1>{body}</main></body></html>')
    tagged = replace(fixture_print.settings, variant="pdf/ua-1")
    joined = written(tmp_path, render_in_parts(html, tagged, weight=EVERY_CUT).data, "parts.pdf")
    assert len(split(html, EVERY_CUT)) == SPLIT_AT + 3
    assert table_header_faults(joined) == []
    assert parent_tree_faults(joined) == []


HOSTILE_TITLES = ['Attack (claimed) on "X"', "A back\\slash, a ) and a ( unbalanced",
                  "12 0 R &lt;&lt; /Type /Catalog &gt;&gt;", "Ünïcödé — طهران", "(((",
                  "&lt;FEFF&gt; endobj stream"]


@pytest.mark.parametrize("variant", ["none", "pdf/ua-1"])
def test_text_that_reads_as_pdf_syntax_survives_the_join(tmp_path, variant):
    """Titles (bookmarks), anchors and text holding parentheses, backslashes, references and
    keywords are strings to the join, which renumbers references in the parts' objects."""
    count = len(HOSTILE_TITLES)
    sections = "".join(
        f'<section class="page-start" id="s{n}-({n})"><h2>{title}</h2><p>{title}'
        f' <a href="#s{(n + 1) % count}-({(n + 1) % count})">next</a></p></section>'
        for n, title in enumerate(HOSTILE_TITLES))
    html = (f'<!DOCTYPE html><html lang="en"><head><title>t</title><style>.page-start '
            f'{{ break-before: page }}</style></head><body><main><h1>Hostile</h1>{sections}</main>'
            f'</body></html>')
    settings = settings_of(FIXTURE, variant)
    assert len(split(html, EVERY_CUT)) == len(HOSTILE_TITLES) + 1
    whole = written(tmp_path, lay_out(html, settings).data, "whole.pdf")
    joined = written(tmp_path, render_in_parts(html, settings, weight=EVERY_CUT).data, "parts.pdf")
    assert page_texts(joined) == page_texts(whole)
    shown = [html_lib.unescape(title) for title in HOSTILE_TITLES]
    assert [title for _, title, _ in outline(pypdf.PdfReader(joined))] == ["Hostile", *shown]
    assert outline(pypdf.PdfReader(joined)) == outline(pypdf.PdfReader(whole))
    assert link_targets(joined.read_bytes()) == link_targets(whole.read_bytes())
    assert run_tool("qpdf", "--check", str(joined)).returncode == 0
