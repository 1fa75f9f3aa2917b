"""The method's worked example: every figure in tests/fixtures/method-project/expected.yaml was
worked out by hand from docs/method.md; each must be what the Markdown and HTML briefing, the PDF
(with the slow tests) and the CSV and GeoJSON exports print, in the place the row names.

When a figure here disagrees with the briefing, decide from the written method, never from the
output: fix the code, or change the rule first and work the figures out again."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from reportgen.exchange.exporting import export
from reportgen.method import RULES
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.text import render

PROJECT = Path(__file__).resolve().parents[1] / "fixtures" / "method-project"
EXPECTED = yaml.safe_load((PROJECT / "expected.yaml").read_text(encoding="utf-8"))["figures"]
REPORT = "method-brief"
SECTION = {"glance": "at-a-glance", "unstated": "at-a-glance", "incident": "incidents",
           "phase": "phases", "week": "weekly", "pair": "responses"}
"""The anchor of the section each kind of place is printed in (a profile's is the actor's)."""


def _case_id(row: dict) -> str:
    return f"{row['rule']}:{'/'.join(str(part) for part in row['where'])}"


def flat(text: str) -> str:
    return " ".join(text.split())


# --- the Markdown briefing, read as a reader reads it ------------------------------------------

def md_text(cell: str) -> str:
    """A Markdown cell or line as read: links reduced to their text, escapes removed."""
    cell = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)
    cell = re.sub(r'<a id="[^"]*"></a>', "", cell)
    return flat(re.sub(r"\\(.)", r"\1", cell))


def md_block(markdown: str, anchor: str) -> str:
    """The lines from the heading holding `<a id="anchor">` to the next heading of its level."""
    lines = markdown.splitlines()
    start = next(n for n, line in enumerate(lines) if f'<a id="{anchor}"></a>' in line)
    level = len(lines[start]) - len(lines[start].lstrip("#"))
    end = next((n for n in range(start + 1, len(lines))
                if lines[n].startswith("#") and len(lines[n]) - len(lines[n].lstrip("#")) <= level),
               len(lines))
    return "\n".join(lines[start:end])


def md_tables(block: str) -> list[list[dict[str, str]]]:
    """Each table of a block as rows of {column: raw cell}."""
    tables, rows = [], []
    for line in [*block.splitlines(), ""]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]])
        elif rows:
            header, body = rows[0], rows[2:]
            tables.append([dict(zip(header, row, strict=True)) for row in body])
            rows = []
    return tables


def md_cell(markdown: str, where: list[str]) -> str:
    kind, *key = where
    if kind == "profile":
        actor, label = key
        rows = [r for t in md_tables(md_block(markdown, f"actor-{actor}")) for r in t]
        return md_text(next(r for r in rows if md_text(next(iter(r.values()))) == label)[""])
    rows = [r for t in md_tables(md_block(markdown, SECTION[kind])) for r in t]
    *match, column = key
    return md_text(next(r for r in rows if _md_matches(kind, r, match))[column])


def _md_matches(kind: str, row: dict[str, str], match: list[str]) -> bool:
    cells = list(row.values())
    if kind == "incident":
        return f"(#inc-{match[0]})" in row.get("Incident", "")
    if kind == "pair":
        return [md_text(c) for c in cells[:2]] == match
    if kind == "phase":
        return md_text(cells[0]).startswith(match[0])
    return md_text(cells[0]).casefold() == match[0].casefold()


# --- the HTML briefing --------------------------------------------------------------------------

def html_tables(page: BeautifulSoup, anchor: str) -> list:
    """The tables of a section, or the table after a heading that holds the anchor."""
    found = page.find(id=anchor)
    if found.name in ("h2", "h3", "h4"):
        return [found.find_next("table")]
    if found.name not in ("section", "article"):
        found = found.find_parent(["section", "article"])
    return found.find_all("table")


def html_rows(tables) -> list[dict[str, str]]:
    rows = []
    for table in tables:
        header = [flat(th.get_text(" ")) for th in table.select("thead th")]
        for tr in table.select("tbody tr"):
            cells = tr.find_all(["th", "td"])
            names = header or ["", ""]
            rows.append({"_tr": tr, **{name: flat(cell.get_text(" ")).replace(" ;", ";").replace(" :", ":")
                                       for name, cell in zip(names, cells, strict=False)}})
    return rows


def html_cell(page: BeautifulSoup, where: list[str]) -> str:
    kind, *key = where
    if kind == "profile":
        actor, label = key
        [table] = [t for t in html_tables(page, f"actor-{actor}") if "figures" in t.get("class", ())]
        row = next(tr for tr in table.find_all("tr") if flat(tr.th.get_text(" ")) == label)
        return flat(row.td.get_text(" "))
    rows = html_rows(html_tables(page, SECTION[kind]))
    *match, column = key
    for row in rows:
        cells = [v for k, v in row.items() if k != "_tr"]
        if kind == "incident":
            found = row["_tr"].find("a", href=f"#inc-{match[0]}") is not None
        elif kind == "pair":
            found = cells[:2] == match
        elif kind == "phase":
            found = cells[0].startswith(match[0])
        else:
            found = cells[0].casefold() == match[0].casefold()
        if found:
            return row[column]
    raise AssertionError(f"no row for {where}")


# --- the briefing, built once -------------------------------------------------------------------

@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("method") / "project"
    shutil.copytree(PROJECT, root)
    loaded = open_project(root)
    assert not [p for p in loaded.problems if p.severity == "error"], loaded.problems
    return loaded


@pytest.fixture(scope="module")
def briefing(project):
    return make_briefing(project, project.config.report(REPORT))


@pytest.fixture(scope="module")
def markdown(briefing) -> str:
    return render(briefing, "md")


@pytest.fixture(scope="module")
def page(briefing) -> BeautifulSoup:
    return BeautifulSoup(render(briefing, "html"), "html.parser")


@pytest.fixture(scope="module")
def exported(project) -> dict[str, dict[str, dict[str, str]]]:
    text, _ = export(project, "csv", report_id=REPORT)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    text, _ = export(project, "geojson", report_id=REPORT)
    features = {f["id"]: {k: "" if v is None else str(v) for k, v in f["properties"].items()}
                for f in json.loads(text)["features"]}
    return {"csv": rows, "geojson": features}


MAP_KINDS = ("place", "unplaced", "map-text", "map-alt")


def md_map(markdown: str, where: list[str]) -> str:
    """The map section as read: a place's line after its name, an unplaced incident's reason,
    the whole section (for map-text), or the image's alt text."""
    kind, *key = where
    block = md_block(markdown, "map")
    if kind == "map-alt":
        return md_text(re.search(r"!\[(.*?)\]\(", block, re.S).group(1))
    if kind == "map-text":
        return md_text(block)
    lines = [line for line in block.splitlines() if line.startswith("- ")]
    if kind == "place":
        line = next(line for line in lines if line.startswith(f"- **{key[0]}**, "))
        return md_text(line.removeprefix(f"- **{key[0]}**, "))
    line = next(line for line in lines if f"(#inc-{key[0]})" in line)
    return md_text(line).rsplit(": ", 1)[1]


def html_map(page: BeautifulSoup, where: list[str]) -> str:
    kind, *key = where
    section = page.find(id="map")
    if kind == "map-alt":
        return flat(section.find("img")["alt"])
    if kind == "map-text":
        return flat(section.get_text(" ")).replace(" ;", ";").replace(" .", ".")
    if kind == "place":
        item = next(li for li in section.select("ul.places li") if flat(li.strong.get_text()) == key[0])
        return flat(item.get_text(" ")).removeprefix(key[0]).replace(" ,", ",").strip(" ,")
    item = next(li for li in section.select("ul.unplaced li") if li.find("a", href=f"#inc-{key[0]}"))
    return flat(item.get_text(" ")).rsplit(": ", 1)[1]


def _in_markdown(markdown: str, row: dict) -> str | None:
    """What the Markdown prints at the row's place; None where the place is prose (checked by
    containment)."""
    kind = row["where"][0]
    if kind in ("text", "unstated"):
        return None
    return md_cell(markdown, row["where"])


BRIEFING_ROWS = [r for r in EXPECTED if r["where"][0] not in ("csv", "geojson")]
EXPORT_ROWS = [r for r in EXPECTED if r["where"][0] in ("csv", "geojson")]


@pytest.mark.parametrize("row", BRIEFING_ROWS, ids=_case_id)
def test_the_markdown_prints_the_hand_worked_figure(markdown, row):
    kind, *key = row["where"]
    if kind in ("map-text", "map-alt"):
        assert row["expected"] in md_map(markdown, row["where"])
    elif kind in MAP_KINDS:
        assert md_map(markdown, row["where"]) == row["expected"]
    elif kind == "text":
        prose = md_text(md_block(markdown, "at-a-glance") + " " + md_block(markdown, "escalation"))
        assert row["expected"] in prose
    elif kind == "unstated":
        line = next(line for line in md_block(markdown, "at-a-glance").splitlines()
                    if "whose dead or injured" in line)
        assert re.search(rf"\(#inc-{re.escape(key[0])}\): {re.escape(row['expected'])}(;|\.)", line)
    else:
        assert _in_markdown(markdown, row) == row["expected"]


@pytest.mark.parametrize("row", BRIEFING_ROWS, ids=_case_id)
def test_the_html_prints_the_hand_worked_figure(page, row):
    kind, *key = row["where"]
    if kind in ("map-text", "map-alt"):
        assert row["expected"] in html_map(page, row["where"])
    elif kind in MAP_KINDS:
        assert html_map(page, row["where"]) == row["expected"]
    elif kind == "text":
        prose = flat(page.find(id="at-a-glance").get_text(" ") + " "
                     + page.find(id="escalation").get_text(" "))
        assert row["expected"] in prose
    elif kind == "unstated":
        link = page.find(class_="unstated").find("a", href=f"#inc-{key[0]}")
        assert flat(str(link.next_sibling)).removeprefix(":").strip().startswith(row["expected"])
    else:
        assert html_cell(page, row["where"]) == row["expected"]


@pytest.mark.parametrize("row", EXPORT_ROWS, ids=_case_id)
def test_the_exports_print_the_hand_worked_figure(exported, row):
    kind, incident, column = row["where"]
    assert exported[kind][incident][column] == row["expected"]


def test_every_rule_of_the_method_is_worked_in_the_example():
    """The worked example holds a case of every rule that derives a figure."""
    worked = {row["rule"] for row in EXPECTED}
    unworked = {"selection", "turning-points"}  # a statement of scope; checked in test_analyse
    assert {r.key for r in RULES} - unworked <= worked
    assert worked <= {r.key for r in RULES}


@pytest.mark.slow
def test_the_pdf_prints_the_hand_worked_figures(briefing):
    """The PDF is laid out from the HTML; its text holds every figure the briefing prints (the
    map's alt text is in its tags, not its text: checked in tests/render/test_pdf_options)."""
    from reportgen.pipeline import publish
    from tests.support.pdf_tools import page_texts

    [pdf] = [path for path in publish(briefing, ["pdf"]).written if path.suffix == ".pdf"]
    text = flat(" ".join(page_texts(pdf)).replace("\u00ad", ""))
    missing = [row for row in BRIEFING_ROWS
               if row["where"][0] != "map-alt" and flat(row["expected"]) not in text]
    assert not missing, missing
