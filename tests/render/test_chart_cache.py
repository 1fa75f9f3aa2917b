"""Charts kept between builds (rule in `reportgen/render/charts/cache.py`): drawn only when what
they are drawn from changed, read back without matplotlib, and never trusted blindly."""

from __future__ import annotations

import copy
import dataclasses
import json
import subprocess
import sys

import pytest

from reportgen.analyse import EscalationAnalysis
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.charts import CHARTS, briefing_charts, forget_written
from reportgen.render.charts import cache as kept
from reportgen.write.cache import FolderCache
from tests.support import REPO


class Poison:
    """Stands for a field a chart says it does not read: any use of it fails the test."""

    def __init__(self, field: str):
        self.field = field

    def _used(self, *_args, **_kwargs):
        raise AssertionError(f"the chart reads `{self.field}`, which CHARTS does not list")

    __getattr__ = __iter__ = __len__ = __bool__ = __getitem__ = __contains__ = _used
    __eq__ = __hash__ = __lt__ = _used


@pytest.fixture(scope="module")
def analysis() -> EscalationAnalysis:
    project = open_project(REPO)
    return make_briefing(project, project.config.reports[0]).analysis


def only(analysis: EscalationAnalysis, reads: tuple[str, ...]) -> EscalationAnalysis:
    """The analysis with every field but `reads` poisoned, and what it works out once and
    keeps (a field it does not take) forgotten: worked out again, from the fields."""
    copied = copy.copy(analysis)
    for field in dataclasses.fields(analysis):
        if not field.init:
            object.__setattr__(copied, field.name, field.default)
        elif field.name not in reads:
            object.__setattr__(copied, field.name, Poison(field.name))
    return copied


@pytest.mark.slow  # draws every chart twice: CI runs it
@pytest.mark.parametrize("name", list(CHARTS))
def test_each_chart_reads_only_the_fields_its_line_lists(analysis, name):
    """What the key is made of is all a chart is drawn from: drawn from those fields alone, it
    comes out byte for byte as drawn from the whole analysis."""
    import importlib

    draw = importlib.import_module(f"reportgen.render.charts.{name}").draw
    forget_written()
    whole = draw(analysis)
    forget_written()
    assert draw(only(analysis, CHARTS[name])) == whole


@pytest.mark.slow  # draws every chart twice: CI runs it
def test_no_chart_shows_the_words_of_an_incident_its_key_leaves_out(analysis):
    """Changing every incident's title, summary and notes changes no chart: an edit of them
    rightly keeps every kept chart."""
    reworded = tuple(incident.model_copy(update={field: f"Reworded {field}." for field in kept.UNCHARTED})
                     for incident in analysis.incidents)
    changed = dataclasses.replace(analysis, incidents=reworded)
    forget_written()
    before = briefing_charts(analysis)
    forget_written()
    assert briefing_charts(changed) == before
    assert all(kept.chart_key(name, reads, changed) == kept.chart_key(name, reads, analysis)
               for name, reads in CHARTS.items())


def test_kept_charts_are_read_back_the_same_without_matplotlib(analysis, tmp_path):
    cache = FolderCache(tmp_path / "kept")
    drawn = briefing_charts(analysis, cache)
    script = ("import sys, pathlib; from reportgen.pipeline import open_project, make_briefing\n"
              "from reportgen.render.charts import briefing_charts\n"
              "from reportgen.write.cache import FolderCache\n"
              f"p = open_project({str(REPO)!r})\n"
              "a = make_briefing(p, p.config.reports[0]).analysis\n"
              f"charts = briefing_charts(a, FolderCache(pathlib.Path({str(tmp_path / 'kept')!r})))\n"
              "print('matplotlib' in sys.modules, sum(len(c.svg) for c in charts), len(charts))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "7", "PATH": ""}, cwd=REPO)
    assert run.stdout.split() == ["False", str(sum(len(c.svg) for c in drawn)), str(len(drawn))]


def test_a_change_to_what_a_chart_reads_draws_it_again_and_nothing_else(analysis, tmp_path):
    cache = FolderCache(tmp_path)
    briefing_charts(analysis, cache)
    renamed = {side: value.model_copy(update={"label": "Fictional side"}) if n == 0 else value
               for n, (side, value) in enumerate(analysis.sides.items())}
    changed = dataclasses.replace(analysis, sides=renamed)
    keys = {name: kept.chart_key(name, reads, analysis) for name, reads in CHARTS.items()}
    assert all(kept.chart_key(name, reads, changed) != keys[name] for name, reads in CHARTS.items()
               if "sides" in reads)
    unread = dataclasses.replace(analysis, phases=())
    assert {name: kept.chart_key(name, reads, unread) for name, reads in CHARTS.items()} == keys
    assert any(b"Fictional side" in chart.svg or "Fictional side" in chart.alt
               for chart in briefing_charts(changed, cache))


@pytest.mark.parametrize("svg", [
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<use xlink:href="file:///etc/passwd#x"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: url(https://example.org/x)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><g onload="alert(1)"/></svg>',
    b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import "https://example.org/x.css";</style></svg>',
    b"not xml at all",
])
def test_a_kept_chart_that_matplotlib_could_not_have_drawn_is_drawn_again(analysis, tmp_path, svg):
    cache = FolderCache(tmp_path)
    drawn = briefing_charts(analysis, cache)
    key = kept.chart_key("tempo", CHARTS["tempo"], analysis)
    planted = [{"name": "tempo", "title": "Tempo", "svg": svg.decode(), "alt": "planted", "key": ""}]
    cache.put(kept.KIND, key, json.dumps(planted).encode())
    assert briefing_charts(analysis, cache) == drawn


def test_the_cache_keeps_the_most_lately_used(tmp_path):
    cache = FolderCache(tmp_path)
    for n in range(5):
        cache.put(kept.KIND, f"{n:064x}", b"[]")
    cache.touch(kept.KIND, f"{0:064x}")
    cache.keep_newest(kept.KIND, 2)
    left = sorted(p.stem for p in tmp_path.iterdir())
    assert len(left) == 2 and f"{0:064x}" in left
