"""How dates, places, grades, markings and data strings read in a briefing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from reportgen.model.common import Marking
from reportgen.model.incident import Incident, Location
from reportgen.render import filters


def incident(**fields) -> Incident:
    base = {"id": "x", "title": "t", "date": "2024-02-07", "location": {"place": "P", "country": "IQ"},
            "type": "Air/drone strike", "actors": [{"actor": "a", "role": "perpetrator"}],
            "sources": [{"outlet": "o", "date": "2024-02-07", "grade": "B2"}]}
    return Incident.model_validate({**base, **fields})


def test_local_time_with_zone_and_utc():
    strike = incident(time="21:30", timezone="Asia/Baghdad")
    assert filters.when(strike) == "7 Feb 2024, 21:30 AST (18:30 UTC)"


def test_a_disagreeing_reported_utc_time_is_shown_too():
    strike = incident(time="21:30", timezone="Asia/Baghdad", time_utc="19:30")
    assert filters.when(strike) == "7 Feb 2024, 21:30 AST (18:30 UTC; reported as 19:30 UTC)"


def test_utc_on_another_day_says_which():
    early = incident(time="01:30", timezone="Asia/Baghdad")
    assert filters.when(early) == "7 Feb 2024, 01:30 AST (22:30 UTC, 6 Feb 2024)"


def test_zone_names_come_from_tzdata_or_the_offset():
    assert filters.when(incident(time="12:00", timezone="Europe/Berlin")) == (
        "7 Feb 2024, 12:00 CET (11:00 UTC)")
    assert filters.when(incident(time="12:00", timezone="Asia/Amman")) == (
        "7 Feb 2024, 12:00 UTC+3 (09:00 UTC)")
    assert filters.when(incident(time="12:00", timezone="Asia/Kolkata")) == (
        "7 Feb 2024, 12:00 IST (06:30 UTC)")


def test_times_without_a_zone():
    assert filters.when(incident(time_utc="18:30")) == "7 Feb 2024, 18:30 UTC"
    assert filters.when(incident(time="21:30")) == "7 Feb 2024, 21:30 local time"


def test_date_precision():
    assert filters.date_of(incident(date="2024-02-14", date_precision="week")) == "week of 12 Feb 2024"
    assert filters.date_of(incident(date="2024-02-14", date_precision="month")) == "Feb 2024"
    assert filters.when(incident(date="2024-02-14", date_precision="month", time="10:00")) == "Feb 2024"


@pytest.mark.parametrize(("start", "end", "text"), [
    ("2024-02-07", None, "7 Feb 2024"),
    ("2024-02-07", "2024-02-09", "7–9 Feb 2024"),
    ("2024-01-30", "2024-02-02", "30 Jan – 2 Feb 2024"),
    ("2023-12-30", "2024-01-02", "30 Dec 2023 – 2 Jan 2024"),
])
def test_day_spans(start, end, text):
    assert filters.day_span(dt.date.fromisoformat(start), end and dt.date.fromisoformat(end)) == text


def test_tenure():
    assert filters.tenure(dt.date(2019, 2, 1), dt.date(2021, 3, 10)) == "1 Feb 2019 – 10 Mar 2021"
    assert filters.tenure(dt.date(2020, 1, 15), None) == "since 15 Jan 2020"
    assert filters.tenure(None, None) == "–"


def test_place_names_each_part_once():
    located = incident(location={"place": "Mashtal", "area": "Baghdad", "admin1": "Baghdad",
                                 "country": "IQ"})
    assert filters.place(located.location) == "Mashtal, Baghdad, Iraq"


def test_grades_and_markings():
    assert filters.grade_meaning("B2") == "source usually reliable; information probably true"
    assert filters.tlp_class(Marking.AMBER_STRICT) == "tlp-amber-strict"
    assert "need-to-know" in filters.tlp_meaning(Marking.AMBER)
    assert filters.likelihood_percent("almost certain") == "95–99%"


def test_md_url_refuses_other_schemes():
    assert filters.md_url("https://a.example/x y") == "<https://a.example/x%20y>"
    with pytest.raises(ValueError):
        filters.md_url("javascript:alert(1)")


def parsed(markdown: str) -> tuple[set[str], str]:
    """Token types and text of a Markdown document under a GFM-like parser with raw HTML on."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    tokens = md.parse(markdown)
    types = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    text = "".join(c.content for t in tokens for c in t.children or [])
    return types, text


LITERAL = {"paragraph_open", "inline", "paragraph_close", "text"}


@pytest.mark.parametrize("value", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:alert(1))",
    "![x](https://e.example/p.png)", "**bold** _it_ `code` ~~gone~~", "# heading", "- item",
    "1. item", "2) item", "> quote", "a | b", "&lt;b&gt; &amp;", "{{ 7*7 }} {% if %}",
    "back\\slash\\", "<<img src=x onerror=1>", "+ plus", "= setext", "Title #",
])
def test_md_escape_leaves_literal_text(value):
    types, text = parsed(filters.md_escape(value))
    assert types <= LITERAL
    assert text == value


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=60))
def test_md_escape_is_literal_for_any_text(value):
    value = " ".join(value.split())
    types, text = parsed(filters.md_escape(value))
    assert types <= LITERAL
    assert text == value


@pytest.mark.parametrize(("place", "country", "shown"), [
    ("Tower 22", "JO", "Tower 22, Jordan"),
    ("eastern Syria", "SY", "eastern Syria"),
    ("Syria", "SY", "Syria"),
    ("Jordan Valley", "JO", "Jordan Valley, Jordan"),
])
def test_a_place_is_said_with_its_country_once(place, country, shown):
    assert filters.place_short(Location(place=place, country=country)) == shown
