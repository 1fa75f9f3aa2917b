"""Read a UCDP Georeferenced Event Dataset (GED) export into draft incidents.

UCDP's conventions, mapped: date_prec 1 -> day, 2-3 -> week, 4-5 -> month (5, only the year
known, is said in the notes); where_prec 1 exact, 2 near, 3-5 region, 6-7 country; side_a is
the perpetrator and side_b the target (the victim in one-sided violence); deaths become one
casualty report with UCDP's low-high range and the best estimate in its note. UCDP has no
ACLED sub-event type, so the type is a first guess from type_of_violence, flagged in the notes.
"""

from __future__ import annotations

import datetime as dt
import re

from reportgen.exchange.importing import Dataset, EventRow, RowError, country_code, number, parse_date

DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y")
DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "month"}
GEO_PRECISION = {"1": "exact", "2": "near", "3": "region", "4": "region", "5": "region",
                 "6": "country", "7": "country"}
VIOLENCE = {"1": ("state-based conflict", "Armed clash"), "2": ("non-state conflict", "Armed clash"),
            "3": ("one-sided violence", "Attack")}
REQUIRED = ("date_start", "date_end", "side_a", "side_b", "country", "where_coordinates",
            "latitude", "longitude", "where_prec", "date_prec", "best", "low", "high",
            "source_article")


def read_row(row: dict[str, str], line: int) -> EventRow:
    start = parse_date(row, "date_start", DATE_FORMATS)
    end = parse_date(row, "date_end", DATE_FORMATS) if row["date_end"] else start
    if end < start:
        raise RowError("date_end", f"date_end {end} is before date_start {start}")
    violence, event_type = VIOLENCE.get(row.get("type_of_violence", ""), ("not given", "Armed clash"))
    notes = [f"UCDP type of violence: {violence}; the event type '{event_type}' is a first guess."]
    if row["date_prec"] == "5":
        notes.append("UCDP date precision 5: only the year is known.")
    if row["where_prec"] == "7":
        notes.append("UCDP location precision 7: international waters or airspace.")
    # "Baghdad town"; the space is matched from its start only (a field of spaces: read once)
    place = re.sub(r"(?<!\s)\s+(?:town|village|city)$", "", row["where_coordinates"])
    if not place:
        raise RowError("where_coordinates", "no place name")
    return EventRow(
        line=line, external_id=row["id"], title=f"{event_type} in {place}", date=start,
        end=end if end > start else None,
        date_precision=_coded(row, "date_prec", DATE_PRECISION), type=event_type,
        country=country_code(row["country"]), admin1=row.get("adm_1") or None, place=place,
        lat=number(row, "latitude", float), lon=number(row, "longitude", float),
        geo_precision=_coded(row, "where_prec", GEO_PRECISION),
        actors=[(name, role) for name, role in ((row["side_a"], "perpetrator"),
                (row["side_b"], "victim" if violence == "one-sided violence" else "target")) if name],
        sources=_sources(row, start), casualty=_deaths(row), notes=notes,
        summary=row.get("where_description", ""),
    )


def _coded(row: dict[str, str], column: str, codes: dict[str, str]) -> str:
    value = row[column]
    if value not in codes:
        raise RowError(column, f"{column} '{value}' is not one of {', '.join(codes)}")
    return codes[value]


def _deaths(row: dict[str, str]) -> dict | None:
    best, low, high = (number(row, column) for column in ("best", "low", "high"))
    if best is None:
        return None
    low = best if low is None else low
    high = best if high is None else high
    if not low <= best <= high:
        raise RowError("best", f"best estimate {best} is outside low {low} - high {high}")
    killed = best if low == high else {"min": low, "max": high}
    return {"according_to": "UCDP GED (best/low/high)", "killed": killed,
            "note": f"UCDP best estimate: {best}."}


def _sources(row: dict[str, str], day: dt.date) -> list[tuple]:
    """Outlets from source_office (with source_date and source_headline when present), else
    the outlet name that opens each ';'-separated entry of source_article."""
    offices = _split(row.get("source_office", ""))
    if offices:
        dates = _split(row.get("source_date", ""))
        headlines = _split(row.get("source_headline", ""))
        return [(office, _date_or(dates, i, day), headlines[i] if i < len(headlines) else None)
                for i, office in enumerate(offices)]
    sources = []
    for entry in _split(row["source_article"]):
        name, _, rest = entry.partition(",")
        found = re.search(r"\d{4}-\d{2}-\d{2}", rest)
        sources.append((name.strip(), _date_or([found.group()] if found else [], 0, day), None))
    return [s for s in sources if s[0]]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _date_or(texts: list[str], index: int, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(texts[index][:10])
    except (IndexError, ValueError):
        return default


UCDP = Dataset(key="ucdp", label="UCDP GED", id_column="id", required=REQUIRED, read_row=read_row)
