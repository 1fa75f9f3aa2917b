"""GeoJSON (RFC 7946) FeatureCollection of the incidents that have coordinates, for QGIS & co.

Positions are [longitude, latitude] in WGS 84, as RFC 7946 requires; no `crs` member.
"""

from __future__ import annotations

import json

from reportgen.exchange.content import Export
from reportgen.model import Incident
from reportgen.model.casualties import by_party, event_total
from reportgen.model.common import country_name


def export_geojson(content: Export) -> str:
    features = [feature(content, i) for i in content.incidents if _positions(i)]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, indent=2, ensure_ascii=False) + "\n"


def feature(content: Export, incident: Incident) -> dict:
    location = incident.location
    killed = event_total(incident.casualties, "killed")
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": _geometry(_positions(incident)),
        "properties": {
            "id": incident.id,
            "title": incident.title,
            "date": incident.date.isoformat(),
            "date_precision": str(incident.date_precision),
            "event_type": incident.event_type,
            "sub_event_type": incident.type,
            "place": location.place,
            "admin1": location.admin1,
            "country": location.country,
            "country_name": country_name(location.country),
            "geo_precision": str(location.precision),
            "actors": [f"{ref.actor} ({ref.role})" for ref in incident.actors],
            "fatalities_low": killed.low if killed else None,
            "fatalities_high": None if killed is None or killed.at_least else killed.high,
            "fatalities_by_party": {
                party: [figure.low if figure.counted else None,
                        None if figure.at_least or not figure.counted else figure.high]
                for party, figure in by_party(incident.casualties, "killed").items()},
            "status": str(incident.status),
            "marking": str(content.marking_of(incident)),
        },
    }


def _positions(incident: Incident) -> list[list[float]]:
    """[lon, lat] of the incident's own coordinates, then of each of its named places (as
    recorded, whatever their precision: `geo_precision` says how exactly it is known)."""
    location = incident.location
    own = [[location.lon, location.lat]] if location.lat is not None else []
    return own + [[site.lon, site.lat] for site in location.sites]


def _geometry(positions: list[list[float]]) -> dict:
    """A Point, or a MultiPoint for an incident at several places (RFC 7946, 3.1.3)."""
    if len(positions) == 1:
        return {"type": "Point", "coordinates": positions[0]}
    return {"type": "MultiPoint", "coordinates": positions}
