"""Text every output writes the same way: no bidirectional controls, dates without a locale.

Bidirectional control characters in hand-curated text:

U+202A-U+202E (embeddings and overrides) and U+2066-U+2069 (isolates) change the order in which
readers see the characters around them ("Trojan Source", CVE-2021-42574): a title holding U+202E
shows "exe.pdf" as "fdp.exe", and one left open reverses what follows it on the line, a source
or a marking included. A briefing never needs them: Arabic and Hebrew names are ordered by the
Unicode bidirectional algorithm on their own (the theme gives native names a `dir`), and the marks
U+200E and U+200F, which reorder nothing else, are kept. So every output leaves them out and
`reportgen check` warns where a file holds one.
"""

from __future__ import annotations

import datetime as dt
import re

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    """`text` without bidirectional embedding, override and isolate characters."""
    return BIDI_CONTROLS.sub("", text) if BIDI_CONTROLS.search(text) else text


def control_name(character: str) -> str:
    return f"U+{ord(character):04X}"


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
"""Month abbreviations, in English whatever the locale: every build writes the same text."""
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
"""Month names, likewise."""


def counted(count: int, noun: str) -> str:
    """3 incidents, 1 incident: a count and its noun, plural but for one (nouns whose plural
    adds an s: incident, actor, report, attack, place, error, warning, other event)."""
    return f"{count} {noun}" + "s" * (count != 1)


def day(value: dt.date) -> str:
    """7 Feb 2024 (no locale: the same in every build, briefing text and chart alike)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
