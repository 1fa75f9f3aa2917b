"""A long report (more than LONG_REPORT incidents) is read by chapter: its sections, the months
of its chronology and of its incidents at a glance, and the years of its tempo table begin a
page, which is also where its PDF is cut into parts (pdf.parts)."""

from __future__ import annotations

import re

import pytest

from reportgen.pipeline import make_briefing, open_project
from reportgen.render.filters import YEAR_AT_LEAST
from reportgen.render.pdf import print_html
from tests.support.synthetic import write_corpus

pytestmark = pytest.mark.slow  # renders the print HTML of 600 incidents over two years


@pytest.fixture(scope="module")
def long_html(tmp_path_factory) -> tuple[str, set[int], int]:
    root = write_corpus(tmp_path_factory.mktemp("long"), 600, formats=("pdf",))
    project = open_project(root)
    briefing = make_briefing(project, project.config.reports[0])
    months = {(i.date.year, i.date.month) for i in briefing.selection.incidents}
    years = {bucket.start.year for bucket in briefing.analysis.tempo.buckets if bucket.count}
    return print_html(briefing), years, len(months)  # a week is of the year it starts in


def test_each_year_of_the_tempo_table_is_a_table_on_a_page_of_its_own(long_html):
    html, years, _ = long_html
    weekly = html[html.index('<section id="weekly"'):]
    weekly = weekly[:weekly.index("</section>")]
    tables = re.findall(r'<table class="reflow tempo( page-start)?">\s*<caption>(\d{4})(?:–(\d{4}))?: '
                        r'(.*?)</table>', weekly, flags=re.S)
    assert len(years) > 2 and len(tables) > 1
    assert [bool(start) for start, *_ in tables] == [False] + [True] * (len(tables) - 1)
    spans = [(int(first), int(last or first)) for _, first, last, _ in tables]
    assert [year for first, last in spans for year in range(first, last + 1)] == sorted(years)
    rows = [body.count("<tr><th scope=\"row\">") for *_, body in tables]
    assert all(n >= YEAR_AT_LEAST for n in rows[:-1])  # a short year joins the next: no page of one row


def test_each_month_of_the_incidents_at_a_glance_begins_a_page(long_html):
    html, _, months = long_html
    assert html.count('<table class="reflow overview page-start">') == months - 1
