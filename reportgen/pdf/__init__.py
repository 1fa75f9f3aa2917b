"""The PDF engine: HTML and its settings in, the bytes of one PDF out (tagged, reproducible,
locked down), laid out by WeasyPrint whole or, when long, in parts joined into one document.

    from reportgen.pdf import PdfSettings, make_pdf
    result = make_pdf(html, settings, pool=pool, cache=cache)   # -> PdfResult(data, notices)
    # html: a str, or an iterable of the pieces a template writes (Template.generate)

Its caller hands it what outlives one PDF: the process pool its parts are laid out in
(`reportgen.processes`) and the cache its parts and their shares of the joined file are kept in
(`cache.Cache`). It reads no file but those its settings allow the HTML (`fetcher`) and writes
none. Modules: `layout` (one HTML through WeasyPrint, and the values the engine works with),
`parts` (where a long document is cut, and its parts laid out), `join` (the parts written as
one file), `table_tags` (table header scopes in the structure tree), `fetcher` (what a PDF may
read), `cache` (what the engine asks its caller to keep).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor

from reportgen.pdf.cache import Cache
from reportgen.pdf.layout import LaidOut, Notice, PdfInfo, PdfResult, PdfSettings, SourceFile, lay_out

__all__ = ["Cache", "LaidOut", "Notice", "PdfInfo", "PdfResult", "PdfSettings", "SourceFile",
           "lay_out", "make_pdf"]


def make_pdf(html: str | Iterable[str], settings: PdfSettings, *, pool: Executor | None = None,
             cache: Cache | None = None) -> PdfResult:
    """The PDF of `html`, whole or in the pieces a template writes it in: relative URLs
    resolve against `settings.base`, only files under `settings.roots` and small data: URLs
    are read, `settings.sources` are attached (PDF/A-3b).
    A long document is laid out in parts, in `pool` when given, each as soon as the pieces
    holding it have come, and its parts kept in `cache` for the next call to reuse (`parts`)."""
    from reportgen.pdf.parts import render_in_parts  # pikepdf (the join): only when a PDF is made

    return render_in_parts(html, settings, pool=pool, cache=cache)
