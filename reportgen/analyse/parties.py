"""Who acted and who was hit, and which side each counts for.

The acting party of an incident is its `perpetrator` actors; when the curator recorded none
(typical when only a claim or an attribution exists) the `claimed-by` actors stand in, then the
`attributed-to` actors. Targets are the `target` and `victim` actors. A party is an actor's
`side` when it has one, else the actor itself, so an actor without a side is never dropped.
In tempo, an incident none of whose acting actors has a side counts under NO_SIDE.
"""

from __future__ import annotations

from collections.abc import Mapping

from reportgen.model.actor import Actor
from reportgen.model.incident import Incident

NO_SIDE = "no side"


def party(actor_id: str, actors: dict[str, Actor]) -> str:
    """The side an actor counts for, or the actor id when it has no side."""
    actor = actors.get(actor_id)
    return actor.side if actor and actor.side else actor_id


def party_name(party_key: str, actors: Mapping[str, Actor]) -> str:
    """How a party reads: the actor's name, or `side “us”` (sides are labels, not names)."""
    return actors[party_key].name if party_key in actors else f"side “{party_key}”"


def acting_sides(incident: Incident, actors: dict[str, Actor]) -> list[str]:
    """Sides of the acting party (tempo counts an incident once per distinct side)."""
    sides = [actors[a].side for a in incident.acting_actor_ids() if a in actors and actors[a].side]
    return sorted(set(sides)) or [NO_SIDE]


def target_parties(incident: Incident, actors: dict[str, Actor]) -> list[str]:
    return sorted({party(a, actors) for a in incident.target_actor_ids()})
