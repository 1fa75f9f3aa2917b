"""Who acted and who was hit, and which side each counts for.

The acting party of an incident is its `perpetrator` actors; when the curator recorded none
(typical when only a claim or an attribution exists) the `claimed-by` actors stand in, then the
`attributed-to` actors. Targets are the `target` and `victim` actors. A party is an actor's
`side` when it has one, else the actor itself, so an actor without a side is never dropped.
In tempo, an incident none of whose acting actors has a side counts under NO_SIDE.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from reportgen.model.actor import Actor
from reportgen.model.incident import Incident

ACTING_ROLES = ("perpetrator", "claimed-by", "attributed-to")
TARGET_ROLES = ("target", "victim")
NO_SIDE = "no side"
_NO_TIME = dt.datetime.min.replace(tzinfo=dt.UTC)


def perpetrators(incident: Incident) -> list[str]:
    """Actor ids of the acting party, by the first role in ACTING_ROLES that is present."""
    for role in ACTING_ROLES:
        found = incident.actor_ids(role)
        if found:
            return list(dict.fromkeys(found))
    return []


def targets(incident: Incident) -> list[str]:
    return list(dict.fromkeys(incident.actor_ids(*TARGET_ROLES)))


def party(actor_id: str, actors: dict[str, Actor]) -> str:
    """The side an actor counts for, or the actor id when it has no side."""
    actor = actors.get(actor_id)
    return actor.side if actor and actor.side else actor_id


def party_name(party_key: str, actors: Mapping[str, Actor]) -> str:
    """How a party reads: the actor's name, or `side “us”` (sides are labels, not names)."""
    return actors[party_key].name if party_key in actors else f"side “{party_key}”"


def acting_sides(incident: Incident, actors: dict[str, Actor]) -> list[str]:
    """Sides of the acting party (tempo counts an incident once per distinct side)."""
    sides = [actors[a].side for a in perpetrators(incident) if a in actors and actors[a].side]
    return sorted(set(sides)) or [NO_SIDE]


def target_parties(incident: Incident, actors: dict[str, Actor]) -> list[str]:
    return sorted({party(a, actors) for a in targets(incident)})


def utc_moment(incident: Incident) -> dt.datetime | None:
    """When it happened in UTC, if a time is known: local time and zone first, else time_utc.

    `time_utc` alone is combined with the (local) date, which can be a day off near midnight;
    the validator already warns when the two recorded times disagree.
    """
    if incident.time and incident.timezone:
        try:
            zone = ZoneInfo(incident.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is not None:
            local = dt.datetime.combine(incident.date, dt.time.fromisoformat(incident.time), zone)
            return local.astimezone(dt.UTC)
    if incident.time_utc:
        return dt.datetime.combine(incident.date, dt.time.fromisoformat(incident.time_utc), dt.UTC)
    return None


def chronological(incidents) -> list[Incident]:
    """Incidents by date, then known time, then id: the order every analysis walks."""
    def key(incident: Incident):
        moment = utc_moment(incident)
        return (incident.date, moment is None, moment or _NO_TIME, incident.id)
    return sorted(incidents, key=key)

