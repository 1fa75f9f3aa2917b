"""The sources registry: outlets with a default reliability and why."""

from __future__ import annotations

from pydantic import Field

from reportgen.model.common import InternalNotes, Model, Prose, Reliability, Slug, Text


class Outlet(Model):
    id: Slug
    name: Text
    kind: Prose = Field(description="e.g. wire agency, military command, militia-affiliated channel")
    reliability: Reliability = Field(description="Default Admiralty source reliability.")
    rationale: Prose = Field(description="One line on why that grade.")
    url: Text | None = None
    internal_notes: InternalNotes = ""


class SourcesRegistry(Model):
    outlets: list[Outlet] = Field(min_length=1)
