"""Read a built PDF the way readers' tools do: poppler (pdftotext, pdffonts, pdftoppm), qpdf, pypdf."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pypdf
from PIL import Image, ImageChops

from tests.conftest import require_tool


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([require_tool(name), *args], capture_output=True, text=True, timeout=120,
                          check=False)


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in reading order (pdftotext ends every page with a form feed)."""
    done = run_tool("pdftotext", "-enc", "UTF-8", str(pdf), "-")
    assert done.returncode == 0, done.stderr
    return done.stdout.split("\f")[:-1]


def page_fill(pdf: Path) -> list[float]:
    """How far down each page its text reaches, as a share of the page's height, the running
    footer left out (poppler's word boxes)."""
    done = run_tool("pdftotext", "-bbox", str(pdf), "-")
    assert done.returncode == 0, done.stderr
    fills = []
    for page in done.stdout.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        bottoms = [float(y) for y in re.findall(r'yMax="([\d.]+)"', page)]
        fills.append(max((y for y in bottoms if y < height * 0.9), default=0) / height)
    return fills


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table: one dict per font with its name, type and the emb/sub/uni flags."""
    done = run_tool("pdffonts", str(pdf))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header, rule = lines[0], lines[1]
    columns = [(start, start + len(dashes)) for start, dashes in _runs(rule)]
    names = [header[a:b].strip() for a, b in columns]
    return [{name: line[a:b].strip() for name, (a, b) in zip(names, columns, strict=True)}
            for line in lines[2:]]


def _runs(rule: str) -> list[tuple[int, str]]:
    runs, start = [], None
    for index, char in enumerate(rule + " "):
        if char == "-" and start is None:
            start = index
        elif char != "-" and start is not None:
            runs.append((start, rule[start:index]))
            start = None
    return runs


def outline(reader: pypdf.PdfReader) -> list[tuple[int, str, int]]:
    """The bookmarks as (depth, title, page index) in reading order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def render_pages(pdf: Path, folder: Path, first: int, last: int, dpi: int = 50) -> list[Path]:
    """Pages `first`..`last` (1-based) as PNG files, as pdftoppm draws them."""
    done = run_tool("pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last),
                    str(pdf), str(folder / "page"))
    assert done.returncode == 0, done.stderr
    return sorted(folder.glob("page-*.png"))


def image_difference(actual: Path, expected: Path) -> tuple[float, float]:
    """(mean absolute difference in grey levels 0-255, share of pixels off by more than 64)."""
    a, b = Image.open(actual).convert("L"), Image.open(expected).convert("L")
    assert a.size == b.size, f"page size changed: {a.size} != {b.size}"
    diff = ImageChops.difference(a, b)
    histogram = diff.histogram()
    pixels = a.size[0] * a.size[1]
    mean = sum(level * count for level, count in enumerate(histogram)) / pixels
    far = sum(histogram[65:]) / pixels
    return mean, far


def write_variable_font(path: Path, family: str = "Invented Variable") -> Path:
    """A tiny variable TrueType font (a weight axis; every glyph a box), built with fontTools.

    WeasyPrint turns variable fonts into static ones with fontTools, whose saved fonts carry a
    timestamp: a theme using one is what exposes a PDF that depends on the clock."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables.TupleVariation import TupleVariation

    characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:"
    names = [".notdef", *(f"u{ord(c):04X}" for c in characters)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in characters})
    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((500, 700))
    pen.lineTo((500, 0))
    pen.closePath()
    box = pen.glyph()
    builder.setupGlyf({name: box for name in names})
    builder.setupHorizontalMetrics({name: (600, 50) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.setupFvar(axes=[("wght", 100, 400, 900, "Weight")], instances=[])
    bolder = [TupleVariation({"wght": (0, 1.0, 1.0)}, [(40, 0)] * 4 + [(0, 0)] * 4)]
    builder.setupGvar({name: bolder for name in names})
    builder.save(str(path))
    return path
