"""Read an ACLED export (CSV with ACLED's column names) into draft incidents.

ACLED's conventions, mapped: time_precision 1/2/3 -> day/week/month; geo_precision 1/2/3 ->
city/near/region; actor1 is the perpetrator and actor2 the target (the victim in violence
against civilians); `fatalities` (ACLED's lowest reported figure) becomes a casualty report
according to ACLED; each outlet in `source` becomes a source on the event date.
"""

from __future__ import annotations

import pycountry

from reportgen.exchange.importing import Dataset, EventRow, RowError, country_code, number, parse_date
from reportgen.model.vocabulary import ACLED_SUB_EVENTS

DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d-%b-%Y", "%d/%m/%Y")
TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
GEO_PRECISION = {"1": "city", "2": "near", "3": "region"}
REQUIRED = ("event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
            "country", "location", "latitude", "longitude", "geo_precision", "source", "notes",
            "fatalities")


def read_row(row: dict[str, str], line: int) -> EventRow:
    day = parse_date(row, "event_date", DATE_FORMATS)
    sub_event = row["sub_event_type"]
    if sub_event not in ACLED_SUB_EVENTS:
        raise RowError("sub_event_type", f"unknown ACLED sub-event type '{sub_event}'")
    notes = []
    if row["event_type"] != ACLED_SUB_EVENTS[sub_event][0]:
        notes.append(f"ACLED gave event type '{row['event_type']}' for '{sub_event}'.")
    victim = ACLED_SUB_EVENTS[sub_event][0] == "Violence against civilians"
    actors = [(row["actor1"], "perpetrator"), (row["actor2"], "victim" if victim else "target")]
    fatalities = number(row, "fatalities")
    return EventRow(
        line=line, external_id=row["event_id_cnty"], title=f"{sub_event} in {row['location']}",
        date=day, date_precision=_coded(row, "time_precision", TIME_PRECISION), type=sub_event,
        country=_country(row), admin1=row.get("admin1") or None, place=row["location"],
        lat=number(row, "latitude", float), lon=number(row, "longitude", float),
        geo_precision=_coded(row, "geo_precision", GEO_PRECISION),
        actors=[(name, role) for name, role in actors if name],
        sources=[(name.strip(), day, None) for name in row["source"].split(";") if name.strip()],
        casualty=None if fatalities is None else {
            "according_to": "ACLED", "killed": fatalities,
            "note": "ACLED codes the lowest figure reported."},
        summary=row["notes"], notes=notes,
    )


def _coded(row: dict[str, str], column: str, codes: dict[str, str]) -> str:
    value = row[column]
    if value not in codes:
        raise RowError(column, f"{column} '{value}' is not one of {', '.join(codes)}")
    return codes[value]


def _country(row: dict[str, str]) -> str:
    """The numeric ISO code in `iso` when the export has it, else the country's name."""
    numeric = row.get("iso", "")
    if numeric.isdigit():
        country = pycountry.countries.get(numeric=numeric.zfill(3))
        if country:
            return country.alpha_2
    return country_code(row["country"])


ACLED = Dataset(key="acled", label="ACLED", id_column="event_id_cnty", required=REQUIRED,
                read_row=read_row)
