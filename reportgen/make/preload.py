"""Imported once by the forkserver that worker processes fork from (see `run`), never by the
build itself: it imports the renderer and does its one-time work (compiling the default theme,
setting up the Markdown renderers, importing the charts' matplotlib and reading the map's
boundary files, about half a second), so every worker starts warm instead of paying for it on its
first report. Nothing here depends on a project."""

from __future__ import annotations

import importlib

from jinja2 import TemplateError

from reportgen import geography
from reportgen.make import worker  # noqa: F401 - imported once here, not in every forked worker
from reportgen.make.tuning import collect_less
from reportgen.render.charts import CHARTS
from reportgen.render.environment import make_environment
from reportgen.render.filters import FILTERS


def warm() -> None:
    environment = make_environment(None)  # its compiled templates stay in the process's cache
    for name in environment.list_templates(extensions=["j2"]):
        try:
            environment.get_template(name)
        except TemplateError:
            continue  # a broken one fails later, where it is used
    FILTERS["markdown_html"]("*warm*")
    FILTERS["markdown_md"]("*warm*")
    geography.read_all()
    for name in CHARTS:  # each chart's module, and matplotlib with them
        importlib.import_module(f"reportgen.render.charts.{name}")


collect_less()  # the workers fork from this process
warm()
