"""Who acted and who was hit, and which party each counts for (method rule `acting-party`).

The acting party of an incident is its `perpetrator` actors; when the curator recorded none
(typical when only a claim or an attribution exists) the `claimed-by` actors stand in, then the
`attributed-to` actors. Targets are the `target` and `victim` actors. A party is an actor's
`side` when it has one, else the actor itself, under its own name, so an actor without a side
is never dropped or lumped with others. An incident with no actor in an acting role counts for
NOT_RECORDED. Casualties count for the party whose dead or injured they are
(`CasualtyReport.party`), never for the target.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportgen.model.actor import Actor
from reportgen.model.casualties import UNKNOWN, by_party
from reportgen.model.incident import Incident
from reportgen.model.names import NOT_RECORDED


def party(actor_id: str, actors: Mapping[str, Actor]) -> str:
    """The side an actor counts for, or the actor id when it has no side; a casualty category
    (civilians, unknown) is its own party."""
    actor = actors.get(actor_id)
    return actor.side if actor and actor.side else actor_id


def acting_sides(incident: Incident, actors: Mapping[str, Actor]) -> list[str]:
    """The parties of the acting actors (tempo counts an attack once per distinct party): a
    side, or an actor that has none; NOT_RECORDED when no actor acted."""
    return sorted({party(a, actors) for a in incident.acting_actor_ids()}) or [NOT_RECORDED]


def suffered(incident: Incident, field: str, actors: Mapping[str, Actor]) -> list[str]:
    """The parties (sides, actors without one, civilians, security forces) among whom a source
    reports at least one killed or injured: figures whose party is unknown name no one."""
    found = {party(key, actors) for key, figure in by_party(incident.casualties, field).items()
             if key != UNKNOWN and figure.high >= 1}
    return sorted(found)
