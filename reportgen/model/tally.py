"""Official tallies: a named body's running count (the Pentagon's attacks on US forces since
17 October 2023), kept apart from the curated incidents in `tallies.yaml`.

A briefing's incidents are a curated selection, not a count of events; a tally is what a
source counted. Each count is dated and attributed, and kept as given: a count that a later
one revises stays a dated statement, never a point of an invented series.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from reportgen.model.common import Count, InternalNotes, Marking, Model, Prose, Slug, Text
from reportgen.model.incident import FigureRange, SourceRef


class TallyCount(Model):
    """One count as one source gave it: `{min: 150}` for "more than 150"."""

    date: dt.date = Field(description="The day the count was given for (as of).")
    count: Count | FigureRange = Field(description="A whole number, or {min: N} for 'at least N'.")
    according_to: Text = Field(description="Who gave it, e.g. 'the deputy Pentagon press secretary'.")
    note: Prose | None = None
    source: SourceRef


class Tally(Model):
    """What one body counted, and the counts it gave: a sample's context, never its data."""

    id: Slug
    title: Prose = Field(description="What is counted, e.g. 'Attacks on US forces in Iraq and Syria'.")
    counted_by: Text = Field(description="The body whose count it is, e.g. 'US Department of Defense'.")
    since: dt.date | None = Field(default=None, description="The day the count starts from.")
    marking: Marking | None = Field(default=None, description="TLP 2.0; project default if unset.")
    counts: list[TallyCount] = Field(min_length=1)
    note: Prose | None = None
    internal_notes: InternalNotes = ""


class TalliesFile(Model):
    tallies: list[Tally] = Field(min_length=1)
