"""One HTML laid out by WeasyPrint into a PDF: tagged, with metadata, reproducible and locked
down. The engine's one call into WeasyPrint (`lay_out`), and the values it works with.

Tagged (PDF/UA): WeasyPrint writes the structure tree; `table_tags` gives each table header
cell the scope its HTML says, as WeasyPrint's finisher.

Reproducible: the same HTML and settings give the same bytes. WeasyPrint writes no creation
or modification date unless the HTML asks for one (`dcterms.created`, which the theme clears),
and attachments get the settings' fixed date instead of the clock. PDF/A requires a file
identifier: its first half is derived from the document's identity, its second from the
content. Other variants carry none, because pydyf computes the content half by serialising and
compressing every object a second time (about a tenth of the render time on the example
briefing), and nothing reads it.

Locked down: every URL goes through `LockedFetcher`. WeasyPrint's own warnings (unknown CSS,
missing glyphs, failed loads) are collected while it runs and returned with the PDF, together
with the fetches that were refused and the part of the document that asked for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin

from weasyprint import HTML, Attachment
from weasyprint.urls import path2url

from reportgen.model.text import strip_bidi_controls
from reportgen.pdf.fetcher import MAX_DATA_URL_BYTES, LockedFetcher
from reportgen.pdf.table_tags import table_headers
from reportgen.render.reproducible import EPOCH_LOCK, SOURCE_DATE_EPOCH

VARIANTS = {"pdf/ua-1": "pdf/ua-1", "pdf/a-3b": "pdf/a-3b", "none": None}
IDENTIFIED = ("pdf/a-3b",)
"""Variants whose standard requires a file identifier (/ID)."""
RECORD_CONTAINERS = ("article", "section")
FETCHING_ATTRIBUTES = ("src", "data", "poster", "xlink:href")
@dataclass(frozen=True)
class PdfInfo:
    """What the PDF says about itself (document information and XMP metadata)."""

    title: str
    author: str
    subject: str
    keywords: tuple[str, ...]
    language: str
    marking: str
    identity: str
    """Stable name of the document across rebuilds (e.g. report id and issue): the first half
    of the PDF file identifier."""
    date: dt.datetime
    """The date given to attachments (PDF/A needs one); never the wall clock."""


@dataclass(frozen=True)
class SourceFile:
    """A file attached to a PDF/A-3 briefing, under the name readers see."""

    name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class Notice:
    """A warning from the PDF stage; `owner` is the id of the record element that asked
    (`inc-...`, `actor-...`), or "" when a template or stylesheet did. `kind` is WeasyPrint's
    message before its arguments were filled in, so the same notice about thirteen fonts is
    one notice (`count` 13)."""

    message: str
    owner: str = ""
    url: str = ""
    kind: str = ""
    count: int = 1


class PdfResult(NamedTuple):
    """What WeasyPrint made of any HTML: the bytes and what it said while making them."""

    data: bytes
    notices: list[Notice]


@dataclass(frozen=True)
class PdfSettings:
    """How any HTML becomes this briefing's PDF, apart from the HTML: what a part's worker
    process is sent with it (see `reportgen.pdf.parts`)."""

    info: PdfInfo
    base: Path
    roots: tuple[Path, ...]
    variant: str = "pdf/ua-1"
    sources: tuple[SourceFile, ...] = ()
    max_data_bytes: int = MAX_DATA_URL_BYTES
    home: Path | None = None
    """The project folder: folders inside it count relative to it when parts are reused, so a
    project copied elsewhere gives the same parts and the same bytes."""


class Footprint(NamedTuple):
    """What a part takes of the file it is joined into, wherever it falls (`pdf.join`): its
    range of object numbers, its pages, its structure tree's parent-tree keys. Where each part
    falls follows from the footprints of those before it."""

    span: int
    pages: int
    keys: int


class LaidOut(NamedTuple):
    """One HTML laid out: the PDF, what WeasyPrint said, its page count, the page (from 0) of
    each anchor it holds, and the level (CSS `bookmark-level`) of each of its bookmarks in
    order: the outline a part holds begins at its own top level, and the join puts each
    bookmark back under the one it falls under in the whole document."""

    data: bytes
    notices: list[Notice]
    pages: int
    anchors: dict[str, int]
    levels: list[int]
    footprint: Footprint | None = None
    """Noted by the worker that laid a part out (`parts`), so that the join can write the
    parts' shares in parallel; None when not noted."""


def lay_out(html: str, settings: PdfSettings, *, part: str = "") -> LaidOut:
    """WeasyPrint on `html` with the briefing's settings. For a `part` of a longer document (its
    name), a link to an anchor the HTML does not hold keeps its name instead of being dropped
    (the join gives it the anchor of the part that holds it), and its table ids are its own."""
    fetcher = LockedFetcher(settings.roots, settings.max_data_bytes)
    info, variant, sources = settings.info, settings.variant, settings.sources
    options = {
        "pdf_variant": VARIANTS[variant],
        "pdf_identifier": file_identifier(info.identity) if variant in IDENTIFIED else None,
        "uncompressed_pdf": False,
        "custom_metadata": True,
        "attachments": [_attachment(source, info.date) for source in sources] or None,
        "attachment_relationships": ["Source"] * len(sources) or None,
    }
    base_url = path2url(settings.base)
    with captured_warnings() as records:
        document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(**options)
        _describe(document.metadata, info)
        anchors = _anchor_pages(document)
        if part:
            _stand_in_anchors(document, anchors)
        with _font_clock(info.date):
            data = document.write_pdf(finisher=table_headers(part), **options)
    levels = [level for page in document.pages for level, *_ in page.bookmarks]
    return LaidOut(data, _notices(html, base_url, fetcher, records), len(document.pages), anchors,
                   levels)


def _anchor_pages(document) -> dict[str, int]:
    """Anchor name -> the page (from 0) of its first occurrence, as WeasyPrint links it."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def _stand_in_anchors(document, anchors: dict[str, int]) -> None:
    """Give each link target missing from the document an anchor on its last page, so that
    WeasyPrint keeps the link (by name) instead of dropping it."""
    wanted = {target for page in document.pages
              for kind, target, _, _ in page.links if kind == "internal"}
    last = document.pages[-1].anchors
    for name in sorted(wanted - anchors.keys()):
        last[name] = (0, 0, 0, 0)


def file_identifier(identity: str) -> bytes:
    """First half of the PDF /ID: the same for every build of the same issue."""
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32].encode("ascii")


@contextmanager
def _font_clock(date: dt.datetime) -> Iterator[None]:
    """Fonts saved while writing the PDF are dated `date`, not the clock.

    fontTools stamps each font it saves with the current second (the `head` table's modified
    date) unless SOURCE_DATE_EPOCH is set, and WeasyPrint saves fonts through it for variable
    and colour fonts, and for every font where HarfBuzz cannot subset; so without this the
    bytes of a PDF changed from one second to the next. The variable is process-wide, so it is
    set under a lock (which `fixed_date` takes too) and removed after, unless the user set it.
    """
    with EPOCH_LOCK:
        own = os.environ.get(SOURCE_DATE_EPOCH) is None
        if own:
            os.environ[SOURCE_DATE_EPOCH] = str(int(date.replace(tzinfo=dt.UTC).timestamp()))
        try:
            yield
        finally:
            if own:
                os.environ.pop(SOURCE_DATE_EPOCH, None)


def _describe(metadata, info: PdfInfo) -> None:
    """Metadata from the report itself, not from whatever <meta> tags a template carries."""
    metadata.title = strip_bidi_controls(info.title)
    metadata.authors = [strip_bidi_controls(info.author)]
    metadata.description = strip_bidi_controls(info.subject)
    metadata.keywords = [strip_bidi_controls(keyword) for keyword in info.keywords]
    metadata.lang = info.language
    metadata.generator = "reportgen"
    metadata.created = metadata.modified = None
    metadata.custom = {"Marking": info.marking}


def _attachment(source: SourceFile, date: dt.datetime) -> Attachment:
    return Attachment(string=source.data, name=source.name,
                      description=source.description, created=date, modified=date,
                      relationship="Source")


@contextmanager
def captured_warnings() -> Iterator[list[logging.LogRecord]]:
    """Collect WeasyPrint's warnings and errors (loggers 'weasyprint' and
    'weasyprint.progress') raised by this thread, instead of letting them vanish."""
    records: list[logging.LogRecord] = []
    handler = _ThreadHandler(threading.get_ident(), records)
    logger = logging.getLogger("weasyprint")
    previous = logger.level
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


class _ThreadHandler(logging.Handler):
    """Keeps the records of one thread: parallel builds in threads do not mix warnings."""

    def __init__(self, thread: int, records: list[logging.LogRecord]):
        super().__init__(logging.WARNING)
        self.thread, self.records = thread, records

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.records.append(record)


def _notices(html: str, base_url: str, fetcher: LockedFetcher,
             records: list[logging.LogRecord]) -> list[Notice]:
    owners = resource_owners(html, base_url) if fetcher.refusals else {}
    notices = [Notice(f"refused to fetch {_shown(r.url)}: {r.reason}",
                      owners.get(unquote(r.url), ""), r.url) for r in fetcher.refusals]
    refused = [r.url for r in fetcher.refusals]
    own: dict[str, Notice] = {}
    for record in records:
        message = record.getMessage()
        if any(_shown(url) in message or url in message for url in refused):
            continue  # WeasyPrint's "failed to load" for a URL we refused: said once above
        kind = f"{record.name}:{record.msg}"
        first = own.get(kind)
        own[kind] = Notice(f"WeasyPrint: {message}", kind=kind) if first is None else \
            Notice(first.message, kind=kind, count=first.count + 1)
    return [*notices, *own.values()]


def _shown(url: str, limit: int = 80) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"


def resource_owners(html: str, base_url: str) -> dict[str, str]:
    """URL -> id of the innermost `article[id]` or `section[id]` that holds the element asking
    for it; "" outside any record. URLs are absolute and unquoted, so they match what the
    fetcher saw whatever escaping WeasyPrint applied."""
    parser = _OwnerParser(base_url)
    parser.feed(html)
    parser.close()
    return parser.owners


class _OwnerParser(HTMLParser):
    def __init__(self, base_url: str):
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.stack: list[tuple[str, str]] = []
        self.owners: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in RECORD_CONTAINERS:
            self.stack.append((tag, values.get("id", "")))
        urls = [values[name] for name in FETCHING_ATTRIBUTES if values.get(name)]
        if values.get("href") and (tag in ("link", "image", "use", "feimage")
                                   or "attachment" in values.get("rel", "").split()):
            urls.append(values["href"])
        owner = next((ident for _, ident in reversed(self.stack) if ident), "")
        for url in urls:
            self.owners.setdefault(unquote(urljoin(self.base_url, url.strip())), owner)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
