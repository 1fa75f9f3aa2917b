"""Vocabularies and small value types shared by incidents, actors and the config."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StringConstraints


@dataclass(frozen=True, slots=True)
class Form:
    """A form of text the model checks with a pattern, and how to tell a curator who missed it:
    `'b7' is not an Admiralty grade (reliability A-F then credibility 1-6, e.g. B2)`."""

    pattern: str
    wrong: str
    hint: str


SLUG_FORM = Form(r"^[a-z0-9][a-z0-9-]{0,119}$", "is not a valid id",
                 "use lower-case letters, digits and hyphens, e.g. 2024-02-07-baghdad")
GRADE_FORM = Form(r"^[A-F][1-6]$", "is not an Admiralty grade",
                  "reliability A-F then credibility 1-6, e.g. B2")
RELIABILITY_FORM = Form(r"^[A-F]$", "is not an Admiralty reliability", "one letter A-F")
COUNTRY_FORM = Form(r"^[A-Z]{2}$", "is not an ISO 3166-1 alpha-2 country code",
                    "two capitals, e.g. IQ; quote 'NO'")
TIME_FORM = Form(r"^([01]\d|2[0-3]):[0-5]\d$", "is not a 24-hour time", 'write HH:MM in quotes, e.g. "21:30"')
COLOUR_FORM = Form(r"^#[0-9a-fA-F]{6}$", "is not a colour", 'write "#rrggbb" in quotes, e.g. "#1f3b73"')
FORMS = {form.pattern: form for form in (SLUG_FORM, GRADE_FORM, RELIABILITY_FORM, COUNTRY_FORM,
                                         TIME_FORM, COLOUR_FORM)}
"""Every pattern the model checks, by pattern: validation finds its hint here."""
SLUG_PATTERN = SLUG_FORM.pattern

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    Field(description="Lower-case letters, digits and hyphens."),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]


class ReaderText:
    """Marks a field whose text readers see (a title, a note, a profile): `reportgen check`
    reads it for the curators' vocabulary (validate/language.py), so a field name, a path or a
    remark about the tooling goes to `internal_notes` instead of into a briefing."""

    def __repr__(self) -> str:
        return "READER"


READER = ReaderText()
Prose = Annotated[Text, READER]
"""A short text readers see: a title, a note, a rationale."""
Colour = Annotated[str, StringConstraints(pattern=COLOUR_FORM.pattern),
                   Field(description='A colour for charts, "#rrggbb".')]
LongText = Annotated[str, StringConstraints(max_length=100_000)]
MAX_COUNT = 1_000_000_000
Count = Annotated[StrictInt, Field(ge=0, le=MAX_COUNT)]
"""A whole number read from a file (people, an issue, a threshold): strictly an int, so `true`,
`2.5` or `"12"` are errors at their line instead of silently counting as 1, 2 or 12; at most a
billion, since no count of an incident or a tally comes near it (9223372036854775000 is a slip,
and other tools cannot hold it)."""
RungNumber = Annotated[StrictInt, Field(ge=0, le=20, description="A rung of the escalation ladder.")]
Markdown = Annotated[
    str,
    StringConstraints(max_length=100_000),
    Field(description="Markdown (CommonMark; raw HTML is not rendered)."),
]

ProseMarkdown = Annotated[Markdown, READER]
"""Markdown readers see: a summary, notes, a profile, a bottom line."""
InternalNotes = Annotated[
    str,
    StringConstraints(max_length=100_000),
    Field(description="The curators' own remarks (Markdown): how the record was curated, what "
          "to check, why a link or a role was chosen. Never shown in a briefing, mail or chart; "
          "kept in the JSON export."),
]

INTERNAL_FIELDS = frozenset({"internal_notes"})
"""The fields no reader is given: shown in no briefing, mail, chart or attached record; kept in
the JSON export, which is the desk's own."""


class Model(BaseModel):
    """Base for every hand-written record: unknown fields are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    def readers_data(self) -> dict:
        """The record as plain data without what is for the curators only (`internal_notes`)
        and without the defaults left out: what a reader may be given (a briefing's attached
        records) and what tells a reader a record changed (an edit of a curator's remark
        amends nothing they read)."""
        internal = INTERNAL_FIELDS & set(type(self).model_fields)
        return self.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude=internal)


class Marking(StrEnum):
    """TLP 2.0 labels, least to most restrictive."""

    CLEAR = "TLP:CLEAR"
    GREEN = "TLP:GREEN"
    AMBER = "TLP:AMBER"
    AMBER_STRICT = "TLP:AMBER+STRICT"
    RED = "TLP:RED"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def allows(self, other: Marking) -> bool:
        """True when a product marked `self` may contain a record marked `other`."""
        return other.rank <= self.rank

    @property
    def sharing_rule(self) -> str:
        """What recipients may do with it, per the FIRST TLP 2.0 definitions."""
        return SHARING_RULES[self]


_RANKS = {marking: rank for rank, marking in enumerate(Marking)}
"""Looked up, not searched: selecting records asks for a rank twice per record."""

SHARING_RULES = {
    Marking.CLEAR: "Recipients can spread this to the world; there is no limit on disclosure "
                   "(standard copyright rules apply).",
    Marking.GREEN: "Limited disclosure: recipients can spread this within their community, to peers "
                   "and partner organisations, but not via publicly accessible channels.",
    Marking.AMBER: "Limited disclosure: recipients can only spread this on a need-to-know basis "
                   "within their organisation and its clients.",
    Marking.AMBER_STRICT: "Limited disclosure: recipients can only spread this on a need-to-know basis "
                          "within their organisation, and not to its clients.",
    Marking.RED: "For the eyes and ears of individual recipients only; no further disclosure.",
}


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETRACTED = "retracted"


class DatePrecision(StrEnum):
    """How exactly the date is known (ACLED time precision 1, 2, 3)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class GeoPrecision(StrEnum):
    EXACT = "exact"
    NEAR = "near"
    CITY = "city"
    REGION = "region"
    COUNTRY = "country"

    @property
    def reading(self) -> str:
        """How exactly the place is known, in the reader's words."""
        return _GEO_READINGS[self]

    @property
    def placed(self) -> bool:
        """Whether coordinates of this precision say where it happened (a map marks them);
        those of a region or a country are a guess at its middle."""
        return self not in (GeoPrecision.REGION, GeoPrecision.COUNTRY)


_GEO_READINGS = {
    GeoPrecision.EXACT: "the exact site",
    GeoPrecision.NEAR: "near the place named",
    GeoPrecision.CITY: "located to the town or city",
    GeoPrecision.REGION: "located to the region only",
    GeoPrecision.COUNTRY: "located to the country only",
}


def _check_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"'{code}' is not an ISO 3166-1 alpha-2 country code")
    return code


CountryCode = Annotated[
    str,
    StringConstraints(pattern=COUNTRY_FORM.pattern),
    AfterValidator(_check_country),
    Field(description="ISO 3166-1 alpha-2 code, e.g. IQ. Quote NO (Norway)."),
]


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name if country else code


GRADE_PATTERN = GRADE_FORM.pattern
Grade = Annotated[
    str,
    StringConstraints(pattern=GRADE_PATTERN),
    Field(description="Admiralty grade: source reliability A-F and information credibility 1-6."),
]
Reliability = Annotated[
    str,
    StringConstraints(pattern=RELIABILITY_FORM.pattern),
    Field(description="Admiralty source reliability, A (completely reliable) to F (cannot judge)."),
]

RELIABILITY = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY = {
    "1": "confirmed by other sources",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}

TIME_PATTERN = re.compile(TIME_FORM.pattern)
LocalTime = Annotated[
    str,
    StringConstraints(pattern=TIME_PATTERN.pattern),
    Field(description="24-hour clock time HH:MM (quote it: \"21:30\")."),
]


class Period(Model):
    """An inclusive date range."""

    from_: dt.date = Field(alias="from")
    to: dt.date

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def contains(self, day: dt.date) -> bool:
        return self.from_ <= day <= self.to


ESTIMATIVE_TERMS: dict[str, tuple[int, str]] = {
    # ICD 203's two columns of likelihood terms: term -> (column, probability range)
    "almost no chance": (0, "1–5%"), "very unlikely": (0, "5–20%"), "unlikely": (0, "20–45%"),
    "roughly even chance": (0, "45–55%"), "likely": (0, "55–80%"), "very likely": (0, "80–95%"),
    "almost certain": (0, "95–99%"),
    "remote": (1, "1–5%"), "highly improbable": (1, "5–20%"), "improbable": (1, "20–45%"),
    "roughly even odds": (1, "45–55%"), "probable": (1, "55–80%"), "highly probable": (1, "80–95%"),
    "nearly certain": (1, "95–99%"),
}
"""A product uses one column only (see STANDARDS: ICD 203); `reportgen check` says where a
report mixes them, and briefings print each term with its range."""
Likelihood = Literal[tuple(ESTIMATIVE_TERMS)]  # type: ignore[valid-type]
Confidence = Literal["low", "moderate", "high"]
