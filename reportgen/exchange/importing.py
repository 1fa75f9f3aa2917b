"""Turn rows of a conflict-event dataset (ACLED, UCDP GED) into draft incident files.

The dataset modules read their own column layout into `EventRow`s; this module matches actors
and outlets against the project, skips rows imported before (by the id kept in
`external_ids`), and writes one draft per new row. Every written file passes `reportgen check`:
actors that match nothing are named in the internal notes instead of the actor list, and sources
that are not in sources.yaml are added to it with reliability F ("cannot be judged").
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from pydantic import ValidationError

from reportgen.exchange.writing import append_outlets, draft_path, write_draft
from reportgen.layout import INCIDENTS_DIR
from reportgen.load.read import read_project
from reportgen.model import Incident, Outlet
from reportgen.model.ids import incident_id, slugify, unused
from reportgen.model.names import ActorIndex, normalize
from reportgen.model.project import Project
from reportgen.pipeline import open_project
from reportgen.problems import Problem, ReportgenError, error, warning
from reportgen.validate import validate_project

UNKNOWN_CREDIBILITY = "6"  # information credibility: truth cannot be judged
# Spellings ACLED and UCDP use that ISO 3166 names do not match.
COUNTRY_ALIASES = {
    "bosnia-herzegovina": "BA", "cape verde": "CV", "czech republic": "CZ", "dr congo": "CD",
    "democratic republic of congo": "CD", "republic of congo": "CG", "congo": "CG",
    "eswatini": "SZ", "ivory coast": "CI", "laos": "LA", "macedonia": "MK", "micronesia": "FM",
    "north korea": "KP", "palestine": "PS", "russia": "RU", "south korea": "KR", "turkey": "TR",
    "vietnam": "VN", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD",
}


class RowError(Exception):
    """A row that cannot become an incident: which column and why."""

    def __init__(self, column: str, message: str, hint: str = ""):
        super().__init__(message)
        self.column, self.message, self.hint = column, message, hint


@dataclass
class EventRow:
    """One dataset row, read into reportgen's terms but with actors and outlets still names."""

    line: int
    external_id: str
    title: str
    date: dt.date
    date_precision: str
    type: str
    country: str
    place: str
    geo_precision: str
    actors: list[tuple[str, str]]  # (name as the dataset writes it, role)
    sources: list[tuple[str, dt.date, str | None]]  # (outlet name, date, headline)
    casualty: dict | None = None
    end: dt.date | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    summary: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Dataset:
    """How to read one dataset's CSV export."""

    key: str  # stored in external_ids, e.g. "acled"
    label: str  # shown to people, e.g. "ACLED"
    id_column: str
    required: tuple[str, ...]
    read_row: Callable[[dict[str, str], int], EventRow]


@dataclass
class ImportResult:
    written: list[Path] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)  # (external id, incident id)
    unmatched: dict[str, int] = field(default_factory=dict)  # actor name -> rows
    outlets_added: list[Outlet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def import_csv(root: Path, csv_path: Path, dataset: Dataset, *, dry_run: bool = False,
               today: dt.date | None = None) -> ImportResult:
    """Write a draft incident for every row of `csv_path` not imported before."""
    raw = read_project(root)  # the raw files too: an invalid incident's external id still counts
    project = validate_project(raw, today=today)
    if project.config is None:
        raise ReportgenError([p for p in project.problems if "reportgen.yaml" in p.path][:1])
    result = ImportResult()
    matcher = _Matcher(project, dataset, today or dt.date.today())
    taken = _imported_ids(raw.incidents, dataset.key)
    ids = set(project.incidents) | {p.stem for p in (root / INCIDENTS_DIR).rglob("*.y*ml")}
    drafts = list(_new_drafts(csv_path, dataset, matcher, taken, ids, result))
    result.outlets_added = matcher.new_outlets
    if dry_run:
        result.written = [draft_path(root, d) for d in drafts]
        return result
    command = f"reportgen import {dataset.key}"
    append_outlets(root, matcher.new_outlets, command)
    result.written = [write_draft(root, draft, dataset.label, command) for draft in drafts]
    result.problems += _problems_in(root, result.written, today)
    return result


def _new_drafts(csv_path: Path, dataset: Dataset, matcher: _Matcher, taken: dict[str, str],
                ids: set[str], result: ImportResult) -> Iterator[Incident]:
    """Drafts for the rows not imported before; `taken` and `ids` grow as rows are used."""
    shown = csv_path.name
    for line, row in _read_rows(csv_path, dataset):
        external = row[dataset.id_column]
        if external in taken:
            result.already.append((external, taken[external]))
            continue
        try:
            if not external:
                raise RowError(dataset.id_column, f"{dataset.id_column} is empty")
            event = dataset.read_row(row, line)
        except RowError as exc:
            column = list(row).index(exc.column) + 1 if exc.column in row else 1
            result.problems.append(error(shown, line, column,
                                         f"row {external or '(no id)'} skipped: {exc.message}", exc.hint))
            continue
        draft = matcher.draft(event, shown, result)
        if draft is not None:
            draft = draft.model_copy(update={"id": unused(draft.id, ids)})
            ids.add(draft.id)
            taken[external] = draft.id
            yield draft


def _read_rows(csv_path: Path, dataset: Dataset) -> Iterator[tuple[int, dict[str, str]]]:
    shown = csv_path.name
    try:
        handle = csv_path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ReportgenError([error(shown, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            missing = [c for c in (dataset.id_column, *dataset.required) if c not in columns]
            if missing:
                raise ReportgenError([error(
                    shown, 1, 1, f"not a {dataset.label} export: missing column(s) {', '.join(missing)}",
                    f"export the CSV from {dataset.label} with its standard columns")])
            start = reader.line_num + 1  # a quoted cell may span lines: report where the row starts
            for row in reader:
                yield start, {k: (v or "").strip() for k, v in row.items() if k is not None}
                start = reader.line_num + 1
        except (UnicodeDecodeError, csv.Error) as exc:
            raise ReportgenError([error(shown, 1, 1, f"cannot read the CSV: {exc}",
                                        "save it as UTF-8 CSV")]) from exc


def _imported_ids(documents, key: str) -> dict[str, str]:
    """External id -> incident id, from the raw files, so even invalid incidents count."""
    found = {}
    for document in documents:
        external = document.data.get("external_ids")
        if isinstance(external, dict) and external.get(key) is not None:
            found[str(external[key])] = str(document.data.get("id", document.path))
    return found


class _Matcher:
    """Resolves actor names and outlet names against the project; remembers what was new."""

    def __init__(self, project: Project, dataset: Dataset, today: dt.date):
        self.dataset, self.today = dataset, today
        self.actors = ActorIndex(project.actors)
        self.outlets = {normalize(key): o for o in project.outlets.values() for key in (o.id, o.name)}
        self.outlet_ids = set(project.outlets)
        self.new_outlets: list[Outlet] = []
        self.check_outlets = bool(project.outlets)

    def draft(self, event: EventRow, shown: str, result: ImportResult) -> Incident | None:
        """The row as a draft incident, or None with the reason added to `result`."""
        if max([event.date, *(day for _, day, _ in event.sources)]) > self.today:
            result.problems.append(error(shown, event.line, 1,
                                         f"row {event.external_id} skipped: a date lies in the future"))
            return None
        refs, unmatched = self._actors(event, result)
        if not refs:
            names = ", ".join(f"'{n}'" for n, _ in event.actors) or "none given"
            result.problems.append(warning(
                shown, event.line, 1, f"row {event.external_id} skipped: no known actor ({names})",
                "add the actor, or this name as an alias, under actors/ and import again"))
            return None
        notes = [f"Imported from {self.dataset.label} (id {event.external_id}); a draft: check "
                 "every field, then set status: published.", *event.notes, *unmatched]
        try:
            return Incident.model_validate({
                "id": incident_id(event.date, event.title), "title": event.title,
                "date": event.date, "date_precision": event.date_precision, "end": event.end,
                "status": "draft", "type": event.type, "actors": refs,
                "location": {"place": event.place, "admin1": event.admin1, "country": event.country,
                             "lat": event.lat, "lon": event.lon, "precision": event.geo_precision},
                "sources": self._sources(event),
                "casualties": [event.casualty] if event.casualty else [],
                "external_ids": {self.dataset.key: event.external_id},
                "summary": event.summary, "internal_notes": "\n".join(notes),
            })
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            result.problems.append(error(shown, event.line, 1, f"row {event.external_id} skipped: "
                                         f"{where}: {first['msg']}"))
            return None

    def _actors(self, event: EventRow, result: ImportResult) -> tuple[list[dict], list[str]]:
        """References for the names the project knows; a note for each name it does not."""
        refs, unmatched = [], []
        for name, role in event.actors:
            actor = self.actors.resolve(name)
            if actor:
                refs.append({"actor": actor, "role": role})
            else:
                result.unmatched[name] = result.unmatched.get(name, 0) + 1
                unmatched.append(f"Actor not in actors/: {name} ({role}).")
        return refs, unmatched

    def _sources(self, event: EventRow) -> list[dict]:
        named = event.sources or [(self.dataset.label, event.date, None)]
        sources, keys = [], set()
        for name, day, headline in named:
            outlet = self._outlet(name)
            key = unused(outlet.id, keys)
            keys.add(key)
            sources.append({"id": key if key != outlet.id else None, "outlet": outlet.id,
                            "date": day, "headline": headline,
                            "grade": f"{outlet.reliability}{UNKNOWN_CREDIBILITY}"})
        return sources

    def _outlet(self, name: str) -> Outlet:
        known = self.outlets.get(normalize(name))
        if known:
            return known
        outlet = Outlet(id=unused(slugify(name) or "unnamed-source", self.outlet_ids), name=name,
                        kind=f"named as a source in {self.dataset.label} data", reliability="F",
                        rationale="Not graded yet: reliability cannot be judged.")
        self.outlets[normalize(name)] = outlet
        self.outlet_ids.add(outlet.id)
        if self.check_outlets:
            self.new_outlets.append(outlet)
        return outlet


def country_code(name: str) -> str:
    """ISO 3166-1 alpha-2 code for a country as ACLED or UCDP spell it."""
    plain = name.strip()
    if plain.endswith(")") and "(" in plain:  # "Congo (Kinshasa)": a bracketed ending dropped
        plain = plain[:plain.index("(")].strip()
    if plain.casefold() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[plain.casefold()]
    try:
        return pycountry.countries.lookup(plain).alpha_2
    except LookupError:
        raise RowError("country", f"unknown country '{name}'",
                       "give the ISO 3166 name, e.g. Iraq") from None


def number(row: dict[str, str], column: str, kind: type = int):
    """A numeric cell, None when empty; a RowError naming the column otherwise."""
    text = row.get(column, "")
    if text == "":
        return None
    try:
        return kind(text)
    except ValueError:
        raise RowError(column, f"{column} '{text}' is not a number") from None


def parse_date(row: dict[str, str], column: str, formats: tuple[str, ...]) -> dt.date:
    text = row.get(column, "")
    for form in formats:
        try:
            return dt.datetime.strptime(text[:30], form).date()
        except ValueError:
            continue
    raise RowError(column, f"{column} '{text}' is not a date", "expected e.g. 2024-02-07")


def _problems_in(root: Path, written: list[Path], today: dt.date | None) -> list[Problem]:
    """Anything `reportgen check` would say about the files just written (expected: nothing)."""
    shown = {p.relative_to(root).as_posix() for p in written}
    return [p for p in open_project(root, today, templates=False).problems if p.path in shown]
