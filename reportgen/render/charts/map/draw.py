"""Drawing the map (method rule `map`): the ground, a marker per place, names that cover
nothing, a small legend under it.

An equirectangular map as wide as the page's text (or a phone's screen), as high as its extent
needs. Geometry is worked out in points before anything is drawn (`layout`), from the map's
own scale: `points_per_degree` east-west, that divided by the cosine of the middle latitude
north-south.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Rectangle, Wedge
from matplotlib.textpath import TextToPath
from matplotlib.transforms import ScaledTranslation

from reportgen.analyse import EscalationAnalysis
from reportgen.analyse.capitals import CAPITALS, Capital
from reportgen.analyse.places import KM_PER_DEGREE, SAME_PLACE_KM, Extent, Place, Places, km_between
from reportgen.geography import near, outline
from reportgen.model.common import country_name
from reportgen.model.text import counted
from reportgen.render.charts.common import HALO, side_styles
from reportgen.render.charts.map.country_names import name_point
from reportgen.render.charts.map.describe import parties
from reportgen.render.charts.map.ground import borders, coasts, land
from reportgen.render.charts.map.layout import Disc, Label, disc_box, place_labels, place_markers

SEA, GROUND, COAST, BORDER = "#dbe6ee", "#fbfaf6", "0.55", "0.35"
PLACE_FONT, CAPITAL_FONT, COUNTRY_FONT, COUNT_FONT, LEGEND_FONT = 8.0, 7.5, 9.0, 7.5, 8.0
"""Points: the sizes at which text stays legible at the drawn size (page or phone)."""
LINE = 1.2
"""Line height over font size."""
NAME_WIDTH = 22
"""Characters after which a place's name wraps."""
RADIUS, DIGIT = 7.5, 2.5
"""Points: a marker's radius for a one-digit count, and what each further digit adds."""
RING = 2.4
"""Points: the width of a marker's ring of party colours."""
CAPITAL_DOT = 3.0
LEGEND_ROW = 0.19
"""Inches per row of the legend."""
PHONE_TEXT = 1.15
"""How much larger names are set on a phone's map than on the page's."""
MAP_LABELLED = 12
"""Places a map of more than MAP_NUMBERED incidents names, the busiest first."""
_measure = TextToPath()


@dataclass(frozen=True, slots=True)
class Frame:
    """The drawn map: its extent, and how many points a degree of longitude takes."""

    extent: Extent
    per_degree: float

    def at(self, lon: float, lat: float) -> tuple[float, float]:
        """A place's position in points from the map's lower left corner."""
        return ((lon - self.extent.west) * self.per_degree,
                (lat - self.extent.south) * self.per_degree / self.extent.shrink)

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, *self.at(self.extent.east, self.extent.north))


def draw_map(analysis: EscalationAnalysis, title: str, width: float, phone: bool):
    """The map `width` inches wide and its legend. On a phone's map names are set larger (the
    page's names would be 6 px high on a phone) and a place's name is left out where it would
    cover anything (the list under the map names every place); on the page's, every place is
    named."""
    places = analysis.places()
    extent = places.extent
    frame = Frame(extent, width * 72 / (extent.east - extent.west))
    height = frame.box[3] / 72
    entries = _legend_entries(analysis, places)
    legend = LEGEND_ROW * (math.ceil((len(entries) + 2) / (1 if phone else 2)) + 0.6)
    figure = Figure(figsize=(width, height + legend))
    axes = figure.add_axes((0, legend / (height + legend), 1, height / (height + legend)))
    axes.set_autoscale_on(False)
    axes.set_xlim(extent.west, extent.east)
    axes.set_ylim(extent.south, extent.north)
    axes.set_axis_off()  # no ticks: making them was a sixth of a map's cost
    axes.add_patch(Rectangle((0, 0), 1, 1, transform=axes.transAxes, facecolor=SEA,
                             edgecolor="black", linewidth=0.6, zorder=0))
    _draw_ground(axes, extent)
    capitals = capitals_shown(extent, places)
    discs = [Disc(*frame.at(p.lon, p.lat), marker_radius(p)) for p in places.places]
    centres = place_markers(discs, frame.box)
    markers = [disc_box(Disc(x, y, d.radius)) for (x, y), d in zip(centres, discs, strict=True)]
    marks = [_dot_box(frame, city) for city in capitals] + _furniture(axes, frame)
    names = _names(frame, places, discs, centres, capitals, PHONE_TEXT if phone else 1.0, phone)
    styles = side_styles(dict.fromkeys([*analysis.tempo.sides, *parties(analysis, places)]),
                         analysis.sides)  # the tempo's colours, whatever the map leaves out
    for n, (place, disc, centre) in enumerate(zip(places.places, discs, centres, strict=True)):
        _draw_marker(figure, axes, place, disc, centre, styles, f"place-{n + 1}")
    spots = place_labels([n.label for n in names], markers, marks, frame.box)
    for name, spot in zip(names, spots, strict=True):
        if spot is not None:
            axes.text(extent.west + spot.x / frame.per_degree,
                      extent.south + spot.y * extent.shrink / frame.per_degree, name.text,
                      ha=spot.ha, va=spot.va, fontsize=name.size, style=name.style,
                      color=name.colour, linespacing=LINE, path_effects=HALO, zorder=8)
    for city in capitals:
        _capital_mark(axes, city.lon, city.lat)
    _legend(figure, entries, styles, capitals, legend / (height + legend), phone)
    return figure


@dataclass(frozen=True, slots=True)
class Name:
    """A name to set on the map: its words, how it is set, and where it may go."""

    text: str
    size: float
    style: str
    colour: str
    label: Label


def _names(frame: Frame, places: Places, discs: list[Disc], centres: list[tuple[float, float]],
           capitals: list[Capital], grow: float, phone: bool) -> list[Name]:
    """The places' names (on a counted map the busiest only; a place at a capital says so),
    then the capitals', then the countries' (dropped where they would cover anything)."""
    named = places.places[:MAP_LABELLED] if places.counted else places.places
    found = []
    for place, centre, disc in zip(places.places, centres, discs, strict=True):
        if place in named:
            text = _wrapped(_place_name(place) + _country_beside(frame, place, centre))
            found.append(Name(text, PLACE_FONT * grow, "normal", "0.1", Label(
                *centre, *_size(text, PLACE_FONT * grow), clear=disc.radius, optional=phone)))
    for city in capitals:
        found.append(Name(city.name, CAPITAL_FONT * grow, "italic", "0.25", Label(
            *frame.at(city.lon, city.lat), *_size(city.name, CAPITAL_FONT * grow, "italic"),
            clear=CAPITAL_DOT)))
    for name, point in _countries(frame.extent, places):
        found.append(Name(name, COUNTRY_FONT * grow, "normal", "0.45", Label(
            *frame.at(*point), *_size(name, COUNTRY_FONT * grow), optional=True, centred=True)))
    return found


def _place_name(place: Place) -> str:
    """The place's name; "Baghdad (capital)" where a capital's marker gives way to it."""
    city = next((c for cities in CAPITALS.values() for c in cities
                 if km_between((c.lon, c.lat), (place.lon, place.lat)) < SAME_PLACE_KM), None)
    if city is None:
        return place.name
    if city.name in place.name:
        return f"{place.name} (capital)"
    return f"{place.name}, {city.name} (capital)"


def _country_beside(frame: Frame, place: Place, centre: tuple[float, float]) -> str:
    """" (Jordan)" when the place's marker stands outside its country's outline (a base on a
    border, a marker set beside its place): a reader would take it for the neighbour's."""
    code = place.incidents[0].location.country
    rings = outline(code)
    lon = frame.extent.west + centre[0] / frame.per_degree
    lat = frame.extent.south + centre[1] * frame.extent.shrink / frame.per_degree
    return "" if not rings or near(rings, lat, lon, margin=0.0) else f" ({country_name(code)})"


def _capital_mark(axes, lon: float, lat: float) -> None:
    axes.plot([lon], [lat], marker="o", markersize=5.5, markerfacecolor="white",
              markeredgecolor="black", markeredgewidth=0.8, zorder=4)
    axes.plot([lon], [lat], marker="o", markersize=1.8, color="black", zorder=4)


def marker_radius(place: Place) -> float:
    return RADIUS + DIGIT * (len(str(len(place.incidents))) - 1)


def capitals_shown(extent: Extent, places: Places) -> list[Capital]:
    """The capitals on the map (on a map wider than a region, only those of the countries of
    its places, or they would crowd it), less those at a place (its marker stands there)."""
    regional = max(extent.east - extent.west, extent.north - extent.south) <= 25
    countries = {i.location.country for p in places.places for i in p.incidents}
    codes = sorted(CAPITALS) if regional else sorted(countries)
    return [city for code in codes for city in CAPITALS.get(code, ())
            if extent.contains(city.lon, city.lat)
            and all(km_between((city.lon, city.lat), (p.lon, p.lat)) >= places.radius_km
                    for p in places.places)]


def _countries(extent: Extent, places: Places) -> list[tuple[str, tuple[float, float]]]:
    """(name, (lon, lat)) of each country on the map with room for its name."""
    codes = sorted(set(CAPITALS) | {i.location.country for i in places.on_map})
    found = [(country_name(code).upper(), name_point(code, extent)) for code in codes]
    return [(name, point) for name, point in found if point is not None]


def _wrapped(name: str) -> str:
    return textwrap.fill(name, NAME_WIDTH)


def _size(text: str, size: float, style: str = "normal") -> tuple[float, float]:
    """(width, height) in points of `text` set at `size`."""
    font = FontProperties(family="DejaVu Sans", size=size, style=style)
    lines = text.split("\n")
    width = max(_measure.get_text_width_height_descent(line, font, ismath=False)[0]
                for line in lines)
    return width, size * LINE * len(lines)


def _dot_box(frame: Frame, city: Capital) -> tuple[float, float, float, float]:
    x, y = frame.at(city.lon, city.lat)
    return x - CAPITAL_DOT, y - CAPITAL_DOT, x + CAPITAL_DOT, y + CAPITAL_DOT


def _draw_ground(axes, extent: Extent) -> None:
    """Land over sea, its coasts, then the borders on top (all from `reportgen.geography`).
    Collections, not a patch a shape: the map's limits are set, so nothing needs measuring."""
    axes.add_collection(PolyCollection(land(extent), facecolors=GROUND, edgecolors="none",
                                       zorder=1), autolim=False)
    axes.add_collection(LineCollection(coasts(extent), colors=COAST, linewidths=0.4,
                                       zorder=1.5), autolim=False)
    for n, line in enumerate(borders(extent), start=1):
        axes.plot(line[:, 0], line[:, 1], color=BORDER, linewidth=0.8, zorder=2,
                  gid=f"border-{n}")


def _draw_marker(figure, axes, place: Place, disc: Disc, centre: tuple[float, float],
                 styles: dict, gid: str) -> None:
    """The place's ring of party colours around its count, set at `centre`; a line and a dot
    join it to its place when it stands apart."""
    dx, dy = centre[0] - disc.x, centre[1] - disc.y
    anchor = figure.dpi_scale_trans + ScaledTranslation(place.lon, place.lat, axes.transData)
    middle = (dx / 72, dy / 72)
    if dx or dy:
        axes.annotate("", (place.lon, place.lat), xytext=(dx, dy), textcoords="offset points",
                      zorder=6, arrowprops={"arrowstyle": "-", "color": "black",
                                            "linewidth": 0.6, "shrinkA": 0, "shrinkB": 0})
        axes.plot([place.lon], [place.lat], marker="o", markersize=2.5, color="black", zorder=6)
    total = sum(n for _, n in place.shares)
    start = 90.0
    for party, n in place.shares:
        sweep = 360.0 * n / total
        axes.add_artist(Wedge(middle, disc.radius / 72, start - sweep, start,
                              width=RING / 72, facecolor=styles[party][0], edgecolor="none",
                              transform=anchor, zorder=7))
        start -= sweep
    axes.add_artist(Circle(middle, (disc.radius - RING) / 72, facecolor="white",
                           edgecolor="none", transform=anchor, zorder=7))
    axes.add_artist(Circle(middle, disc.radius / 72, facecolor="none", edgecolor="black",
                           linewidth=0.5, transform=anchor, zorder=7, gid=gid))
    axes.annotate(str(len(place.incidents)), (place.lon, place.lat), xytext=(dx, dy),
                  textcoords="offset points", ha="center", va="center_baseline",
                  fontsize=COUNT_FONT, fontweight="bold", zorder=8)


def _furniture(axes, frame: Frame) -> list[tuple[float, float, float, float]]:
    """A scale bar (lower left) and a north arrow (upper right); returns the boxes they take."""
    extent = frame.extent
    right, top = frame.box[2], frame.box[3]
    lat = extent.south + 0.05 * (extent.north - extent.south)
    per_degree = KM_PER_DEGREE * math.cos(math.radians(lat))
    wide = (extent.east - extent.west) * per_degree
    km = max((n for n in (10, 25, 50, 100, 200, 250, 500, 1000, 2000) if n <= wide / 5),
             default=10)
    start = extent.west + 0.04 * (extent.east - extent.west)
    axes.plot([start, start + km / per_degree], [lat, lat], color="black", linewidth=2.2,
              solid_capstyle="butt", path_effects=HALO, zorder=9)
    axes.annotate(f"{km} km", (start + km / per_degree / 2, lat), xytext=(0, 3),
                  textcoords="offset points", ha="center", va="bottom", fontsize=7,
                  path_effects=HALO, zorder=9)
    axes.annotate("N", (0.96, 0.97), xytext=(0.96, 0.88), xycoords="axes fraction",
                  textcoords="axes fraction", ha="center", va="top", fontsize=8,
                  fontweight="bold", path_effects=HALO,
                  arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 0.8})
    bar_x, bar_y = frame.at(start, lat)
    bar = (bar_x - 2, bar_y - 3, bar_x + km / per_degree * frame.per_degree + 2, bar_y + 14)
    arrow = (right * 0.96 - 8, top * 0.86 - 10, right * 0.96 + 8, top)
    return [bar, arrow]


def _legend_entries(analysis: EscalationAnalysis, places: Places) -> list[tuple[str, str]]:
    """(party, "name: 8 attacks, 2 other events") for each party on the map."""
    entries = []
    for party in parties(analysis, places):
        counts = places.by_party.get(party)
        if not counts:
            continue
        parts = [counted(counts[kind], word)
                 for kind, word in (("attacks", "attack"), ("other", "other event"))
                 if counts[kind]]
        entries.append((party, f"{analysis.party_name(party)}: {', '.join(parts)}"))
    return entries


def _legend(figure, entries: list[tuple[str, str]], styles: dict, capitals: list[Capital],
            share: float, phone: bool) -> None:
    handles = [Line2D([], [], linestyle="", marker="o", markersize=10, markerfacecolor="white",
                      markeredgecolor=styles[party][0], markeredgewidth=RING, label=text)
               for party, text in entries]
    handles.append(Line2D([], [], color=BORDER, linewidth=0.8, label="international border"))
    if capitals:
        handles.append((Line2D([], [], linestyle="", marker="o", markersize=5.5,
                               markerfacecolor="white", markeredgecolor="black",
                               markeredgewidth=0.8, label="capital"),
                        Line2D([], [], linestyle="", marker="o", markersize=1.8, color="black")))
    labels = [(h[0] if isinstance(h, tuple) else h).get_label() for h in handles]
    figure.legend(handles, labels, loc="center left", bbox_to_anchor=(0.0, 0.0, 1.0, share),
                  ncol=1 if phone else 2, fontsize=LEGEND_FONT * (PHONE_TEXT if phone else 1.0),
                  frameon=False, handletextpad=0.5, columnspacing=1.5, borderaxespad=0.2)
