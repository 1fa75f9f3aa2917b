"""The map in words, for a screen reader: what it marks, where, and what it leaves out."""

from __future__ import annotations

from collections import Counter

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.places import Places
from reportgen.model.common import country_name
from reportgen.model.text import counted

BUSIEST = 5
"""Places the description of a map of many incidents names, the busiest first."""


def describe(analysis: EscalationAnalysis, places: Places) -> str:
    shown, total = len(places.on_map), len(analysis.incidents)
    countries = Counter(country_name(i.location.country) for i in places.on_map)
    where = counted(len(places.places), "place")
    text = [f"Map of {shown} of the briefing's {_incidents(total)} at {where}: "
            + ", ".join(f"{n} in {country}" for country, n in sorted(countries.items())) + "."]
    text.append("Each marker gives the number of incidents at the place, ringed in the colours "
                "of the parties that carried them out: " + "; ".join(
                    f"{analysis.party_name(party)} {_tally(places.by_party[party])}"
                    for party in parties(analysis, places)) + ".")
    keys = analysis.map_keys
    if places.counted:
        text.append("Busiest places: " + "; ".join(
            f"{p.name} ({len(p.incidents)})" for p in places.places[:BUSIEST]) + ".")
    else:
        text.append("Places: " + "; ".join(
            f"{p.name}, " + _numbers([keys[i.id] for i in p.incidents]) for p in places.places)
            + ".")
    if places.unplaced:
        text.append(f"Not on the map: {_incidents(len(places.unplaced))}, listed under it.")
    return " ".join(text)


def parties(analysis: EscalationAnalysis, places: Places) -> list[str]:
    """The parties of the incidents on the map, in the order the other charts give them
    (the tempo's), then any that acted only in other events."""
    order = list(analysis.tempo.sides)
    order += [party for party in places.by_party if party not in order]
    return [party for party in order if party in places.by_party]


def _tally(counts: Counter) -> str:
    parts = [counted(counts["attacks"], "attack")] if counts["attacks"] else []
    parts += [counted(counts["other"], "other event")] if counts["other"] else []
    return " and ".join(parts)


def _incidents(n: int) -> str:
    return counted(n, "incident")


def _numbers(numbers: list[int]) -> str:
    """[1, 2, 6] -> 'incidents 1, 2 and 6' (their numbers in the chronology)."""
    if len(numbers) == 1:
        return f"incident {numbers[0]}"
    return "incidents " + ", ".join(map(str, numbers[:-1])) + " and " + str(numbers[-1])
