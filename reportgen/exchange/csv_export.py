"""CSV with ACLED-like columns, for spreadsheets and for tools that read ACLED exports."""

from __future__ import annotations

import csv
import io

from reportgen.exchange.content import Export
from reportgen.model import Incident
from reportgen.model.casualties import by_party, event_total
from reportgen.model.common import GeoPrecision, country_name
from reportgen.model.vocabulary import PARTY_CATEGORIES

COLUMNS = ["event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
           "country", "location", "latitude", "longitude", "geo_precision", "fatalities_low",
           "fatalities_high", "fatalities_by_party", "sources", "notes", "id"]
"""ACLED's columns (fatalities as low and high, the event's total as ACLED counts it), then the
figures per party that suffered them, which ACLED does not have, then reportgen's id."""
TIME_PRECISION = {"day": 1, "week": 2, "month": 3}
# ACLED: 1 the town itself, 2 near a town or a part of a region, 3 a larger region.
GEO_PRECISION = {GeoPrecision.EXACT: 1, GeoPrecision.CITY: 1, GeoPrecision.NEAR: 2,
                 GeoPrecision.REGION: 3, GeoPrecision.COUNTRY: 3}


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection")."""


def export_csv(content: Export) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for incident in content.incidents:
        writer.writerow({column: cell(value) for column, value in row(content, incident).items()})
    return buffer.getvalue()


def cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as written: text starting like a formula (a place
    `=HYPERLINK(...)`, a title `@SUM(1+1)`) gets a leading single quote, as OWASP recommends.
    Only text is touched: numbers stay numbers (a longitude of -3.5 is written -3.5), since
    the numeric columns hold ints and floats from the model, never text from a file."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(content: Export, incident: Incident) -> dict[str, object]:
    killed = event_total(incident.casualties, "killed")
    location = incident.location
    outlets = {o.id: o.name for o in content.outlets}
    return {
        "event_date": incident.date.isoformat(),
        "time_precision": TIME_PRECISION[incident.date_precision],
        "event_type": incident.event_type,
        "sub_event_type": incident.type,
        "actor1": _first_name(content, incident.acting_actor_ids()),
        "actor2": _first_name(content, incident.target_actor_ids()),
        "country": country_name(location.country),
        "location": location.place,
        "latitude": "" if location.lat is None else location.lat,
        "longitude": "" if location.lon is None else location.lon,
        "geo_precision": GEO_PRECISION[location.precision],
        "fatalities_low": "" if killed is None else killed.low,
        "fatalities_high": "" if killed is None or killed.at_least else killed.high,
        "fatalities_by_party": "; ".join(f"{figure} ({_party_name(content, party)})" for party, figure
                                         in by_party(incident.casualties, "killed").items()),
        "sources": "; ".join(dict.fromkeys(outlets.get(s.outlet, s.outlet) for s in incident.sources)),
        "notes": " ".join(incident.summary.split()) or incident.title,  # one line, like ACLED's
        "id": incident.id,
    }


def _first_name(content: Export, actor_ids: list[str]) -> str:
    """ACLED's actor1 / actor2: the first acting (or acted upon) actor, by name."""
    names = {a.id: a.name for a in content.actors}
    return names.get(actor_ids[0], actor_ids[0]) if actor_ids else ""


def _party_name(content: Export, party: str) -> str:
    names = {a.id: a.name for a in content.actors}
    return names.get(party) or PARTY_CATEGORIES.get(party, party)
