"""A drawn chart: what a briefing shows and links. A module without matplotlib, so that a build
whose charts are all kept (`cache`) never loads it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Chart:
    name: str
    """File stem: tempo, swimlane, activity-<actor id>."""
    title: str
    svg: bytes
    alt: str
    key: str = ""
    """How to read its marks, for the caption (the map's differs with how many it shows)."""
