"""The pipeline is one function deep: only `reportgen.pipeline` calls the stages in order, and
every renderer and the writer take the one `Briefing` value it makes; mail takes the project and
the report only (it sends built files: nothing is selected or analysed again)."""

from __future__ import annotations

import ast
import inspect

import pytest

from reportgen.briefing import Briefing
from reportgen.formats import OUTPUT_FORMATS
from reportgen.mail.mailer import mail_report
from reportgen.pipeline import make_briefing, open_project, publish
from reportgen.render.context import briefing_context
from reportgen.render.pdf import print_html
from reportgen.render.text import render, stream
from reportgen.write.outputs import write_outputs
from tests.support import REPO

PACKAGE = REPO / "reportgen"
STAGE_CALLS = {"analyse_report": set(), "write_outputs": set(), "mail_report": set(),
               "validate_project": {"exchange/importing.py"}}
"""Stage functions only the pipeline calls, and the modules allowed to as well (the importer
validates the raw files it has read, to count an invalid incident's external id as taken)."""


RENDERERS = [item.renderer() for item in OUTPUT_FORMATS.values()]


@pytest.mark.parametrize("function", [stream, render, print_html, briefing_context, write_outputs,
                                      publish, *RENDERERS])
def test_every_renderer_and_the_writer_take_a_briefing(function):
    first = next(iter(inspect.signature(function).parameters.values()))
    assert first.annotation in ("Briefing", Briefing)  # the name, under postponed annotations


def test_mail_takes_the_project_and_the_report_not_a_briefing():
    project, report = list(inspect.signature(mail_report).parameters.values())[:2]
    assert (project.annotation, report.annotation) == ("Project", "Report")


def test_no_module_but_the_pipeline_calls_the_stages():
    found = {}
    for path in PACKAGE.rglob("*.py"):
        module = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
                name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
                if name in STAGE_CALLS and module != "pipeline.py" and module not in STAGE_CALLS[name]:
                    found.setdefault(name, []).append(module)
    assert found == {}


def test_a_briefing_is_the_whole_briefing_with_every_section():
    """The documented way to render gives the escalation and what-changed sections too (the old
    `render_report(project, report)` quietly dropped them)."""
    project = open_project(REPO)
    report = project.config.report("escalation-brief")
    html = render(make_briefing(project, report, since=report.period.from_), "html")
    for section in report.sections:
        assert f'id="{section}"' in html, section
