"""Warnings for values that are valid but probably not what the curator meant: a year typed
wrong, coordinates that cannot be in the country, a figure with three zeros too many, a file
filed under another date, a character nobody can see. Each is a warning, not an error: the odd
value may be right, and the curator decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from reportgen.analyse.ladder import assess, leaders_lost, set_aside
from reportgen.geography import MARGIN, near, outline
from reportgen.model.actor import Actor
from reportgen.model.common import country_name
from reportgen.model.incident import FigureRange, Incident
from reportgen.problems import Problem
from reportgen.validate.rules import Context, actor_names

"""Further ahead than a term of office or a sanction usually runs: a typo in the year."""
_YEAR_FOLDER = re.compile(r"^[0-9]{4}$")
_ID_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})-")

INVISIBLE = {
    "\u00ad": "soft hyphen",
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space (byte order mark)",
}
_INVISIBLE = re.compile("[" + "".join(INVISIBLE) + "]")
_JOINERS = {"\u200c", "\u200d"}


def incident_warnings(ctx: Context, incident: Incident) -> Iterator[Problem]:
    yield from _filed_under(ctx, incident)
    yield from _coordinates(ctx, incident)
    yield from _figures(ctx, incident)
    yield from _invisible(ctx, "incident", incident.id, _incident_names(incident))


def actor_warnings(ctx: Context, actor: Actor) -> Iterator[Problem]:
    yield from _invisible(ctx, "actor", actor.id, _actor_names(actor))


def _filed_under(ctx: Context, incident: Incident) -> Iterator[Problem]:
    """The year folder and the id's leading date are how people find an incident: both should
    agree with its date (an id, once published, keeps its date even if the date is corrected)."""
    parts = ctx.origins[("incident", incident.id)].path.split("/")
    folder = parts[-2] if len(parts) > 2 else ""
    if _YEAR_FOLDER.match(folder) and int(folder) != incident.date.year:
        yield ctx.at("incident", incident.id, ("date",),
                     f"the file is in the folder {folder}/ but its date is in {incident.date.year}",
                     f"move it to incidents/{incident.date.year}/ or correct the date", warn=True)
    if (found := _ID_DATE.match(incident.id)) and found.group(1) != incident.date.isoformat():
        yield ctx.at("incident", incident.id, ("date",),
                     f"the id starts with {found.group(1)} but the date is {incident.date}",
                     "correct whichever is wrong; if a published date was corrected, keep the id "
                     "and say so in notes", warn=True)


def _coordinates(ctx: Context, incident: Incident) -> Iterator[Problem]:
    """0, 0 is where a missing value written as zero lands; a point outside the country's outline
    is elsewhere, and often just has lat and lon the wrong way round. The incident's own point
    and each of its named places are checked alike."""
    where = incident.location
    points = [(("location",), where.lat, where.lon)] + [
        (("location", "sites", n), site.lat, site.lon) for n, site in enumerate(where.sites)]
    for loc, lat, lon in points:
        if lat is not None and lon is not None:
            yield from _point(ctx, incident, loc, lat, lon)


def _point(ctx: Context, incident: Incident, loc: tuple, lat: float, lon: float) -> Iterator[Problem]:
    code = incident.location.country
    country = country_name(code)
    if lat == 0 and lon == 0:
        yield ctx.at("incident", incident.id, (*loc, "lat"),
                     f"coordinates 0, 0 are in the Gulf of Guinea, not in {country}",
                     "leave lat and lon out when they are not known", warn=True)
        return
    rings = outline(code)
    if not rings or near(rings, lat, lon):
        return
    if abs(lon) <= 90 and near(rings, lon, lat):
        yield ctx.at("incident", incident.id, (*loc, "lat"),
                     f"lat {lat} and lon {lon} look swapped: only the other way round "
                     f"are they in {country}", "swap lat and lon", warn=True)
    else:
        yield ctx.at("incident", incident.id, (*loc, "lat"),
                     f"coordinates {lat}, {lon} are not in {country} (nor within "
                     f"{MARGIN}° of it)", "check the coordinates and the country", warn=True)


def _figures(ctx: Context, incident: Incident) -> Iterator[Problem]:
    bound = ctx.max_casualties
    for index, report in enumerate(incident.casualties):
        for field in ("killed", "injured"):
            for loc, number in _numbers(getattr(report, field), ("casualties", index, field)):
                if number > bound:
                    yield ctx.at("incident", incident.id, loc,
                                 f"{field} {number:,} is above {bound:,}, the most this project "
                                 "expects of one incident", "check for a typo; if the source says "
                                 "so, raise project.max_plausible_casualties in reportgen.yaml",
                                 warn=True)


def _numbers(figure, loc: tuple) -> Iterator[tuple[tuple, int]]:
    """Each number a figure states, with where it is written (a vague word states none)."""
    if isinstance(figure, FigureRange):
        for bound in ("min", "max"):
            if getattr(figure, bound) is not None:
                yield (*loc, bound), getattr(figure, bound)
    elif isinstance(figure, int):
        yield loc, figure


def _incident_names(incident: Incident) -> Iterator[tuple[tuple, str, str | None]]:
    yield ("title",), "title", incident.title
    for field in ("place", "area", "admin1"):
        yield ("location", field), field, getattr(incident.location, field)


def _actor_names(actor: Actor) -> Iterator[tuple[tuple, str, str | None]]:
    yield from actor_names(actor)
    for index, leader in enumerate(actor.leaders):
        yield ("leaders", index, "name"), "leader's name", leader.name
        yield ("leaders", index, "native_name"), "leader's native name", leader.native_name


def _invisible(ctx: Context, kind: str, record_id: str, names) -> Iterator[Problem]:
    for loc, label, text in names:
        found = invisible_characters(text or "")
        if found:
            described = ", ".join(f"{INVISIBLE[c]} (U+{ord(c):04X})" for c in found)
            yield ctx.at(kind, record_id, loc, f"{label} holds an invisible {described}",
                         "delete it: readers cannot see it, and it stops searches and names "
                         "from matching", warn=True)


def invisible_characters(text: str) -> list[str]:
    """Each invisible character in `text` that does nothing there. A joiner between two letters
    outside ASCII shapes the text (Persian writes words with U+200C, Indic scripts use U+200D)
    and is kept; anywhere else, and in English text, it is there by accident."""
    found = []
    for match in _INVISIBLE.finditer(text):
        char, at = match.group(), match.start()
        if char in _JOINERS and _between_letters(text, at):
            continue
        found.append(char)
    return list(dict.fromkeys(found))


def _between_letters(text: str, at: int) -> bool:
    before, after = text[at - 1:at], text[at + 1:at + 2]
    return all(c.isalpha() and not c.isascii() for c in (before, after))


def override_warnings(ctx: Context, incidents: dict[str, Incident],
                      actors: dict[str, Actor]) -> Iterator[Problem]:
    """An override below a rung whose rules the incident meets, without naming that rung in
    `instead_of`: the ladder would then contradict itself (deaths below the lethal rung while
    a later incident is 'first' there). Reads the canonical records (references resolved)."""
    ladder = ctx.config.escalation_ladder if ctx.config else []
    if not ladder:
        return
    names = {r.rung: r.name for r in ladder}
    lost = leaders_lost(actors)
    for incident in incidents.values():
        if incident.escalation is None:
            continue
        flagged = set_aside(assess(incident, ladder, actors, lost), incident.escalation)
        if flagged:
            top = flagged[0]
            yield ctx.at("incident", incident.id, ("escalation", "rung"),
                         f"rung {incident.escalation.rung} is below rung {top} ({names[top]}), "
                         "whose rules the incident meets",
                         f"place it at rung {top}, or give `instead_of: {top}` and say why in "
                         "the rationale", warn=True)
