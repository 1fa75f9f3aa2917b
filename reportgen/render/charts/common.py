"""What every chart shares: the style it is drawn under, the palette of sides and rungs, and the
writing of its SVG (kept per process, see `_svg`).

Charts are drawn with matplotlib's object API (a `Figure` per chart, no pyplot state, so
parallel builds cannot interfere) and saved as SVG. They are deterministic: a fixed
`svg.hashsalt` makes the element ids stable, `metadata={"Date": None}` drops the timestamp, and
text is set in DejaVu Sans, the font matplotlib bundles (its own copy wins over a system copy,
so glyph shapes do not depend on the machine). Text is written as glyph paths
(`svg.fonttype: path`), not as `<text>`: the SVG is shown through `<img>`, where it cannot use
the page's fonts, and a reader's phone may have no DejaVu Sans at all; paths look the same
everywhere (browsers, WeasyPrint) at the cost of a larger file, and the alt text carries the
words for screen readers. Writing the SVG is most of a chart's cost, so a process keeps the last
charts it wrote, keyed by everything their figures hold (`_svg`): a chart whose figure comes out
the same again (a rebuild after an edit it does not show, the preview after a save) is not
written twice.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from io import BytesIO

import matplotlib
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.transforms import TransformNode

from reportgen.analyse import EscalationAnalysis
from reportgen.model.config import Side
from reportgen.model.names import NOT_RECORDED
from reportgen.model.text import counted, strip_bidi_controls

WIDTH = 6.0
"""Inches. A chart is shown at the text's width, on a phone down to about 340 px: 3.5 in."""
FONT = WIDTH * 1.7
"""Points: about 10 pt at full width, still 8 px on a 375 px screen (the SVG scales as a whole)."""
SMALL_FONT = FONT * 0.85
STYLE = {
    "svg.hashsalt": "reportgen",
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": FONT,
    "text.parse_math": False,
    "text.usetex": False,
    "hatch.linewidth": 0.6,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": FONT,
    "axes.labelsize": SMALL_FONT,
    "xtick.labelsize": SMALL_FONT,
    "ytick.labelsize": SMALL_FONT,
    "legend.fontsize": SMALL_FONT,
    "legend.frameon": False,
}
SIDE_STYLES = [("#1f3b73", ""), ("#f2b36b", "////"), ("#7f7f7f", "xxxx"), ("#ffffff", "\\\\\\\\"),
               ("#bcd4e6", "||||"), ("#4d4d4d", "++")]
NOT_RECORDED_STYLE = ("#e6e6e6", "----")  # dots would cost ~250 kB of tiny circles
RUNG_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "p", "h", "<", ">"]
RUNG_SHADES = matplotlib.colormaps["viridis"]
"""Light (low rungs) to dark (high): its lightness rises steadily, so shades stay in order in
greyscale, and marker shape and size tell the rungs apart as well."""



def actor_name(analysis: EscalationAnalysis, actor: str) -> str:
    """An actor (or side) as a chart writes it: the reader's name, no direction controls."""
    return strip_bidi_controls(analysis.party_name(actor))


def incidents(count: int) -> str:
    return counted(count, "incident")


def attacks(count: int) -> str:
    return counted(count, "attack")


def side_styles(sides: Iterable[str], declared: Mapping[str, Side]) -> dict[str, tuple[str, str]]:
    """(colour, hatch) per side: the colour the config gives the side, else the palette's."""
    named = [s for s in sides if s != NOT_RECORDED]
    styles = {}
    for n, side in enumerate(named):
        colour, hatch = SIDE_STYLES[n % len(SIDE_STYLES)]
        own = declared[side].colour if side in declared else None
        styles[side] = (own or colour, hatch)
    return styles | {NOT_RECORDED: NOT_RECORDED_STYLE}


def rung_style(analysis: EscalationAnalysis, rung: int | None) -> tuple[str, object, float]:
    """(marker, colour, area in pt²) of a rung, the same in every chart: a shape per rung, and
    a shade and size that grow with it (an unrated incident is a small grey dot)."""
    if rung is None:
        return ".", "0.5", 20
    rungs = [r.rung for r in analysis.ladder] or [rung]
    low, high = min(rungs), max(rungs)
    share = (rung - low) / max(high - low, 1)
    return RUNG_MARKERS[rung % len(RUNG_MARKERS)], RUNG_SHADES(0.95 - 0.9 * share), 24 + 36 * share


SVG_CACHE = 64
"""Charts a process keeps (about 30 kB each, a map up to 300 kB)."""
_written: OrderedDict[bytes, bytes] = OrderedDict()
_written_lock = threading.Lock()


def _svg(figure: Figure, title: str, alt: str) -> bytes:
    """The figure's SVG; the same bytes as last time when an identical figure was written
    lately, without writing it again."""
    key = _figure_key(figure, title, alt)
    with _written_lock:
        svg = _written.pop(key, None) if key else None
    if svg is None:
        buffer = BytesIO()
        figure.savefig(buffer, format="svg", metadata={
            "Date": None, "Title": title, "Description": strip_bidi_controls(alt)})
        svg = buffer.getvalue()
    if key:
        with _written_lock:
            _written[key] = svg
            while len(_written) > SVG_CACHE:
                _written.popitem(last=False)
    return svg


def forget_written() -> None:
    """Drop the charts this process keeps: the next of each is written anew (the tests that
    hold writing a chart to the same bytes every time draw it twice this way)."""
    with _written_lock:
        _written.clear()


class _FigureState(pickle.Pickler):
    """Pickles every artist of a figure as its SVG is made from them, except a transform's
    `_parents`: back-references keyed by id(), which differ between two identical figures."""

    def reducer_override(self, obj):
        if isinstance(obj, TransformNode):
            state = {k: v for k, v in obj.__getstate__().items() if k != "_parents"}
            return object.__new__, (type(obj),), state
        return NotImplemented


def _figure_key(figure: Figure, title: str, alt: str) -> bytes | None:
    """A digest of the figure, its metadata and the settings it is drawn under (a few ms; the
    SVG takes 30 to 400); None for a figure that cannot be pickled (a formatter that is a
    lambda, say), which is then written every time."""
    buffer = BytesIO()
    try:
        _FigureState(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(
            (figure, title, alt, dict(matplotlib.rcParams)))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.sha256(buffer.getvalue()).digest()


def _render(draw, *args) -> tuple[bytes, str]:
    """Run a drawing function under the fixed style; it returns (figure, title, alt)."""
    return _render_all(lambda: [draw(*args)])[0]


def _render_all(drawings: Callable[[], Iterable[tuple[Figure, str, str]]]) -> list[tuple[bytes, str]]:
    """`_render` for charts drawn one after another, perhaps on one figure: `drawings()` yields
    (figure, title, alt), and each is written before the next is drawn."""
    with matplotlib.rc_context(STYLE):
        return [(_svg(figure, title, alt), alt) for figure, title, alt in drawings()]



HALO = [patheffects.withStroke(linewidth=2.4, foreground="white")]
"""A white edge around text drawn over marks, so it stays legible."""
