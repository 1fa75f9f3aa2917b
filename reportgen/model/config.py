"""The project config, `reportgen.yaml`: reports, escalation ladder, mail settings."""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from enum import StrEnum
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
from reportgen.model.text import MONTH_NAMES, MONTHS
from reportgen.model.vocabulary import INDICATOR_STATUSES, ActorKind, EventType, IndicatorStatus
from reportgen.problems import Problem, ReportgenError, error

Format = Literal[FORMATS]  # type: ignore[valid-type]
Section = Literal[
    "cover",
    "bottom-line",
    "key-judgments",
    "since-last-issue",
    "at-a-glance",
    "map",
    "escalation",
    "incidents",
    "chronology",
    "actors",
    "basis",
    "outlook",
    "evidence",
    "ladder",
    "responses",
    "weekly",
    "changes",
    "sources",
    "actor-index",
]
FRONT_PAGE: tuple[Section, ...] = ("cover", "bottom-line", "key-judgments", "since-last-issue",
                                   "at-a-glance", "map")
"""The sections that brief before the contents, when a report shows them; they come first:
page 1, then the map on a page of its own."""
DEFAULT_SECTIONS: list[Section] = [*FRONT_PAGE, "escalation", "incidents", "chronology", "actors",
                                   "basis", "outlook"]
DEFAULT_ANNEXES: list[Section] = ["evidence", "ladder", "responses", "weekly", "changes",
                                  "sources", "actor-index"]
Reviewable = Literal["subtitle", "bottom-line", "key-judgments", "outlook"]
"""What `reportgen next` carries over into the next issue unchanged, by the section's name; each
names the report field of that name (`bottom-line` -> `bottom_line`). The subtitle only when it
names the period (`Report.dated_subtitle`)."""


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
    indicators: list[Prose] = Field(default_factory=list, description="What the judgment rests on: "
                                   "evidence already observed, each a short phrase (printed as "
                                   "'Rests on'); what to watch goes in the report's outlook.")
    alternative: Prose | None = Field(default=None, description="The outcome that would prove it "
                                     "wrong, and what would signal it.")


class Cadence(StrEnum):
    """How often a report is issued: the length of the period `reportgen next` rolls to."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"

    def period_after(self, end: dt.date) -> Period:
        """The next issue's period: from the day after `end`, one cadence long. A month ends on
        the same day of the next month as `end` (on its last day when `end` is a month's last
        day, or the next month is shorter): calendar months stay calendar months."""
        start = end + dt.timedelta(days=1)
        if self is Cadence.MONTHLY:
            last = _month_after(end)
        else:
            last = start + dt.timedelta(days=(7 if self is Cadence.WEEKLY else 14) - 1)
        return Period(**{"from": start, "to": last})


def _month_after(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    length = calendar.monthrange(year, month)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, length if month_end else min(day.day, length))


class Indicator(Model):
    """Something to watch for: what would be observed, in which period, whether it had been as
    of the report's cut-off, and the incidents that bear on it (`reportgen check` holds the
    status to the record: see `validate.rules`)."""

    text: Text = Field(description="What would be observed, e.g. 'Kataib Hezbollah resumes "
                       "claimed attacks on US forces'.")
    time_frame: Period = Field(description="The period it covers: {from: YYYY-MM-DD, to: YYYY-MM-DD}.")
    status: IndicatorStatus = Field(description="What had been seen of it as of the cut-off "
                                    "(or `as_of`).")
    incidents: list[Slug] = Field(default_factory=list, description="Ids of the incidents that "
                                  "bear on it: what was observed, or what it follows from.")
    judgment: StrictInt | None = Field(default=None, ge=1, description="The key judgment it "
                                       "bears on, by its number in the report's list (1 is the first).")
    likelihood: Likelihood | None = Field(default=None, description="How likely it is to be "
                                          "observed within its time frame (an ICD 203 term).")
    as_of: dt.date | None = Field(default=None, description="When its status was last assessed; "
                                  "the report's cut-off when left out.")
    note: Text | None = None

    @property
    def status_label(self) -> str:
        """The status as a reader sees it: 'not yet observed'."""
        return INDICATOR_STATUSES[self.status]


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
    previous_issue: dt.date | None = Field(default=None, description="The information date of "
                                            "the issue before this one, for 'since the last issue'.")
    cadence: Cadence = Field(default=Cadence.WEEKLY, description="How often the report is issued: "
                             "`reportgen next` rolls the period by this much.")
    review: list[Reviewable] = Field(
        default_factory=list, description="What `reportgen next` carried over unchanged from the "
        "issue before; `reportgen check` warns about each until it is removed from this list "
        "(reviewed and confirmed).")
    marking: Marking = Marking.CLEAR
    filters: Filters = Filters()
    sections: list[Section] = Field(default=DEFAULT_SECTIONS, description="The main text, in "
                                    "order; the front-page sections come first wherever listed.")
    annexes: list[Section] = Field(default=DEFAULT_ANNEXES, description="The evidence after the "
                                   "main text, in order, lettered A, B, C.")
    formats: list[Format] = ["md", "html", "pdf"]
    attach: list[Format] = Field(default_factory=lambda: ["pdf"], description="What `reportgen "
                                 "mail` attaches to each email, in this order, each built first "
                                 "(each must be among `formats`), e.g. [pdf, docx].")
    group_by: Literal["month", "week"] = "month"
    bottom_line: ProseMarkdown = ""
    key_judgments: list[KeyJudgment] = Field(default_factory=list)
    outlook: list[Indicator] = Field(default_factory=list, description="Indicators to watch, "
                                     "each with its time frame and status.")
    phases: list[Phase] = Field(default_factory=list)
    distribution: list[Slug] = Field(default_factory=list)
    pdf: PdfOptions = PdfOptions()
    language: str = "en"

    @model_validator(mode="before")
    @classmethod
    def _annexes_besides_sections(cls, data: Any) -> Any:
        """A report listing its sections but not its annexes gets the default annexes it did not
        put in its main text."""
        if isinstance(data, dict) and isinstance(data.get("sections"), list) and "annexes" not in data:
            return {**data, "annexes": [a for a in DEFAULT_ANNEXES if a not in data["sections"]]}
        return data

    @model_validator(mode="after")
    def _each_section_once(self) -> Report:
        listed = [*self.sections, *self.annexes]
        twice = sorted({name for name in listed if listed.count(name) > 1})
        if twice:
            raise ValueError(f"section {', '.join(twice)} is listed more than once in sections "
                             "and annexes (each is shown in one place)")
        return self

    @model_validator(mode="after")
    def _reviewable(self) -> Report:
        for item in self.review:
            if not getattr(self, review_field(item), None):
                raise ValueError(f"review: this report has no {item.replace('-', ' ')}")
        return self

    @property
    def issue_date(self) -> dt.date:
        """The information date of this issue: the cut-off, or the period's end."""
        return self.cutoff or self.period.to

    @property
    def last_day(self) -> dt.date:
        """The last day an incident or a count may fall on: the period's end, never after the
        cut-off."""
        return min(self.period.to, self.issue_date)

    def carried_over(self) -> list[Reviewable]:
        """What the next issue takes over unchanged and must review: the fields of
        `Reviewable` this report has and fills, the subtitle only when it names the period."""
        return [item for item in get_args(Reviewable) if getattr(self, review_field(item), None)
                and (item != "subtitle" or self.dated_subtitle)]

    @property
    def dated_subtitle(self) -> bool:
        """Whether the subtitle names the period: a year of it, or a month of it by name or
        abbreviation ("Escalation chronology, October 2023 to February 2024"). `reportgen next`
        cannot tell what such a subtitle should say next, so it puts it on review."""
        words = set(re.findall(r"[a-z]+|\d{4}", (self.subtitle or "").casefold()))
        first, last = self.period.from_, self.period.to
        years = {str(year) for year in range(first.year, last.year + 1)}
        months = {(first.month - 1 + n) % 12 for n in range(min(
            (last.year - first.year) * 12 + last.month - first.month + 1, 12))}
        names = {word for n in months for word in (MONTHS[n].casefold(), MONTH_NAMES[n].casefold())}
        return bool(words & (years | names))


def review_field(item: str) -> str:
    """The report field a `review` item names."""
    return item.replace("-", "_")


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

    def report_problem(self, report_id: str, field: str | tuple, message: str, hint: str = "") -> Problem:
        """An error at one field of a report's entry (or a place inside it: `("review", 0)`),
        found by its id in the file (a redacted view's config holds that report only)."""
        entries = self._document.data.get("reports", []) if self._document is not None else []
        ids = [entry.get("id") if isinstance(entry, dict) else None for entry in entries]
        inside = field if isinstance(field, tuple) else (field,)
        loc = ("reports", ids.index(report_id), *inside) if report_id in ids else ("reports",)
        return self.problem(loc, message, hint)
