"""A chart is one module and one line: every module `CHARTS` names draws through the same door,
and every chart module under `reportgen/render/charts/` is named there."""

from __future__ import annotations

import importlib
import inspect

from reportgen.render.charts import CHARTS
from tests.support import REPO

FOLDER = REPO / "reportgen" / "render" / "charts"
SHARED = {"common", "chart", "cache", "__init__"}


def test_every_chart_module_is_in_the_registry_and_draws_through_one_door():
    modules = {p.stem for p in FOLDER.glob("*.py")} | {p.name for p in FOLDER.iterdir()
                                                       if (p / "__init__.py").is_file()}
    assert set(CHARTS) == modules - SHARED
    for name in CHARTS:
        draw = importlib.import_module(f"reportgen.render.charts.{name}").draw
        assert list(inspect.signature(draw).parameters) == ["analysis"]
