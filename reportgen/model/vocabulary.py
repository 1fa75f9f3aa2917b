"""Controlled vocabularies: ACLED event taxonomy, actor roles and kinds, vague casualty words."""

from __future__ import annotations

import re
from typing import Literal

# ACLED sub-event type -> (event type, disorder type), in ACLED's precedence order.
ACLED_SUB_EVENTS: dict[str, tuple[str, str]] = {
    "Government regains territory": ("Battles", "Political violence"),
    "Non-state actor overtakes territory": ("Battles", "Political violence"),
    "Armed clash": ("Battles", "Political violence"),
    "Excessive force against protesters": ("Protests", "Political violence; Demonstrations"),
    "Protest with intervention": ("Protests", "Demonstrations"),
    "Peaceful protest": ("Protests", "Demonstrations"),
    "Violent demonstration": ("Riots", "Demonstrations"),
    "Mob violence": ("Riots", "Political violence"),
    "Chemical weapon": ("Explosions/Remote violence", "Political violence"),
    "Air/drone strike": ("Explosions/Remote violence", "Political violence"),
    "Suicide bomb": ("Explosions/Remote violence", "Political violence"),
    "Shelling/artillery/missile attack": ("Explosions/Remote violence", "Political violence"),
    "Remote explosive/landmine/IED": ("Explosions/Remote violence", "Political violence"),
    "Grenade": ("Explosions/Remote violence", "Political violence"),
    "Sexual violence": ("Violence against civilians", "Political violence"),
    "Attack": ("Violence against civilians", "Political violence"),
    "Abduction/forced disappearance": ("Violence against civilians", "Political violence"),
    "Agreement": ("Strategic developments", "Strategic developments"),
    "Arrests": ("Strategic developments", "Strategic developments"),
    "Change to group/activity": ("Strategic developments", "Strategic developments"),
    "Disrupted weapons use": ("Strategic developments", "Strategic developments"),
    "Headquarters or base established": ("Strategic developments", "Strategic developments"),
    "Looting/property destruction": ("Strategic developments", "Strategic developments"),
    "Non-violent transfer of territory": ("Strategic developments", "Strategic developments"),
    "Other": ("Strategic developments", "Strategic developments"),
}

EventType = Literal[tuple(ACLED_SUB_EVENTS)]  # type: ignore[valid-type]

TYPE_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("suicide",), "Suicide bomb"),
    (("intercepted", "interception", "intercept", "downed", "thwarted", "foiled"),
     "Disrupted weapons use"),
    (("ied", "ieds", "roadside", "landmine", "landmines", "mine", "bomb", "bombing", "explosive",
      "explosives", "vbied"), "Remote explosive/landmine/IED"),
    (("rocket", "rockets", "mortar", "mortars", "artillery", "missile", "missiles", "shelling",
      "ballistic"), "Shelling/artillery/missile attack"),
    (("drone", "drones", "uav", "uavs", "airstrike", "airstrikes", "air", "aerial", "bombardment"),
     "Air/drone strike"),
    (("grenade", "grenades"), "Grenade"),
    (("clash", "clashes", "firefight", "gunfight", "ambush", "battle", "fighting"), "Armed clash"),
    (("abduction", "abducted", "kidnapping", "kidnapped"), "Abduction/forced disappearance"),
    (("arrest", "arrests", "arrested", "detained", "detention"), "Arrests"),
    (("agreement", "ceasefire", "truce", "deal"), "Agreement"),
    (("protest", "protests", "demonstration", "rally"), "Peaceful protest"),
)
"""Words curators write for an event, and the ACLED sub-event type they most likely mean, the
most specific first ("intercepted drone" is disrupted weapons use, not a drone strike): what
`check` suggests for a type that is not ACLED's ("Rocket attack": "Shelling/artillery/missile
attack", where spelling alone would suggest "Attack", ACLED's attack on civilians)."""


def suggested_type(written: str) -> str | None:
    """The ACLED sub-event type a curator's words most likely mean (TYPE_WORDS), or None."""
    words = set(re.findall(r"[a-z]+", written.casefold()))
    return next((meant for cues, meant in TYPE_WORDS if words & set(cues)), None)

ActorRole = Literal[
    "perpetrator",
    "target",
    "claimed-by",
    "attributed-to",
    "denied-by",
    "intercepted-by",
    "victim",
    "mediator",
    "mentioned",
]

ATTACK_EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians")
"""ACLED's violent event types: an incident of one of them is an attack (method rule `attacks`)."""
ATTACK_SUB_EVENTS = ("Disrupted weapons use",)
"""Sub-event types ACLED files under strategic developments that the method counts as attacks:
an attack stopped by interception is still an attack (method rule `attacks`)."""

ACTING_ROLES: tuple[ActorRole, ...] = ("perpetrator", "claimed-by", "attributed-to")
"""Who acted, in order of how directly: the perpetrators when the curator recorded any, else those
who claimed it, else those it is attributed to (see `Incident.acting_actor_ids`)."""
TARGET_ROLES: tuple[ActorRole, ...] = ("target", "victim")
"""Who was acted upon."""
ROLE_ORDER: tuple[ActorRole, ...] = ("perpetrator", "claimed-by", "attributed-to", "denied-by", "target",
                                    "victim", "intercepted-by", "mediator", "mentioned")
"""The order a briefing lists an incident's roles in: who did what to whom, then the rest."""

ActorKind = Literal[
    "state-force",
    "military-command",
    "government",
    "militia",
    "umbrella-group",
    "political-party",
    "rebel-group",
    "civilians",
    "international-organisation",
    "other",
]

# ACLED actor types, for export and for the profile's classification line.
AcledActorType = Literal[
    "State forces",
    "Rebel group",
    "Political militia",
    "Identity militia",
    "Rioters",
    "Protesters",
    "Civilians",
    "External/Other forces",
]

Relation = Literal["member-of", "part-of", "backed-by", "allied-with", "rival-of", "splinter-of"]

LeaderStatus = Literal["active", "killed", "detained", "former", "deceased", "unknown"]

ClaimKind = Literal["statement", "responsibility", "denial", "attribution", "threat", "report"]

# Vague casualty words and the one number each counts as (method rule `source-figure`).
# ACLED's coding where ACLED defines one (VAGUE_SOURCE: "tens" 10, "dozens" 12, "hundreds" 100);
# the others are reportgen's own: the least the word can mean. "unknown" gives no number.
VAGUE_FIGURES: dict[str, int] = {
    "a few": 2,
    "several": 3,
    "some": 1,
    "numerous": 3,
    "tens": 10,
    "dozens": 12,
    "scores": 40,
    "hundreds": 100,
    "unknown": 0,
}
ACLED_CODED = ("tens", "dozens", "hundreds")
"""The vague words whose count ACLED documents (the others are reportgen's floors)."""
VAGUE_SOURCE = "ACLED knowledge base, “Fatalities”, 27 February 2023"
"""Where ACLED documents its coding of vague fatality words."""

# Whose casualties a figure counts when they are not an actor's members (`party: civilians`),
# and how a reader sees each: security forces the corpus has no actor for; unknown when the
# source does not say or the figure mixes parties.
PARTY_CATEGORIES: dict[str, str] = {
    "civilians": "civilians",
    "security-forces": "security forces",
    "unknown": "party not stated",
}
VagueWord = Literal[tuple(VAGUE_FIGURES)]  # type: ignore[valid-type]

# What had been seen of an indicator to watch (a report's `outlook`) as of the report's cut-off,
# and how a reader sees each status: always as a word, never as a colour alone.
INDICATOR_STATUSES: dict[str, str] = {
    "observed": "observed",
    "not-yet-observed": "not yet observed",
    "no-longer-relevant": "no longer relevant",
}
IndicatorStatus = Literal[tuple(INDICATOR_STATUSES)]  # type: ignore[valid-type]
