"""Is an incident in a capital city? A plain table, so the answer is easy to check and correct.

Capital cities by ISO 3166-1 alpha-2 code, with common transliterations and the coordinates of
the city centre (the map marks them), for the states of the region and the outside powers active
in it; a country not in the table never counts unless tagged. A location counts when a part of
its `place` or `area` (split at commas, semicolons and "and", text in brackets dropped) is the
capital, optionally with a direction: "Baghdad", "Mashtal, Baghdad", "eastern Baghdad (where
witnesses reported explosions)" count; "Jurf al-Sakhar, south of Baghdad" does not. Case,
accents and apostrophes are ignored ("Sana'a" is "Sanaa"). The governorate (`admin1`) is not
used: the Baghdad governorate is much larger than the city. Where a state's designated capital
is disputed, the table lists the seat of government the state names; a curator who disagrees
sets the incident's `escalation` override, or tags an incident `capital` to assert it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reportgen.model.incident import Incident

CAPITAL_TAG = "capital"


@dataclass(frozen=True, slots=True)
class Capital:
    """A capital city with the coordinates of its centre (to two decimals, about 1 km), for
    the map."""

    name: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    """Other spellings sources use."""

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


CAPITALS: dict[str, tuple[Capital, ...]] = {
    "AE": (Capital("Abu Dhabi", 24.45, 54.38),),
    "AF": (Capital("Kabul", 34.53, 69.17),),
    "AM": (Capital("Yerevan", 40.18, 44.51),),
    "AZ": (Capital("Baku", 40.41, 49.87),),
    "BH": (Capital("Manama", 26.23, 50.59),),
    "CY": (Capital("Nicosia", 35.17, 33.36),),
    "DE": (Capital("Berlin", 52.52, 13.40),),
    "DJ": (Capital("Djibouti", 11.59, 43.15),),
    "DZ": (Capital("Algiers", 36.75, 3.06),),
    "EG": (Capital("Cairo", 30.04, 31.24),),
    "ER": (Capital("Asmara", 15.33, 38.93),),
    "ET": (Capital("Addis Ababa", 9.03, 38.74),),
    "FR": (Capital("Paris", 48.86, 2.35),),
    "GB": (Capital("London", 51.51, -0.13),),
    "GE": (Capital("Tbilisi", 41.72, 44.79),),
    "IL": (Capital("Jerusalem", 31.78, 35.22),),
    "IQ": (Capital("Baghdad", 33.31, 44.37),),
    "IR": (Capital("Tehran", 35.69, 51.39, ("Teheran",)),),
    "IT": (Capital("Rome", 41.90, 12.50),),
    "JO": (Capital("Amman", 31.95, 35.93),),
    "KW": (Capital("Kuwait City", 29.38, 47.99),),
    "LB": (Capital("Beirut", 33.89, 35.50),),
    "LY": (Capital("Tripoli", 32.89, 13.19),),
    "MA": (Capital("Rabat", 34.02, -6.84),),
    "OM": (Capital("Muscat", 23.59, 58.41),),
    "PK": (Capital("Islamabad", 33.68, 73.05),),
    "PS": (Capital("Ramallah", 31.90, 35.20),),
    "QA": (Capital("Doha", 25.29, 51.53),),
    "RU": (Capital("Moscow", 55.76, 37.62),),
    "SA": (Capital("Riyadh", 24.71, 46.68),),
    "SD": (Capital("Khartoum", 15.50, 32.56),),
    "SO": (Capital("Mogadishu", 2.05, 45.32),),
    "SY": (Capital("Damascus", 33.51, 36.29, ("Dimashq",)),),
    "TN": (Capital("Tunis", 36.81, 10.18),),
    "TR": (Capital("Ankara", 39.93, 32.86),),
    "UA": (Capital("Kyiv", 50.45, 30.52, ("Kiev",)),),
    "US": (Capital("Washington", 38.90, -77.04),),
    # Sanaa is the constitutional capital (held by the Houthis); Aden has been the seat of the
    # internationally recognised government since 2015.
    "YE": (Capital("Sanaa", 15.35, 44.21), Capital("Aden", 12.79, 45.02)),
}


def in_capital(incident: Incident) -> str | None:
    """The capital the incident happened in, or None; the `capital` tag asserts it explicitly."""
    capitals = {_fold(name): name for city in CAPITALS.get(incident.location.country, ())
                for name in city.names}
    for text in (incident.location.place, incident.location.area):
        for part in _parts(text or ""):
            if part in capitals:
                return capitals[part]
    if CAPITAL_TAG in incident.tags:
        return f"{incident.location.place} (tagged '{CAPITAL_TAG}')"
    return None


_SEPARATORS = re.compile(r"[,;]|\band\b")
_DIRECTION = re.compile(r"^(?:(?:north|south)-?(?:east|west)ern|northern|southern|eastern|western|"
                        r"central|downtown)\s+")


def _parts(text: str) -> list[str]:
    """'eastern Baghdad (witnesses), Iraq' -> ['baghdad', 'iraq']."""
    parts = _SEPARATORS.split(_without_asides(_fold(text)))
    return [_DIRECTION.sub("", " ".join(part.split())) for part in parts]


def _without_asides(text: str) -> str:
    r"""The text with each bracketed aside, from a "(" to the next ")", made a space; a "(" never
    closed stays. Read once from left to right: `re.sub(r"\([^)]*\)", " ", text)` reads the same
    but scans to the end again from every "(" of a text that never closes one (minutes for a
    long field)."""
    kept, position = [], 0
    while (start := text.find("(", position)) != -1 and (end := text.find(")", start)) != -1:
        kept += [text[position:start], " "]
        position = end + 1
    return "".join(kept) + text[position:]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in "'’ʿʼ")
