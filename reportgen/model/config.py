"""The project config, `reportgen.yaml`: reports, escalation ladder, mail settings."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any, Literal, get_args

from pydantic import Field, PrivateAttr, StrictInt, model_validator

from reportgen.layout import CONFIG_FILE, FORMATS
from reportgen.model.address import DisplayName, EmailAddress, Mailbox
from reportgen.model.common import (
    Colour,
    Confidence,
    Count,
    CountryCode,
    Likelihood,
    Marking,
    Model,
    Period,
    Prose,
    ProseMarkdown,
    RungNumber,
    Slug,
    Status,
    Text,
)
from reportgen.model.vocabulary import ActorKind, EventType
from reportgen.problems import Problem, ReportgenError, error

Format = Literal[FORMATS]  # type: ignore[valid-type]
Section = Literal[
    "cover",
    "bottom-line",
    "key-judgments",
    "escalation",
    "changes",
    "chronology",
    "actors",
    "sources",
    "actor-index",
]
DEFAULT_SECTIONS: list[Section] = list(get_args(Section))


class Filters(Model):
    """Which incidents a report selects; empty lists select everything."""

    countries: list[CountryCode] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list, description="Actor ids or aliases; members included.")
    tags: list[Slug] = Field(default_factory=list)
    types: list[EventType] = Field(default_factory=list)
    statuses: list[Status] = [Status.PUBLISHED]


class KeyJudgment(Model):
    """An ICD 203 judgment: a likelihood term and, separately, a confidence level; for an
    estimate, the time it covers, the indicators it rests on and the alternative to watch."""

    text: ProseMarkdown
    likelihood: Likelihood | None = None
    confidence: Confidence
    time_frame: Prose | None = Field(default=None, description="The period the estimate covers, "
                                    "e.g. 'the next three months'.")
    indicators: list[Prose] = Field(default_factory=list, description="What the judgment rests on "
                                   "and what to watch, each a short phrase.")
    alternative: Prose | None = Field(default=None, description="The outcome that would prove it "
                                     "wrong, and what would signal it.")


class Phase(Model):
    name: Prose
    from_: dt.date = Field(alias="from")
    to: dt.date
    note: Prose | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Phase:
        if self.from_ > self.to:
            raise ValueError(f"phase '{self.name}' starts after it ends")
        return self


class PdfOptions(Model):
    page_size: Literal["A4", "Letter"] = "A4"
    variant: Literal["pdf/ua-1", "pdf/a-3b", "none"] = "pdf/ua-1"
    attach_sources: bool = False


class Report(Model):
    id: Slug
    title: Prose
    subtitle: Prose | None = None
    short_title: Text | None = None
    issue: StrictInt = Field(default=1, ge=1)
    period: Period
    cutoff: dt.date | None = Field(default=None, description="Information as of; defaults to period end.")
    previous_issue: dt.date | None = None
    marking: Marking = Marking.CLEAR
    filters: Filters = Filters()
    sections: list[Section] = DEFAULT_SECTIONS
    formats: list[Format] = ["md", "html", "pdf"]
    group_by: Literal["month", "week"] = "month"
    bottom_line: ProseMarkdown = ""
    key_judgments: list[KeyJudgment] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    distribution: list[Slug] = Field(default_factory=list)
    pdf: PdfOptions = PdfOptions()
    language: str = "en"


class RungRule(Model):
    """Conditions an incident must all meet to reach a rung."""

    types: list[EventType] = Field(default_factory=list)
    min_killed: Count | None = None
    min_injured: Count | None = None
    killed_kinds: list[ActorKind] = Field(
        default_factory=list, description="Count only the dead of actors of these kinds (the "
        "figures' `party`), e.g. [state-force] for hostile-fire deaths of state personnel.")
    min_targets: Count | None = Field(
        default=None, description="At least this many targets struck (the incident's `targets`).")
    target_kinds: list[ActorKind] = Field(default_factory=list)
    perpetrator_kinds: list[ActorKind] = Field(default_factory=list)
    leadership_targeted: bool | None = None
    capital: bool | None = None
    countries: list[CountryCode] = Field(default_factory=list)


class Rung(Model):
    rung: RungNumber
    name: Prose
    description: Prose | None = None
    when: list[RungRule] = Field(default_factory=list, description="Any rule matching reaches this rung.")


class Recipient(Model):
    name: DisplayName
    address: EmailAddress


class DistributionList(Model):
    name: Slug
    marking: Marking = Field(description="Most restrictive marking this list may receive.")
    recipients: list[Recipient] = Field(min_length=1)


class Smtp(Model):
    host: Text
    port: StrictInt = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: Text | None = None
    password_env: Text | None = Field(default=None, description="Environment variable name.")
    sender: Mailbox
    timeout: float = Field(default=30, gt=0)
    max_size_mb: float = Field(default=10, gt=0)

    @model_validator(mode="after")
    def _password_safely(self) -> Smtp:
        if self.username and not self.password_env:
            raise ValueError("smtp.username is set but password_env is not "
                             "(name the environment variable holding the password)")
        if self.username and self.security == "none":
            raise ValueError("refusing to send an SMTP password without TLS "
                             "(use security: starttls or ssl)")
        return self


class ProjectInfo(Model):
    title: Prose
    desk: Prose = Field(description="Issuing desk, shown on the cover.")
    default_marking: Marking = Marking.CLEAR
    templates: Text = "templates"
    max_plausible_casualties: StrictInt = Field(
        default=10_000, ge=1, description="A killed or injured figure above this is warned about as a "
        "likely typo; raise it for a conflict where one incident can exceed it.")


class Side(Model):
    """A side of the conflict, as readers see it: actors name it by id (`side: us`)."""

    label: Prose = Field(description="What readers see, e.g. 'US and coalition forces'.")
    colour: Colour | None = Field(default=None, description="Its colour in the charts; a "
                                  "colour of the theme's palette when left out.")


class ProjectConfig(Model):
    project: ProjectInfo
    reports: list[Report] = Field(min_length=1)
    sides: dict[Slug, Side] = Field(
        default_factory=dict, description="Every side an actor's `side` names, with the label "
        "and colour readers see (a side's id never reaches a briefing).")
    escalation_ladder: list[Rung] = Field(default_factory=list)
    distribution_lists: list[DistributionList] = Field(default_factory=list)
    smtp: Smtp | None = None
    _document: Any = PrivateAttr(default=None)
    """The parsed reportgen.yaml it was made from (`load.yaml_loader.Document`), kept so that a
    problem found later is placed on its line without reading the file again."""

    def located(self, document: Any) -> ProjectConfig:
        """This config, remembering the document it came from."""
        self._document = document
        return self

    def problem(self, loc: tuple, message: str, hint: str = "") -> Problem:
        """An error on the line of reportgen.yaml that `loc` names (its first line when unknown)."""
        line, column = self._document.locate(loc) if self._document is not None else (1, 1)
        return error(CONFIG_FILE, line, column, message, hint)

    def report(self, report_id: str) -> Report:
        """The report with this id, or ReportgenError: an unknown report, with the ones there are."""
        return self._named(self.reports, "id", report_id, "reports", "report")

    def distribution_list(self, name: str) -> DistributionList:
        return self._named(self.distribution_lists, "name", name, "distribution_lists", "distribution list")

    def _named(self, items: list, key: str, wanted: str, field: str, what: str):
        """The item of that name, or a stop (exit 2, as for a usage error) listing them all."""
        for item in items:
            if getattr(item, key) == wanted:
                return item
        known = [getattr(item, key) for item in items]
        close = difflib.get_close_matches(wanted, known, n=1)
        listed = f"the {field.replace('_', ' ')}: {', '.join(known) or 'none'}"
        hint = f"did you mean '{close[0]}'? ({listed})" if close else listed
        raise ReportgenError([self.problem((field,), f"no {what} '{wanted}'", hint)], exit_code=2)

    @property
    def default_report(self) -> Report:
        """The report a command means when none is named: the first in reportgen.yaml."""
        return self.reports[0]

    def report_problem(self, report_id: str, field: str, message: str, hint: str = "") -> Problem:
        """An error at one field of a report's entry, found by its id in the file (a redacted
        view's config holds that report only)."""
        entries = self._document.data.get("reports", []) if self._document is not None else []
        ids = [entry.get("id") if isinstance(entry, dict) else None for entry in entries]
        loc = ("reports", ids.index(report_id), field) if report_id in ids else ("reports",)
        return self.problem(loc, message, hint)
