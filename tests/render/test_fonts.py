"""The fonts a theme asks for, as this machine resolves them: read from the stylesheets, an input
of every PDF (installing one makes the PDFs stale, and `build -n` says why), and a note when the
theme's first choice is missing. Fonts are "installed" in a private XDG data folder, so the
tests change nothing on the machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.render.fonts import Resolved, describe, theme_stacks
from tests.support import REPO
from tests.support.pdf_tools import write_variable_font
from tests.support.synthetic import write_corpus

CSS = """
:root { --sans: "Invented Sans", 'DejaVu Sans', sans-serif; font-family: "Noto Sans", serif; }
/* font-family: "In A Comment"; */
h1 { font: 700 14pt/1.2 "DejaVu Sans Mono", monospace; }
p { font: italic 600 9pt/1.3 var(--sans); }
code { font-family: var(--sans); }
"""


def test_stacks_come_from_font_family_the_shorthand_and_custom_properties():
    assert theme_stacks([CSS]) == [("Noto Sans",), ("DejaVu Sans Mono",), ("Invented Sans", "DejaVu Sans")]


def test_a_missing_first_choice_names_its_package():
    assert describe(Resolved("Noto Sans", "DejaVu Sans", "/x.ttf")) == (
        "the theme asks for the font 'Noto Sans', which is not installed: the PDF uses 'DejaVu Sans' "
        "instead (apt-get install fonts-noto-core)")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_corpus(tmp_path / "p", incidents=3, actors=2, reports=2, formats=("html", "pdf"))
    (root / "templates").mkdir(exist_ok=True)
    theme = REPO / "templates" / "print.css"
    (root / "templates" / "print.css").write_text(
        theme.read_text() + '\nbody { font-family: "Invented Sans", "DejaVu Sans", sans-serif; }\n')
    return root


def build(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_DATA_HOME": str(root.parent / "data"),
           "XDG_CACHE_HOME": str(root.parent / "cache")}
    return subprocess.run([sys.executable, "-m", "reportgen", "build", "-j1", *args, "-C", str(root)],
                          capture_output=True, text=True, env=env, check=False, timeout=300)


@pytest.mark.slow
def test_installing_or_removing_a_theme_font_makes_the_pdfs_stale(project: Path):
    first = build(project)
    assert first.returncode == 0, first.stderr
    note = ("note: the theme asks for the font 'Invented Sans', which is not installed: the PDF uses "
            "'DejaVu Sans' instead (install a font that provides it)")
    assert first.stdout.count(note) == 1, first.stdout  # two reports with PDFs, one note
    assert "nothing to do" in build(project).stdout
    font = project.parent / "data" / "fonts" / "invented.ttf"
    font.parent.mkdir(parents=True)
    write_variable_font(font, family="Invented Sans")
    planned = build(project, "-n").stdout.splitlines()
    stale = sorted(line.split(":")[0] for line in planned)
    assert [s for s in stale if s.endswith(".pdf")] == stale and len(stale) == 2, planned
    assert all(line.endswith(": the fonts the theme gets changed: 'Invented Sans' now 'Invented Sans' "
                             "(was 'DejaVu Sans')") for line in planned), planned
    rebuilt = build(project)
    assert rebuilt.returncode == 0 and "note:" not in rebuilt.stdout, rebuilt.stdout
    assert rebuilt.stdout.count("wrote ") == 2
    font.unlink()
    assert all(line.endswith("(was 'Invented Sans')") for line in build(project, "-n").stdout.splitlines())
