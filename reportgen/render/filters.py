"""Jinja filters: how dates, figures, grades and markings read in a briefing.

Every filter returns plain text (autoescaped in HTML, passed through `md` in Markdown) except
the narrative filters, which return already-safe HTML or Markdown.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from zoneinfo import ZoneInfo

from markupsafe import Markup

from reportgen.analyse.tempo import Bucket
from reportgen.model.casualties import figure_text
from reportgen.model.common import CREDIBILITY, ESTIMATIVE_TERMS, RELIABILITY, Marking, country_name
from reportgen.model.incident import Incident, Location
from reportgen.model.text import MONTH_NAMES, MONTHS, day
from reportgen.render import narrative
from reportgen.select import Group

# tzdata writes some zones as bare offsets ("+03"); these read better by their usual name.
ZONE_ABBREVIATIONS = {zone: "AST" for zone in (
    "Asia/Baghdad", "Asia/Riyadh", "Asia/Kuwait", "Asia/Qatar", "Asia/Bahrain", "Asia/Aden")}



# Markdown: characters that are markup anywhere, and those that are markup at a line's start.
_MD_ANYWHERE = re.compile(r"([\\`*_{}\[\]<>#|~])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_LINE_START = re.compile(r"^([-+=>]|\d+[.)])")


def md_escape(value: object) -> str:
    """A data string as literal Markdown text: nothing in it can become markup or HTML."""
    text = " ".join(str(value).split())
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    text = _MD_ENTITY.sub(r"\\&", text)
    return _MD_LINE_START.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], text)


def md_url(url: object) -> str:
    """A link destination in angle brackets; only http(s) URLs reach here (the model checks)."""
    text = str(url)
    if not narrative.is_live_link(text):
        raise ValueError(f"refusing to link to {text!r}")
    return "<" + text.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20") + ">"


def markdown_html(text: str, level: int = 0) -> Markup:
    """Curator's Markdown as safe HTML, headings below `level`."""
    return Markup(narrative.to_html(text, level))  # noqa: S704 - sanitized by the parser


def markdown_md(text: str, level: int = 0) -> str:
    """Curator's Markdown re-written as safe Markdown, headings below `level`."""
    return narrative.to_markdown(text, level)


# -- dates ------------------------------------------------------------------------------------


def month(value: dt.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def day_span(start: dt.date, end: dt.date | None) -> str:
    """7 Feb 2024; 7–9 Feb 2024; 30 Jan – 2 Feb 2024."""
    if end is None or end == start:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day(end)}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {day(end)}"
    return f"{day(start)} – {day(end)}"


def tenure(since: dt.date | None, until: dt.date | None) -> str:
    """'1 Feb 2019 – 10 Mar 2021', 'since 15 Jan 2020', 'until 3 May 2021' or '–'."""
    if since and until:
        return f"{day(since)} – {day(until)}"
    if since:
        return f"since {day(since)}"
    return f"until {day(until)}" if until else "–"


def date_of(incident: Incident) -> str:
    """The date as precisely as it is known: '7 Feb 2024', 'week of 5 Feb 2024', 'Feb 2024'."""
    return dated(incident.date, incident.date_precision, incident.end)


def dated(value: dt.date, precision: str = "day", end: dt.date | None = None) -> str:
    """A date as precisely as it is known (see `date_of`)."""
    if precision == "month":
        return month(value)
    if precision == "week":
        return f"week of {day(value - dt.timedelta(days=value.weekday()))}"
    return day_span(value, end)


def seen(value) -> str:
    """An actor's first or last seen (`select.Seen`), as precisely as it is known."""
    return dated(value.date, value.precision)


def when(incident: Incident) -> str:
    """'7 Feb 2024, 21:30 AST (18:30 UTC)', with the reported UTC time if it disagrees."""
    text = date_of(incident)
    if incident.date_precision != "day" or not (incident.time or incident.time_utc):
        return text
    if not incident.time:
        return f"{text}, {incident.time_utc} UTC"
    if not incident.timezone:
        utc = f" ({incident.time_utc} UTC)" if incident.time_utc else ""
        return f"{text}, {incident.time} local time{utc}"
    in_utc = incident.utc_moment
    local = in_utc.astimezone(ZoneInfo(incident.timezone))
    utc = f"{in_utc:%H:%M} UTC" + ("" if in_utc.date() == incident.date else f", {day(in_utc)}")
    if incident.time_utc and incident.time_utc != f"{in_utc:%H:%M}":
        utc += f"; reported as {incident.time_utc} UTC"
    return f"{text}, {incident.time} {zone_name(local)} ({utc})"


def zone_name(moment: dt.datetime) -> str:
    """AST, CET, or UTC+3 where tzdata has no abbreviation."""
    name = moment.tzname() or ""
    if not name.startswith(("+", "-")):
        return name
    if str(moment.tzinfo) in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[str(moment.tzinfo)]
    hours, minutes = name[1:3].lstrip("0") or "0", name[3:5]
    return f"UTC{name[0]}{hours}" + (f":{minutes}" if minutes else "")


def group_label(group: Group) -> str:
    if group.kind == "week":
        return f"Week of {day(group.start)}"
    return f"{MONTH_NAMES[group.start.month - 1]} {group.start.year}"


# -- places, figures, grades, markings ------------------------------------------------------


def place(location: Location) -> str:
    """Mashtal, Baghdad, Iraq — each part once."""
    parts = [location.place, location.area, location.admin1, country_name(location.country)]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def place_short(location: Location) -> str:
    """Place and country only, for tables: 'Tower 22, Jordan'; the place alone when it ends
    with the country's name already ('eastern Syria', not 'eastern Syria, Syria')."""
    country = country_name(location.country)
    if location.place.casefold().endswith(country.casefold()):
        return location.place
    return f"{location.place}, {country}"


def grade_meaning(grade: str) -> str:
    """B2 -> 'source usually reliable; information probably true'."""
    return f"source {RELIABILITY[grade[0]]}; information {CREDIBILITY[grade[1]]}"


def tlp_meaning(marking: Marking) -> str:
    """What readers may do with it (the FIRST TLP 2.0 definitions, as the mail says it too)."""
    return Marking(marking).sharing_rule


def tlp_class(marking: Marking) -> str:
    """A CSS class name: tlp-clear, tlp-amber-strict."""
    return "tlp-" + str(marking).removeprefix("TLP:").lower().replace("+", "-")


def likelihood_percent(term: str) -> str:
    return ESTIMATIVE_TERMS[term][1]


def capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """'Attacks on US forces' -> 'attacks on US forces', for a title inside a sentence; an
    acronym ('US forces') keeps its capitals."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def text_direction(text: str) -> str:
    """'rtl' or 'ltr' from the first strong character, as `dir="auto"` decides in a browser;
    spelled out because WeasyPrint does not implement `dir="auto"`."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def days(value: float) -> str:
    """A time to respond or a span: '0 days', '1 day', '6.5 days'."""
    return f"{value:g} day" if value == 1 else f"{value:g} days"


YEAR_AT_LEAST = 13
"""Rows a year of the tempo table holds at least for a table (a page) of its own: a shorter
year, such as the week of late December a period's first incidents fall in, joins the next."""


def by_year(buckets: list[Bucket]) -> list[tuple[str, list[Bucket]]]:
    """Tempo rows as one table per year they start in, labelled "2021"; a year of fewer than
    YEAR_AT_LEAST rows joins the next (labelled "2020–2021"), but the last stands as it is."""
    years = [(year, list(rows)) for year, rows in itertools.groupby(buckets, key=lambda b: b.start.year)]
    groups: list[tuple[str, list[Bucket]]] = []
    carried: tuple[int, list[Bucket]] | None = None
    for n, (year, rows) in enumerate(years):
        first, rows = (carried[0], carried[1] + rows) if carried else (year, rows)
        carried = (first, rows) if len(rows) < YEAR_AT_LEAST and n + 1 < len(years) else None
        if carried is None:
            groups.append((str(year) if first == year else f"{first}–{year}", rows))
    return groups


def signed(value: int | None) -> str:
    """A change on the period before: '+3', '−2', '0'; '–' when there is none to compare."""
    if value is None:
        return "–"
    return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"


FILTERS = {
    "md": md_escape,
    "md_url": md_url,
    "markdown_html": markdown_html,
    "markdown_md": markdown_md,
    "day": day,
    "month": month,
    "day_span": day_span,
    "date_of": date_of,
    "seen": seen,
    "tenure": tenure,
    "when": when,
    "group_label": group_label,
    "place": place,
    "place_short": place_short,
    "grade_meaning": grade_meaning,
    "tlp_meaning": tlp_meaning,
    "tlp_class": tlp_class,
    "likelihood_percent": likelihood_percent,
    "country": country_name,
    "capitalize_first": capitalize_first,
    "lower_first": lower_first,
    "figure": figure_text,
    "text_direction": text_direction,
    "days": days,
    "signed": signed,
    "by_year": by_year,
}
