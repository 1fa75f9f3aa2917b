"""What a screen reader learns of a PDF's tables: each table row's header cells with their
/Scope, read from the structure tree (pypdf), beside what the HTML's `scope` attributes say;
and the independent PDF/UA checker's findings, counted by rule."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pypdf
from pdfua import validate

Row = tuple[bool, tuple[str, ...]]
"""A table row: whether it is in the table's head, and the /Scope of each header cell in it."""
SCOPES = {"row": "/Row", "col": "/Column"}


def ua_findings(pdf: Path) -> Counter[str]:
    """The `pdfua` checker's findings (errors and warnings alike), counted by rule id."""
    return Counter(finding.rule_id for finding in validate(str(pdf)).findings)


def pdf_rows(reader: pypdf.PdfReader) -> list[Row]:
    """Every /TR of the structure tree, in reading order ("" for a /TH without a scope)."""
    rows: list[Row] = []

    def walk(element) -> None:
        if element.get("/S") == "/TR":
            head = element["/P"].get_object().get("/S") == "/THead"
            rows.append((head, tuple(str(cell.get("/A", {}).get("/Scope", ""))
                                     for cell in _kids(element) if cell.get("/S") == "/TH")))
        for kid in _kids(element):
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return rows


def _kids(element) -> list:
    kids = element.get("/K", [])
    kids = kids if isinstance(kids, list) else [kids]
    return [kid for kid in (k.get_object() for k in kids)
            if isinstance(kid, dict) and kid.get("/Type", "/StructElem") == "/StructElem"]


def html_rows(html: str) -> list[Row]:
    """Every `tr` of the HTML in document order, with what its `th`s' `scope` says (a `th`
    without `scope="row"` heads a column, as in HTML's own header algorithm for header rows)."""
    parser = _RowParser()
    parser.feed(html)
    parser.close()
    return parser.rows


def follows_html(pdf: list[Row], html: list[Row]) -> bool:
    """Whether the PDF's rows are the HTML's, in order, with each head row possibly repeated
    (WeasyPrint repeats a table's head on every page the table spans)."""
    position, head = 0, None
    for row in pdf:
        if position < len(html) and row == html[position]:
            position += 1
            head = row if row[0] else head
        elif not (row[0] and row == head):
            return False
    return position == len(html)


class _RowParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.head = False
        self.cells: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "thead":
            self.head = True
        elif tag in ("tbody", "tfoot"):
            self.head = False
        elif tag == "tr":
            self._end_row()
            self.cells = []
        elif tag == "th" and self.cells is not None:
            self.cells.append(SCOPES.get(dict(attrs).get("scope") or "", "/Column"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("tr", "table"):
            self._end_row()
        if tag in ("thead", "table"):
            self.head = False

    def close(self) -> None:
        super().close()
        self._end_row()

    def _end_row(self) -> None:
        if self.cells is not None:
            self.rows.append((self.head, tuple(self.cells)))
            self.cells = None
