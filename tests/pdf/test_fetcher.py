"""The PDF stage reads only what it may: files under the allowed folders and small data: URLs.

Proved with real WeasyPrint, a loopback HTTP server that records every request, and audit
hooks that see every file the process opens and every socket it connects."""

from __future__ import annotations

import base64
import datetime as dt
import urllib.request
from pathlib import Path

import pytest

from reportgen.pdf import PdfInfo, PdfSettings, make_pdf
from reportgen.pdf.fetcher import FetchRefused, LockedFetcher
from reportgen.pdf.layout import resource_owners
from tests.support.audit import watching
from tests.support.http_recorder import recording_server

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
INFO = PdfInfo(title="Fetch test", author="Test Desk (invented)", subject="fetching", keywords=("x",),
               language="en", marking="TLP:CLEAR", identity="fetch-test/1", date=dt.datetime(2024, 1, 1))


@pytest.fixture
def layout(tmp_path: Path) -> dict[str, Path]:
    """A project with a templates folder (a stylesheet, an image, a link leading outside) and a
    secret file next to the project that must never be opened."""
    templates = tmp_path / "project" / "templates"
    templates.mkdir(parents=True)
    (templates / "logo.svg").write_bytes(SVG)
    (templates / "extra.css").write_text("p { margin: 0 }")
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("not for the briefing")
    (templates / "escape.svg").symlink_to(secret)
    return {"templates": templates, "secret": secret}


def test_fetcher_serves_files_under_its_roots(layout):
    fetcher = LockedFetcher([layout["templates"]])
    response = fetcher.fetch((layout["templates"] / "logo.svg").as_uri())
    assert response.read() == SVG
    assert response.content_type == "image/svg+xml"
    assert fetcher.refusals == []


@pytest.mark.parametrize("make_url, reason", [
    (lambda layout: layout["secret"].as_uri(), "outside"),
    (lambda layout: (layout["templates"] / "escape.svg").as_uri(), "outside"),
    (lambda layout: (layout["templates"] / ".." / ".." / "outside" / "secret.txt").as_uri(), "outside"),
    (lambda layout: "file:///etc/passwd", "outside"),
    (lambda layout: "file://otherhost/etc/passwd", "another host"),
    (lambda layout: "http://127.0.0.1:9/", "http URLs"),
    (lambda layout: "https://example.org/x.png", "https URLs"),
    (lambda layout: "ftp://example.org/x.png", "ftp URLs"),
])
def test_fetcher_refuses_everything_else_without_opening_it(layout, make_url, reason):
    fetcher = LockedFetcher([layout["templates"]])
    url = make_url(layout)
    with watching() as seen, pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert [r.url for r in fetcher.refusals] == [url]
    assert reason in fetcher.refusals[0].reason
    assert not [event for event in seen if "secret" in event or "passwd" in event]


def test_fetcher_limits_data_urls(layout):
    fetcher = LockedFetcher([layout["templates"]], max_data_bytes=1000)
    small = "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()
    assert fetcher.fetch(small).read() == SVG
    large = "data:text/plain;base64," + "A" * 2000
    with pytest.raises(FetchRefused, match="over the 1,000 byte limit"):
        fetcher.fetch(large)


def test_loopback_recorder_records_a_real_request():
    """Control for the tests below: the recorder does see a request when one is made."""
    with recording_server() as (base, requests):
        urllib.request.urlopen(f"{base}/control.css", timeout=5).read()
    assert requests == ["/control.css"]


def test_pdf_fetches_nothing_outside_and_names_who_asked(layout):
    with recording_server() as (base, requests), watching() as seen:
        html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
<link rel="stylesheet" href="{base}/remote.css">
<link rel="stylesheet" href="extra.css">
<style>body {{ background: url("{base}/background.png") }}</style></head><body>
<article id="inc-2024-01-02-invented-incident"><h2>Invented incident</h2>
<p><img src="file:///etc/passwd" alt="x"> <img src="{base}/pixel.png" alt="y"></p></article>
<section id="actor-invented-group"><img src="{layout["secret"].as_uri()}" alt="z">
<img src="escape.svg" alt="link out"><img src="logo.svg" alt="our logo"></section>
</body></html>"""
        result = make_pdf(html, PdfSettings(INFO, layout["templates"], (layout["templates"],)))
    assert result.data.startswith(b"%PDF-")
    assert requests == [], "the loopback server was contacted"
    assert not [e for e in seen if e.startswith("connect")], seen
    assert not [e for e in seen if "secret" in e or "passwd" in e], seen
    assert any(e.endswith("templates/logo.svg") for e in seen), "allowed image was not read"
    refused = {notice.url: notice.owner for notice in result.notices if notice.url}
    assert refused == {
        f"{base}/remote.css": "",
        f"{base}/background.png": "",
        "file:///etc/passwd": "inc-2024-01-02-invented-incident",
        f"{base}/pixel.png": "inc-2024-01-02-invented-incident",
        layout["secret"].as_uri(): "actor-invented-group",
        (layout["templates"] / "escape.svg").as_uri(): "actor-invented-group",
    }
    assert not [n for n in result.notices if not n.url and "passwd" in n.message], \
        "WeasyPrint's own failure message for a refused URL is reported once, not twice"


def test_resource_owners_maps_urls_to_the_nearest_record():
    html = """<section id="chronology"><article id="inc-a"><p><img src="a.png"></p></article>
<img src="b.png"></section><img src="c.png"><link rel="stylesheet" href="d.css">
<a href="e.html">not fetched</a><a rel="attachment" href="f.txt">attached</a>"""
    owners = resource_owners(html, "file:///base/")
    assert owners == {"file:///base/a.png": "inc-a", "file:///base/b.png": "chronology",
                      "file:///base/c.png": "", "file:///base/d.css": "", "file:///base/f.txt": ""}
