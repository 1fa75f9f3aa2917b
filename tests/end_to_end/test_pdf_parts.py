"""`reportgen build` of a long report lays its PDF out in parts (tests/render/test_parts.py
shows the parts read as one layout): with -j2 as with -j1 the same bytes; an edit to one
incident lays out again only the parts it touches, and gives the bytes a build from scratch
gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.make import build
from reportgen.pipeline import open_project
from tests.support.builds import edit, incident
from tests.support.pdf_tools import page_texts
from tests.support.synthetic import write_corpus

pytestmark = pytest.mark.slow  # four builds of a long PDF

INCIDENTS = 300


def kept_parts(root: Path, report: str) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in (root / "build" / report / "parts").glob("*.part")}


def test_a_long_pdf_is_built_in_parts_and_rebuilt_in_part(tmp_path):
    root = write_corpus(tmp_path / "long", INCIDENTS, formats=("pdf",))
    project = open_project(root)
    report = project.config.reports[0]
    pdf = root / "build" / report.id / f"{report.id}.pdf"

    assert not build(root, jobs=2).failed
    two = pdf.read_bytes()
    parts = kept_parts(root, report.id)
    assert len(parts) > 3  # the parts, the numbered first part and the page numbers
    assert not build(root, jobs=1, force=True).failed
    assert pdf.read_bytes() == two

    edit(incident(root, INCIDENTS // 2), "generated for testing", "generated for testing, edited")
    assert not build(root, jobs=2).failed
    edited = pdf.read_bytes()
    after = kept_parts(root, report.id)
    laid_out_again = [name for name in after if parts.get(name) != after[name]]
    assert edited != two
    assert 0 < len(laid_out_again) <= len(after) // 2

    (root / "build" / report.id / "parts").rename(tmp_path / "old-parts")
    assert not build(root, jobs=2, force=True).failed
    assert pdf.read_bytes() == edited
    assert page_texts(pdf)


def test_a_project_moved_elsewhere_gives_the_same_pdf_and_reuses_its_parts(tmp_path):
    """Nothing of where the project lies reaches the PDF or a part's key: a copy in a deeper
    folder gives the same bytes from scratch, and a copy with its build/ lays out no part."""
    import shutil

    here = write_corpus(tmp_path / "here", INCIDENTS, formats=("pdf",))
    report = open_project(here).config.reports[0]
    assert not build(here, jobs=2).failed
    made = (here / "build" / report.id / f"{report.id}.pdf").read_bytes()
    bare = tmp_path / "elsewhere" / "deeper" / "project"
    shutil.copytree(here, bare, ignore=shutil.ignore_patterns("build"))
    assert not build(bare, jobs=2).failed
    assert (bare / "build" / report.id / f"{report.id}.pdf").read_bytes() == made
    moved = tmp_path / "moved"
    shutil.copytree(here, moved, symlinks=True)
    parts = kept_parts(moved, report.id)
    assert not build(moved, jobs=2, force=True).failed
    assert kept_parts(moved, report.id) == parts  # every part reused
    assert (moved / "build" / report.id / f"{report.id}.pdf").read_bytes() == made
