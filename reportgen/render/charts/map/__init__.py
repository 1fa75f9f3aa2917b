"""The map of a briefing's incidents (method rule `map`), a room of its own: where the
incidents are (`reportgen.analyse.places`), the ground it is drawn on (`ground`: land, coasts
and borders from `reportgen.geography`, the outlines `check` uses), where a country's name goes
(`country_names`), where markers and
names go without covering each other (`layout`), the drawing (`draw`) and its words for a
screen reader (`describe`). Nothing is fetched."""

from __future__ import annotations

from reportgen.analyse import EscalationAnalysis
from reportgen.model.incident import Incident
from reportgen.render.charts.chart import Chart
from reportgen.render.charts.common import _render
from reportgen.render.charts.map.describe import describe
from reportgen.render.charts.map.draw import draw_map

PAGE_WIDTH = 6.7
"""Inches: the printed page's text width, so the map is printed at the size it is drawn."""
PHONE_WIDTH = 3.6
"""Inches: about a phone's screen at 96 px an inch, so its names stay 8 pt."""
KEY = ("Each marker is a place: the number in it is how many of the briefing's incidents "
       "happened there; its ring shows the parties that acted in them, each colour in proportion "
       "to its incidents. A marker drawn away from its place, where it would cover another, is "
       "joined by a line to a dot at the place.")


def draw(analysis: EscalationAnalysis) -> list[Chart]:
    """The map at the page's width and at a phone's, when an incident has a place to mark."""
    return [map_chart(analysis), map_chart(analysis, phone=True)] if mapped(analysis) else []


def map_chart(analysis: EscalationAnalysis, phone: bool = False) -> Chart:
    """The map at the page's width ("map"), or at a phone's ("map-phone")."""
    title = "Where the incidents happened"
    svg, alt = _render(_draw, analysis, title, phone)
    return Chart("map-phone" if phone else "map", title, svg, alt, KEY)


def _draw(analysis: EscalationAnalysis, title: str, phone: bool):
    figure = draw_map(analysis, title, PHONE_WIDTH if phone else PAGE_WIDTH, phone)
    return figure, title, describe(analysis, analysis.places())


def mapped(analysis: EscalationAnalysis) -> list[Incident]:
    """The incidents the map marks, oldest first."""
    return [i for i in analysis.incidents if i.location.map_points]
