"""An actor: a militia, an umbrella group, a state force or a command."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, model_validator

from reportgen.model.common import (
    CountryCode,
    InternalNotes,
    Marking,
    Model,
    Prose,
    ProseMarkdown,
    Slug,
    Text,
)
from reportgen.model.incident import SourceRef
from reportgen.model.vocabulary import AcledActorType, ActorKind, LeaderStatus, Relation


class Affiliation(Model):
    actor: str = Field(description="The other actor's id, name or alias.")
    relation: Relation
    since: dt.date | None = None
    until: dt.date | None = None
    note: Prose | None = None


class Leader(Model):
    name: Text
    native_name: Text | None = None
    role: Text | None = None
    status: LeaderStatus = "unknown"
    since: dt.date | None = None
    until: dt.date | None = None
    incident: Slug | None = Field(default=None, description="Incident that ended the tenure.")
    note: Prose | None = None


class Designation(Model):
    by: Text = Field(description="Designating body, e.g. 'US Department of State'.")
    designation: Text
    date: dt.date | None = None
    note: Prose | None = None


class Actor(Model):
    """`id` equals the file name without `.yaml`."""

    id: Slug = Field(description="Lower-case letters, digits and hyphens; the file name without .yaml.")
    name: Text
    native_name: Text | None = Field(default=None, description="Name in its own script.")
    personnel: Text | None = Field(default=None, description="What readers call its people "
                                   "where their killed and injured are counted ('US military "
                                   "personnel' for the US Department of Defense); its name when "
                                   "not given.")
    aliases: list[Text] = Field(default_factory=list)
    kind: ActorKind
    acled_type: AcledActorType | None = None
    country: CountryCode | None = Field(default=None, description="Home country.")
    side: Slug | None = Field(default=None, description="Which side it counts for in tempo charts.")
    area_of_operations: list[CountryCode] = Field(default_factory=list)
    affiliations: list[Affiliation] = Field(default_factory=list)
    leaders: list[Leader] = Field(default_factory=list)
    designations: list[Designation] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    marking: Marking | None = None
    profile: ProseMarkdown = ""
    internal_notes: InternalNotes = ""

    @model_validator(mode="after")
    def _leader_dates(self) -> Actor:
        for leader in self.leaders:
            if leader.since and leader.until and leader.until < leader.since:
                raise ValueError(f"leader {leader.name}: until is before since")
        return self

    @property
    def names(self) -> list[str]:
        """Every name this actor can be referred to by."""
        return [self.id, self.name, *self.aliases] + ([self.native_name] if self.native_name else [])
