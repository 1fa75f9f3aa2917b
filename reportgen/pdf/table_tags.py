"""Table header cells a screen reader can follow: every /TH in a tagged PDF gets its /Scope,
and its /ID one that no other part of the document uses.

WeasyPrint (70) tags an HTML table as /Table > /THead|/TBody > /TR > /TH|/TD, one /Table per
page the table spans (with the repeated header row). It gives each /TH an /ID and each /TD the
/Headers it falls under, reading the HTML's `scope` to tell a row header (`scope="row"`: it
names the cells of its own row) from a column header (any other `th`: it names the cells
below it). It writes no /Scope, so a reader that follows scopes rather than /Headers, and the
checkers that look for them, find headers without a direction.

`table_headers` runs as WeasyPrint's finisher, on the tagged PDF's objects before they are
written: no second parse, and the same input still gives the same bytes. A /TH is a row
header when a /TD of its own row names it, which is WeasyPrint's reading of `scope="row"`;
every other /TH (a header row, in a /THead or not) is a column header. An untagged PDF has no
structure elements, so nothing changes.

The ids WeasyPrint gives are numbered within one layout, so two parts of a long document
(`pdf.parts`) would hold the same ones: a part's ids, and the /Headers naming them, are
prefixed with the part's own name (the digest it is kept under), here in the worker that lays it
out rather than in the join, which would walk every element of the joined tree.
"""

from __future__ import annotations

from functools import partial

import pydyf

ROW, COLUMN = "/Row", "/Column"


def table_headers(part: str = ""):
    """The finisher that scopes every /TH and prefixes the table ids with `part` (if any)."""
    return partial(_table_headers, prefix=part)


def _table_headers(_document, pdf: pydyf.PDF, prefix: str) -> None:
    for row in pdf.objects:
        if isinstance(row, pydyf.Dictionary) and row.get("S") == "/TR":
            cells = [pdf.objects[_number(kid)] for kid in row.get("K", ()) if isinstance(kid, bytes)]
            named = {str(header.string) for cell in cells if cell.get("S") == "/TD"
                     for header in cell.get("A", {}).get("Headers", ())}
            for cell in cells:
                if cell.get("S") == "/TH":
                    attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                    attributes["Scope"] = ROW if _id(cell) in named else COLUMN
                if prefix:
                    _prefix_ids(cell, prefix)


def _prefix_ids(cell: pydyf.Dictionary, prefix: str) -> None:
    if isinstance(cell.get("ID"), pydyf.String):
        cell["ID"] = pydyf.String(prefix + cell["ID"].string)
    attributes = cell.get("A")
    if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
        attributes["Headers"] = pydyf.Array(pydyf.String(prefix + header.string)
                                            for header in attributes["Headers"])


def _number(reference: bytes) -> int:
    """The object number in an indirect reference (b"12 0 R")."""
    return int(reference.split()[0])


def _id(cell: pydyf.Dictionary) -> str | None:
    identifier = cell.get("ID")
    return None if identifier is None else str(identifier.string)
