"""Is an incident in a capital city? A plain table, so the answer is easy to check and correct.

Capital cities by ISO 3166-1 alpha-2 code, with common transliterations, for the states of the
region and the outside powers active in it; a country not in the table never counts unless
tagged. A location counts when a part of its `place` or `area` (split at commas, semicolons and
"and", text in brackets dropped) is the capital, optionally with a direction: "Baghdad",
"Mashtal, Baghdad", "eastern Baghdad (where witnesses reported explosions)" count; "Jurf
al-Sakhar, south of Baghdad" does not. Case, accents and apostrophes are ignored ("Sana'a" is
"Sanaa"). The governorate (`admin1`) is not used: the Baghdad governorate is much larger than
the city. Where a state's designated capital is disputed, the table lists the seat of
government the state names; a curator who disagrees sets the incident's `escalation` override,
or tags an incident `capital` to assert it.
"""

from __future__ import annotations

import re
import unicodedata

from reportgen.model.incident import Incident

CAPITAL_TAG = "capital"

CAPITALS: dict[str, tuple[str, ...]] = {
    "AE": ("Abu Dhabi",),
    "AF": ("Kabul",),
    "AM": ("Yerevan",),
    "AZ": ("Baku",),
    "BH": ("Manama",),
    "CY": ("Nicosia",),
    "DE": ("Berlin",),
    "DJ": ("Djibouti",),
    "DZ": ("Algiers",),
    "EG": ("Cairo",),
    "ER": ("Asmara",),
    "ET": ("Addis Ababa",),
    "FR": ("Paris",),
    "GB": ("London",),
    "GE": ("Tbilisi",),
    "IL": ("Jerusalem",),
    "IQ": ("Baghdad",),
    "IR": ("Tehran", "Teheran"),
    "IT": ("Rome",),
    "JO": ("Amman",),
    "KW": ("Kuwait City",),
    "LB": ("Beirut",),
    "LY": ("Tripoli",),
    "MA": ("Rabat",),
    "OM": ("Muscat",),
    "PK": ("Islamabad",),
    "PS": ("Ramallah",),
    "QA": ("Doha",),
    "RU": ("Moscow",),
    "SA": ("Riyadh",),
    "SD": ("Khartoum",),
    "SO": ("Mogadishu",),
    "SY": ("Damascus", "Dimashq"),
    "TN": ("Tunis",),
    "TR": ("Ankara",),
    "UA": ("Kyiv", "Kiev"),
    "US": ("Washington",),
    # Sanaa is the constitutional capital (held by the Houthis); Aden has been the seat of the
    # internationally recognised government since 2015.
    "YE": ("Sanaa", "Aden"),
}


def in_capital(incident: Incident) -> str | None:
    """The capital the incident happened in, or None; the `capital` tag asserts it explicitly."""
    capitals = {_fold(name): name for name in CAPITALS.get(incident.location.country, ())}
    for text in (incident.location.place, incident.location.area):
        for part in _parts(text or ""):
            if part in capitals:
                return capitals[part]
    if CAPITAL_TAG in incident.tags:
        return f"{incident.location.place} (tagged '{CAPITAL_TAG}')"
    return None


_BRACKETS = re.compile(r"\([^)]*\)")
_SEPARATORS = re.compile(r"[,;]|\band\b")
_DIRECTION = re.compile(r"^(?:(?:north|south)-?(?:east|west)ern|northern|southern|eastern|western|"
                        r"central|downtown)\s+")


def _parts(text: str) -> list[str]:
    """'eastern Baghdad (witnesses), Iraq' -> ['baghdad', 'iraq']."""
    parts = _SEPARATORS.split(_BRACKETS.sub(" ", _fold(text)))
    return [_DIRECTION.sub("", " ".join(part.split())) for part in parts]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in "'’ʿʼ")
