"""A tiny hand-built corpus for the analysis tests. Every name is invented and obviously fake.

January 2001 starts on a Monday, so ISO week n of 2001 starts on 1 + 7(n-1) January.

    id  date        acting                 target          type / casualties        rung
    i1  Tue  2 Jan  red-brigade            blue-force      shelling, 21:00 Baghdad  1
    i2  Thu  4 Jan  red-front (claimed-by) blue-force      drone; blue injured 2 / several  2
    i3  Wed 10 Jan  blue-force             red-brigade     drone 03:00; red killed 0 / >=3 3  answers i1, i2
    i4  Fri 12 Jan  red-brigade            blue-force      shelling; blue killed 1  3    answers i3
    i5  Tue 23 Jan  red-brigade            -               pause                    0
    i6  Wed 24 Jan  blue-force             red-brigade     drone in Baghdad; 2 red killed; a red-brigade
                                                            leader's tenure ended    4    answers i4
    i7  Thu 25 Jan  lone-cell (no side)    blue-force      IED, no rule; override   2
    i8  Mon 29 Jan  blue-force             grey-gov        drone                    5
    i9  Tue 30 Jan  red-front              -               resumption               0
"""

from __future__ import annotations

import datetime as dt

from reportgen.model import Actor, Incident, Rung
from reportgen.model.common import Period
from reportgen.model.config import Phase, Side

LADDER = [
    Rung(rung=0, name="Statements", when=[{"types": ["Change to group/activity"]}]),
    Rung(rung=1, name="Harassment",
         when=[{"types": ["Air/drone strike", "Shelling/artillery/missile attack"]}]),
    Rung(rung=2, name="Injuries", when=[{"min_injured": 1}]),
    Rung(rung=3, name="Lethal", when=[{"min_killed": 1}]),
    Rung(rung=4, name="Leaders or capital",
         when=[{"leadership_targeted": True}, {"capital": True, "min_killed": 1}]),
    Rung(rung=5, name="State on state",
         when=[{"perpetrator_kinds": ["state-force"], "target_kinds": ["government"]}]),
]

PERIOD = Period(**{"from": dt.date(2001, 1, 1), "to": dt.date(2001, 2, 4)})
PHASES = [
    Phase(**{"name": "Opening", "from": dt.date(2001, 1, 1), "to": dt.date(2001, 1, 14)}),
    Phase(**{"name": "Strikes", "from": dt.date(2001, 1, 22), "to": dt.date(2001, 1, 29),
             "note": "Fake phase"}),
]


SIDES = {side: Side(label=f"Fake {side} side") for side in ("blue", "red", "grey")}


def actor(actor_id: str, kind: str, side: str | None = None, **extra) -> Actor:
    name = " ".join(part.capitalize() for part in actor_id.split("-"))
    return Actor(id=actor_id, name=f"Fake {name}", kind=kind, side=side, **extra)


ACTORS = {a.id: a for a in [
    actor("blue-force", "state-force", "blue"),
    actor("red-brigade", "militia", "red",
          leaders=[{"name": "Commander Fakename", "status": "killed", "incident": "i6"}]),
    actor("red-front", "umbrella-group", "red"),
    actor("grey-gov", "government", "grey"),
    actor("lone-cell", "militia"),
]}


def incident(incident_id: str, day: int, kind: str, acting: str | None, target: str | None,
             role: str = "perpetrator", **extra) -> Incident:
    actors = [{"actor": acting, "role": role}] if acting else []
    actors += [{"actor": target, "role": "target"}] if target else []
    record = {
        "id": incident_id,
        "title": f"Fake incident {incident_id}",
        "date": dt.date(2001, 1, day),
        "location": {"place": "Fakeville", "country": "IQ"},
        "type": kind,
        "actors": actors,
        "sources": [{"outlet": "fake-wire", "date": dt.date(2001, 1, day), "grade": "C3"}],
    }
    return Incident(**(record | extra))


def killed(*figures, party: str | None = None) -> list[dict]:
    """One source per figure, each counting the dead of `party`."""
    return [{"according_to": f"Fake source {n}", "killed": f, "party": party}
            for n, f in enumerate(figures)]


def corpus() -> dict[str, Incident]:
    shelling, drone = "Shelling/artillery/missile attack", "Air/drone strike"
    change = "Change to group/activity"
    found = [
        incident("i1", 2, shelling, "red-brigade", "blue-force", time="21:00",
                 timezone="Asia/Baghdad"),
        incident("i2", 4, drone, "red-front", "blue-force", role="claimed-by",
                 casualties=[{"according_to": "Fake A", "injured": 2, "party": "blue-force"},
                             {"according_to": "Fake B", "injured": "several", "party": "blue-force"}]),
        incident("i3", 10, drone, "blue-force", "red-brigade", time="03:00",
                 timezone="Asia/Baghdad", casualties=killed(0, {"min": 3}, party="red-brigade"),
                 responds_to=["i1", "i2"]),
        incident("i4", 12, shelling, "red-brigade", "blue-force", casualties=killed(1, party="blue-force"),
                 responds_to=["i3"]),
        incident("i5", 23, change, "red-brigade", None, tags=["pause"]),
        incident("i6", 24, drone, "blue-force", "red-brigade", casualties=killed(2, party="red-brigade"),
                 location={"place": "Eastern Baghdad", "country": "IQ"}, responds_to=["i4"]),
        incident("i7", 25, "Remote explosive/landmine/IED", "lone-cell", "blue-force",
                 escalation={"rung": 2, "rationale": "Fake curator judgement"}),
        incident("i8", 29, drone, "blue-force", "grey-gov"),
        incident("i9", 30, change, "red-front", None, tags=["resumption"]),
    ]
    return {i.id: i for i in found}
