"""Charts kept between builds, so that a chart is drawn only when what it shows changed.

The rule: a chart module's charts are kept under a key made of everything they are drawn from:
the fields of the analysis the module reads (its line in `CHARTS`, which a test holds to what
its `draw` really touches; of an incident, all but its words, `UNCHARTED`), the chart code
itself (every module of this package), the versions of reportgen and matplotlib. Same key, same
bytes: the charts are read back instead of drawn, and matplotlib is not even imported. Any
other change draws them anew.

They are kept in the build's cache service (`write.cache.FolderCache`, kind "chart", under
`build/.reportgen-charts/`), shared by the build's workers, later builds and the preview (which
uses it only once the project has been built). What is read back is checked before it is used,
as anything read from build/ is: each chart's SVG must be one matplotlib could have written (its
elements and attributes, and no reference but to its own parts: no script, no link, no file),
or the entry is ignored and the charts drawn again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from enum import Enum
from importlib.metadata import version
from pathlib import Path

from pydantic import BaseModel

from reportgen import __version__
from reportgen.render.charts.chart import Chart

KIND = "chart"
KEPT = 64
"""Entries kept, the most lately used (a build keeps one per chart module it draws; a map's entry
is the largest, up to 1 MB, so at most some tens of MB)."""
ELEMENTS = frozenset({"svg", "title", "desc", "metadata", "RDF", "Work", "type", "description",
                      "format", "creator", "Agent", "date", "defs", "style", "g", "path", "use",
                      "clipPath", "rect", "pattern", "circle", "ellipse", "line", "polyline",
                      "polygon"})
"""What matplotlib's SVG of a chart is made of."""
OWN_PART = re.compile(r"url\(\s*#[\w.-]+\s*\)")
UNCHARTED = frozenset({"title", "summary", "notes", "internal_notes"})
"""An incident's words, which no chart shows (a test changes them on every incident and finds
every chart the same): an edit of them draws nothing again."""


def chart_key(name: str, reads: tuple[str, ...], analysis: object,
              seen: dict[str, object] | None = None) -> str | None:
    """The key of one chart module's charts for this analysis (see the rule above); None when
    a value it reads has no canonical form (they are then drawn every time). `seen` keeps the
    canonical form of each field for the next chart of the same analysis (most read the actors,
    sides and ladder)."""
    seen = {} if seen is None else seen
    try:
        for field in reads:
            if field not in seen:
                seen[field] = _canonical(getattr(analysis, field))
    except TypeError:
        return None
    fields = [seen[field] for field in reads]
    digest = hashlib.sha256(_code())
    digest.update(json.dumps([name, fields], ensure_ascii=False, separators=(",", ":")).encode())
    return digest.hexdigest()


def _canonical(value: object) -> object:
    """The value as plain JSON data that is the same in every process: a model as it dumps, a
    dataclass field by field, a mapping in its order, a set sorted (the order a process
    iterates a set in, and pickles a model's fields set in, depends on its hash seed)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, BaseModel):
        unread = UNCHARTED if type(value).__name__ == "Incident" else None
        return [type(value).__name__, value.model_dump(mode="json", exclude=unread)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__name__, [_canonical(getattr(value, f.name)) for f in dataclasses.fields(value)]]
    if isinstance(value, Mapping):
        return [[_canonical(key), _canonical(item)] for key, item in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(item) for item in value), key=json.dumps)
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if isinstance(value, (dt.date, Enum)):
        return value.isoformat() if isinstance(value, dt.date) else _canonical(value.value)
    raise TypeError(f"no canonical form for {type(value).__name__}")


@functools.cache
def _code() -> bytes:
    """reportgen's and matplotlib's versions and every chart module's source."""
    folder = Path(__file__).parent
    sources = b"".join(path.read_bytes() for path in sorted(folder.rglob("*.py")))
    return f"{__version__} {version('matplotlib')}".encode() + hashlib.sha256(sources).digest()


def read(cache, key: str) -> list[Chart] | None:
    """The charts kept under the key; None when there are none, or they cannot be trusted."""
    data = cache.get(KIND, key)
    if data is None:
        return None
    try:
        charts = [Chart(str(item["name"]), str(item["title"]), item["svg"].encode("utf-8"),
                        str(item["alt"]), str(item["key"])) for item in json.loads(data)]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if not all(_as_drawn(chart.svg) for chart in charts):
        return None
    cache.touch(KIND, key)
    return charts


def keep(cache, key: str, charts: list[Chart]) -> None:
    """Keep the charts for later builds; a disk that cannot take them (full, read-only) only
    means they are drawn again next time: keeping is never what fails a build."""
    entries = [{"name": c.name, "title": c.title, "svg": c.svg.decode("utf-8"), "alt": c.alt,
                "key": c.key} for c in charts]
    with contextlib.suppress(OSError):
        cache.put(KIND, key, json.dumps(entries, ensure_ascii=False).encode("utf-8"))
        cache.keep_newest(KIND, KEPT)


def _as_drawn(svg: bytes) -> bool:
    """Whether the SVG is made only of what matplotlib writes for a chart, and refers to
    nothing but its own parts."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return False
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] not in ELEMENTS:
            return False
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local.startswith("on") or (local == "href" and not value.startswith("#")):
                return False
            if "url(" in value and OWN_PART.sub("", value).count("url("):
                return False
        text = element.text or ""
        if "@import" in text or OWN_PART.sub("", text).count("url("):
            return False
    return True
