"""The only way WeasyPrint may read anything while it makes a PDF.

WeasyPrint fetches every stylesheet, image, font and attachment URL it meets through a URL
fetcher; the default one opens any `file://` path and any `http(s)://` host. Briefings carry
text from untrusted channels, so ours serves files under a few allowed folders (the project's
templates, the default theme, the report's generated assets) and small `data:` URLs, and
refuses everything else before anything is opened or connected to. Refusals are recorded, so
the build can say which record or template asked.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

MAX_DATA_URL_BYTES = 2 * 1024 * 1024
"""Charts arrive as data: SVG of a few hundred kB at most; anything larger is refused."""


class FetchRefused(ValueError):
    """Raised for a URL the briefing may not load; WeasyPrint skips the resource."""


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str


class LockedFetcher(URLFetcher):
    """Serves `file:` URLs under `roots` and `data:` URLs up to `max_data_bytes`; refuses the rest.

    Paths are resolved (symlinks and `..` included) before the check, so a link inside a
    template folder cannot lead out of it.
    """

    def __init__(self, roots: Iterable[Path], max_data_bytes: int = MAX_DATA_URL_BYTES):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(Path(os.path.realpath(root)) for root in roots)
        self.max_data_bytes = max_data_bytes
        self.refusals: list[Refusal] = []
        self.served: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        raise self._refuse(url, f"{scheme or 'relative'} URLs are not fetched")

    def _data(self, url: str) -> URLFetcherResponse:
        if len(url) > self.max_data_bytes:
            raise self._refuse(url, f"data: URL of {len(url):,} bytes is over the "
                                    f"{self.max_data_bytes:,} byte limit")
        response = DataHandler().data_open(Request(url))
        self.served.append(url.split(",", 1)[0])
        return URLFetcherResponse(url, response.read(), dict(response.headers))

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refuse(url, f"file URL on another host ({parts.netloc})")
        path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise self._refuse(url, "file outside the project's template and asset folders")
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.served.append(url)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _refuse(self, url: str, reason: str) -> FetchRefused:
        """Record the refusal (the build names who asked) and make the exception to raise."""
        self.refusals.append(Refusal(url, reason))
        return FetchRefused(f"refused: {reason}")
