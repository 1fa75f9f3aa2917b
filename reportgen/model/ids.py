"""Record ids from free text: ASCII, lower case, hyphens; the same text always gives the same id."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

MAX_SLUG = 80  # the schema allows 120; shorter ids keep file names readable
_APOSTROPHES = "'’‘ʼʻʿʾ`´"
# Letters NFKD does not decompose into an ASCII base letter plus accents.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d",
                          "ð": "d", "þ": "th", "ı": "i", "ħ": "h"})


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """'Kata'ib Ḥizb Allāh' -> 'kataib-hizb-allah'; '' when nothing Latin is left (e.g. Arabic)."""
    lowered = text.casefold().translate(_LETTERS)
    lowered = "".join(ch for ch in lowered if ch not in _APOSTROPHES)
    ascii_text = unicodedata.normalize("NFKD", lowered).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug


def incident_id(day: dt.date, title: str) -> str:
    """Incident ids start with the ISO date so files sort chronologically."""
    words = slugify(title, MAX_SLUG - 11)
    return f"{day.isoformat()}-{words}" if words else day.isoformat()


def unused(candidate: str, taken: set[str]) -> str:
    """`candidate`, or `candidate-2`, `-3`, ... whichever is not taken yet."""
    if candidate not in taken:
        return candidate
    number = 2
    while f"{candidate}-{number}" in taken:
        number += 1
    return f"{candidate}-{number}"
