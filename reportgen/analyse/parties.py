"""Who acted and who was hit, and which side each counts for.

The acting party of an incident is its `perpetrator` actors; when the curator recorded none
(typical when only a claim or an attribution exists) the `claimed-by` actors stand in, then the
`attributed-to` actors. Targets are the `target` and `victim` actors. A party is an actor's
`side` when it has one, else the actor itself, so an actor without a side is never dropped.
In tempo, an incident none of whose acting actors has a side counts under NO_SIDE. Casualties
count for the party whose dead or injured they are (`CasualtyReport.party`), never for the target.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportgen.model.actor import Actor
from reportgen.model.casualties import UNKNOWN, by_party
from reportgen.model.incident import Incident
from reportgen.model.names import NO_SIDE


def party(actor_id: str, actors: Mapping[str, Actor]) -> str:
    """The side an actor counts for, or the actor id when it has no side; a casualty category
    (civilians, unknown) is its own party."""
    actor = actors.get(actor_id)
    return actor.side if actor and actor.side else actor_id


def acting_sides(incident: Incident, actors: dict[str, Actor]) -> list[str]:
    """Sides of the acting party (tempo counts an incident once per distinct side)."""
    sides = [actors[a].side for a in incident.acting_actor_ids() if a in actors and actors[a].side]
    return sorted(set(sides)) or [NO_SIDE]


def suffered(incident: Incident, field: str, actors: Mapping[str, Actor]) -> list[str]:
    """The parties (sides, actors without one, civilians, security forces) among whom a source
    reports at least one killed or injured: figures whose party is unknown name no one."""
    found = {party(key, actors) for key, figure in by_party(incident.casualties, field).items()
             if key != UNKNOWN and figure.high >= 1}
    return sorted(found)
