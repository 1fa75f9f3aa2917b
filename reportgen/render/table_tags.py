"""Table header cells a screen reader can follow: every /TH in a tagged PDF gets its /Scope.

WeasyPrint (70) tags an HTML table as /Table > /THead|/TBody > /TR > /TH|/TD, one /Table per
page the table spans (with the repeated header row). It gives each /TH an /ID and each /TD the
/Headers it falls under, reading the HTML's `scope` to tell a row header (`scope="row"`: it
names the cells of its own row) from a column header (any other `th`: it names the cells
below it). It writes no /Scope, so a reader that follows scopes rather than /Headers, and the
checkers that look for them, find headers without a direction.

`scope_table_headers` runs as WeasyPrint's finisher, on the tagged PDF's objects before they
are written: no second parse, and the same input still gives the same bytes. A /TH is a row
header when a /TD of its own row names it, which is WeasyPrint's reading of `scope="row"`;
every other /TH (a header row, in a /THead or not) is a column header. An untagged PDF has no
structure elements, so nothing changes.
"""

from __future__ import annotations

import pydyf

ROW, COLUMN = "/Row", "/Column"


def scope_table_headers(_document, pdf: pydyf.PDF) -> None:
    """Set /A /Scope on every /TH structure element of `pdf` (a WeasyPrint finisher)."""
    for row in pdf.objects:
        if isinstance(row, pydyf.Dictionary) and row.get("S") == "/TR":
            cells = [pdf.objects[_number(kid)] for kid in row.get("K", ()) if isinstance(kid, bytes)]
            named = {str(header.string) for cell in cells if cell.get("S") == "/TD"
                     for header in cell.get("A", {}).get("Headers", ())}
            for cell in cells:
                if cell.get("S") == "/TH":
                    attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                    attributes["Scope"] = ROW if _id(cell) in named else COLUMN


def _number(reference: bytes) -> int:
    """The object number in an indirect reference (b"12 0 R")."""
    return int(reference.split()[0])


def _id(cell: pydyf.Dictionary) -> str | None:
    identifier = cell.get("ID")
    return None if identifier is None else str(identifier.string)
