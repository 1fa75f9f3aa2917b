"""An incident: one YAML file, one event, every figure attributed to a source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, HttpUrl, model_validator

from reportgen.model.common import (
    Count,
    CountryCode,
    DatePrecision,
    GeoPrecision,
    Grade,
    InternalNotes,
    LocalTime,
    Marking,
    Model,
    Prose,
    ProseMarkdown,
    RungNumber,
    Slug,
    Status,
    Text,
)
from reportgen.model.vocabulary import (
    ACLED_SUB_EVENTS,
    ACTING_ROLES,
    ATTACK_EVENT_TYPES,
    ATTACK_SUB_EVENTS,
    PARTY_CATEGORIES,
    TARGET_ROLES,
    ActorRole,
    ClaimKind,
    EventType,
    VagueWord,
)


class FigureRange(Model):
    """`{min: 3}` reads "at least 3", `{max: 5}` "up to 5", `{min: 2, max: 3}` "2-3"."""

    min: Count | None = None
    max: Count | None = None

    @model_validator(mode="after")
    def _ordered(self) -> FigureRange:
        if self.min is None and self.max is None:
            raise ValueError("a range needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


Figure = Count | VagueWord | FigureRange


class CasualtyReport(Model):
    """Killed and injured as one source reported them, among one party; never merged with
    other sources, never added to another party's."""

    according_to: Text = Field(description="Who gave the figure, e.g. 'US media' or 'CENTCOM'.")
    source: Slug | None = Field(default=None, description="Id of the incident source carrying it.")
    killed: Figure | None = None
    injured: Figure | None = None
    party: str | None = Field(
        default=None, description="Whose dead and injured these are: an actor id, name or alias "
        f"(its fighters or staff), or one of {', '.join(PARTY_CATEGORIES)}; unknown when left out "
        "or when the figure mixes parties.")
    who: Text | None = Field(default=None, description="Whose casualties, in the source's words, "
                             "e.g. 'US soldiers'.")
    id: Slug | None = Field(default=None, description="Local id, for a later figure to revise.")
    revises: Slug | None = Field(
        default=None, description="Id of an earlier figure of this incident that this one "
        "replaces (a source's updated toll): the earlier one is shown as history, not counted.")
    date: dt.date | None = Field(default=None, description="When the figure was given.")
    note: Prose | None = None

    @property
    def party_actor(self) -> str | None:
        """The actor reference `party` makes, or None for a category or no party: what
        validation resolves, redaction withholds and the ladder reads a kind from."""
        return self.party if self.party and self.party not in PARTY_CATEGORIES else None

    @model_validator(mode="after")
    def _has_figure(self) -> CasualtyReport:
        if self.killed is None and self.injured is None:
            raise ValueError("give killed, injured or both")
        return self


class Claim(Model):
    """An attributed statement: who said what, where; responsibility claims and denials too."""

    by: Text = Field(description="Who made the statement, as the source names them.")
    actor: str | None = Field(default=None, description="Actor id or alias, when it is one.")
    kind: ClaimKind = "statement"
    text: Prose = Field(description="What was said: a quote when `quote` is true.")
    quote: bool = Field(default=False, description="True when `text` is a verbatim quote.")
    published: Text | None = Field(default=None, description="Where it was published.")
    date: dt.date | None = None
    source: Slug | None = Field(default=None, description="Id of the incident source carrying it.")
    answers: Slug | None = Field(
        default=None, description="The earlier incident the speaker presented this one as a "
        "response to ('retaliation for ...'): a response link in the speaker's words, shown as "
        "theirs.")

    @property
    def verbatim(self) -> set[str]:
        """The fields holding someone else's exact words, which no language rule rewrites."""
        return {"text"} if self.quote else set()


class SourceRef(Model):
    """A report the incident relies on, with its Admiralty grade."""

    id: Slug | None = Field(default=None, description="Local id; defaults to the outlet id.")
    outlet: Slug = Field(description="Outlet id from the sources registry (sources.yaml).")
    via: Slug | None = Field(default=None, description="Outlet id that relayed it, e.g. dpa.")
    date: dt.date
    headline: Text | None = None
    url: HttpUrl | None = None
    grade: Grade
    note: Prose | None = None

    @property
    def key(self) -> str:
        return self.id or self.outlet


COORDINATES_FROM = ("Where the coordinates were taken from (a gazetteer, an encyclopedia entry, "
                    "the source that gives them), so that a reader can check them.")


class Site(Model):
    """One of the named places of an incident that happened at several (an operation striking
    two towns): the map marks the incident at each."""

    name: Text
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    precision: GeoPrecision = GeoPrecision.CITY
    coordinates_from: Text | None = Field(default=None, description=COORDINATES_FROM)


class Location(Model):
    place: Text
    area: Text | None = None
    admin1: Text | None = Field(default=None, description="Province or governorate.")
    country: CountryCode
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    precision: GeoPrecision = GeoPrecision.CITY
    coordinates_from: Text | None = Field(default=None, description=COORDINATES_FROM)
    sites: list[Site] = Field(default_factory=list, description="The named places of an incident "
                              "that happened at several, each with its coordinates (the place's "
                              "own lat and lon, when given, are marked as well).")

    @model_validator(mode="after")
    def _both_coordinates(self) -> Location:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon, or neither")
        return self

    @property
    def map_point(self) -> tuple[float, float] | None:
        """(lon, lat) to mark on a map, or None: no coordinates, or only the region or country
        is known (its coordinates would be a guess at its middle, not where it happened)."""
        if self.lat is None or self.lon is None or not self.precision.placed:
            return None
        return self.lon, self.lat

    @property
    def map_points(self) -> list[tuple[str, float, float]]:
        """(name, lon, lat) of every place the map marks the incident at (method rule `map`):
        its own point, then its sites."""
        own = [(self.place, *self.map_point)] if self.map_point else []
        return own + [(site.name, site.lon, site.lat) for site in self.sites
                      if site.precision.placed]


class ActorRef(Model):
    actor: str = Field(description="Actor id, name or alias.")
    role: ActorRole
    note: Prose | None = None


class EscalationOverride(Model):
    rung: RungNumber
    rationale: Prose = Field(description="Why the computed rung does not fit.")
    instead_of: RungNumber | None = Field(
        default=None, description="The rung whose rules this override sets aside (the rules "
        "give it or a higher one). An override below a rung the rules meet is a warning unless "
        "it names that rung here and the rationale says why.")


class Incident(Model):
    """One event. `id` equals the file name without `.yaml`."""

    id: Slug = Field(description="Lower-case letters, digits and hyphens; the file name without .yaml.")
    title: Prose
    date: dt.date
    date_precision: DatePrecision = DatePrecision.DAY
    end: dt.date | None = Field(default=None, description="Last day of a multi-day event.")
    time: LocalTime | None = Field(default=None, description="Local time, with `timezone`.")
    timezone: str | None = Field(default=None, description="IANA zone, e.g. Asia/Baghdad.")
    time_utc: LocalTime | None = Field(default=None, description="UTC time as reported.")
    location: Location
    type: EventType = Field(description="ACLED sub-event type, e.g. 'Air/drone strike'.")
    actors: list[ActorRef] = Field(min_length=1)
    casualties: list[CasualtyReport] = Field(default_factory=list)
    targets: Figure | None = Field(
        default=None, description="Targets struck by the operation, as a source counted them "
        "(CENTCOM: 'more than 85 targets' is {min: 85}); an operation recorded as one incident "
        "per country gives each the operation's count and says so in notes.")
    claims: list[Claim] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    responds_to: list[Slug] = Field(default_factory=list)
    related: list[Slug] = Field(default_factory=list)
    escalation: EscalationOverride | None = None
    tags: list[Slug] = Field(default_factory=list)
    external_ids: dict[Slug, Text] = Field(
        default_factory=dict, description="This event's ids in other datasets, e.g. {acled: IRQ12345}; "
        "`reportgen import` skips rows whose id is already recorded.")
    marking: Marking | None = Field(default=None, description="TLP 2.0; project default if unset.")
    status: Status = Status.PUBLISHED
    summary: ProseMarkdown = ""
    notes: ProseMarkdown = Field(default="", description="The analyst's notes for readers "
                                  "(Markdown): what the sources leave open, how the figures were read.")
    internal_notes: InternalNotes = ""

    @property
    def event_type(self) -> str:
        return ACLED_SUB_EVENTS[self.type][0]

    @property
    def is_attack(self) -> bool:
        """Method rule `attacks`: a violent event by ACLED's event type, or an attack stopped
        by interception; every other incident is an other event, never a party's attack."""
        return self.event_type in ATTACK_EVENT_TYPES or self.type in ATTACK_SUB_EVENTS

    def statement_dates(self, actor_id: str) -> list[dt.date]:
        """When `actor_id` spoke about this incident (method rule `seen`): each of its claims'
        dates, the incident's date for a claim without one."""
        return [claim.date or self.date for claim in self.claims if claim.actor == actor_id]

    def actor_ids(self, *roles: str) -> list[str]:
        """Actor references, optionally only those with the given roles."""
        return [ref.actor for ref in self.actors if not roles or ref.role in roles]

    def acting_actor_ids(self) -> list[str]:
        """The acting party: the actors of the first role of ACTING_ROLES the incident has."""
        for role in ACTING_ROLES:
            found = self.actor_ids(role)
            if found:
                return list(dict.fromkeys(found))
        return []

    def response_ids(self) -> list[str]:
        """The incidents this one answers: the curator's `responds_to` links, then those a
        claim presents it as answering (`claims[].answers`)."""
        return list(dict.fromkeys([*self.responds_to, *(c.answers for c in self.claims if c.answers)]))

    def claims_answering(self, action_id: str) -> list[Claim]:
        """The claims whose speakers presented this incident as a response to `action_id`."""
        return [claim for claim in self.claims if claim.answers == action_id]

    def target_actor_ids(self) -> list[str]:
        """Who was acted upon: the targets, then the victims."""
        return list(dict.fromkeys(a for role in TARGET_ROLES for a in self.actor_ids(role)))

    @property
    def utc_moment(self) -> dt.datetime | None:
        """When it happened in UTC, if a time is known: the local time in its zone, else
        `time_utc` on the (local) date, which can be a day off near midnight; the validator
        warns when the two recorded times disagree."""
        if self.time and self.timezone:
            try:
                zone = ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                zone = None
            if zone is not None:
                local = dt.datetime.combine(self.date, dt.time.fromisoformat(self.time), zone)
                return local.astimezone(dt.UTC)
        if self.time_utc:
            return dt.datetime.combine(self.date, dt.time.fromisoformat(self.time_utc), dt.UTC)
        return None

    @property
    def sort_key(self) -> tuple:
        """The one order of incidents, in the chronology and in every analysis: by day; on a day,
        those known only to the day first, then by UTC moment; then by id."""
        moment = self.utc_moment
        return (self.date, moment is not None, moment or _EARLIEST, self.id)


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def chronological(incidents: Iterable[Incident]) -> list[Incident]:
    """Incidents in their one order (method rule `order`): by `Incident.sort_key`, except that
    on one day an incident that answers another of that day comes after it."""
    ordered = sorted(incidents, key=by_time)
    days: dict[dt.date, list[Incident]] = {}
    for incident in ordered:
        days.setdefault(incident.date, []).append(incident)
    return [incident for day in days.values() for incident in _answers_last(day)]


def _answers_last(day: list[Incident]) -> list[Incident]:
    """One day's incidents, each after the incidents of that day it answers, otherwise in
    their sort order (a cycle of answers, which validation reports, keeps the sort order)."""
    on_day = {incident.id for incident in day}
    placed: list[Incident] = []
    done: set[str] = set()
    pending = list(day)
    while pending:
        ready = next((i for i in pending
                      if not (set(i.response_ids()) & on_day) - done - {i.id}), pending[0])
        pending.remove(ready)
        placed.append(ready)
        done.add(ready.id)
    return placed


def by_time(incident: Incident) -> tuple:
    """The sort key of an incident, for `sorted` and `max`."""
    return incident.sort_key
