"""`reportgen check` warns where text readers see holds the curators' vocabulary: a code span,
a field name of the schema, a path, a word about the tooling; internal_notes may hold all four."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.model import Incident
from reportgen.model.config import ProjectConfig
from reportgen.problems import Severity
from reportgen.validate.language import field_names, internal_words, reader_texts
from tests.validate.test_rules import INCIDENT_PATH, incident_with, problems, project, write  # noqa: F401


def language_warnings(root: Path):
    return [p for p in problems(root) if p.severity is Severity.WARNING
            and "words readers should not see" in p.message]


@pytest.mark.parametrize(("text", "word"), [
    ("Recorded as `related`, not as a response.", "`related`"),
    ("The two recorded times disagree, so there is no responds_to link.", "responds_to"),
    ("Three citations via: dpa, each graded by its outlet.", "via:"),
    ("The full text is in shared/sources/dpa-report.txt.", "shared/sources/dpa-report.txt"),
    ("See incidents/2024/2024-02-07-baghdad.yaml for the figures.", "incidents/2024/2024-02-07-baghdad.yaml"),
    ("Edit reportgen.yaml to change it.", "reportgen.yaml"),
    ("The validator is expected to warn.", "validator"),
    ("The schema has no neutral role.", "schema"),
    ("Placed by ladder rule 1.", "ladder rule 1"),
])
def test_internal_words_found(text: str, word: str):
    assert any(word in found for found in internal_words(text)), internal_words(text)


@pytest.mark.parametrize("text", [
    "The date and the type of the strike are disputed; the summary notes two sources.",
    "Sources: Reuters and AP reported the attack; the notes of the Pentagon say more.",
    "Kataib Hezbollah said it would suspend operations 24/7 and/or stop entirely.",
    "See [the statement](https://example.org/incidents/2024/statement.json) for the text.",
    'See [the statement](statements/2024/statement.json "the statement") for the text.',
    "See [the statement](https://example.org/wiki/Strike_(2024)/notes.json) for the text.",
    "US forces struck 85 targets; the IRGC denied it.",
    "This briefing counts the government with neither side: it is neither a US force nor a militia.",
])
def test_plain_english_is_not_flagged(text: str):
    assert internal_words(text) == []


def test_field_names_come_from_the_models():
    names = field_names()
    assert {"responds_to", "time_utc", "via", "internal_notes", "bottom_line", "from"} <= names
    for model in (Incident, ProjectConfig):
        assert set(model.model_fields) - {"from_"} <= names


def test_reader_texts_leave_out_quotes_and_internal_notes():
    incident = Incident.model_validate({
        "id": "x-1", "title": "An event", "date": "2024-01-01",
        "location": {"place": "A", "country": "IQ"}, "type": "Air/drone strike",
        "actors": [{"actor": "a", "role": "perpetrator", "note": "a role note"}],
        "sources": [{"outlet": "o", "date": "2024-01-01", "grade": "B2", "note": "a source note"}],
        "claims": [{"by": "A", "text": "said `this`", "quote": True},
                   {"by": "B", "text": "a paraphrase"}],
        "escalation": {"rung": 1, "rationale": "why"},
        "summary": "s", "notes": "n", "internal_notes": "see `responds_to`",
    })
    texts = {(loc, text) for loc, _, text in reader_texts(incident)}
    assert texts == {
        (("title",), "An event"), (("actors", 0, "note"), "a role note"),
        (("claims", 1, "text"), "a paraphrase"), (("sources", 0, "note"), "a source note"),
        (("escalation", "rationale"), "why"), (("summary",), "s"), (("notes",), "n"),
    }


def test_check_warns_at_the_field_line(project: Path):  # noqa: F811
    incident_with(project, "sources:\n", "notes: |\n  Linked as `related`; the validator warns.\n"
                  "sources:\n")
    found = language_warnings(project)
    assert [(p.path, p.line, p.column) for p in found] == [(INCIDENT_PATH, 11, 1)]
    assert "`related`" in found[0].message and "'validator'" in found[0].message
    assert "internal_notes" in found[0].hint


def test_nested_and_config_texts_are_read(project: Path):  # noqa: F811
    incident_with(project, "    grade: C3\n", "    grade: C3\n    note: see shared/sources/a.txt\n")
    config = (project / "reportgen.yaml").read_text(encoding="utf-8")
    assert "desk: Synthetic Desk" in config
    write(project, "reportgen.yaml", config.replace("desk: Synthetic Desk", "desk: Desk (set in YAML)"))
    found = language_warnings(project)
    assert [(p.path, p.line) for p in found] == [(INCIDENT_PATH, 15), ("reportgen.yaml", 3)]
    assert "'shared/sources/a.txt'" in found[0].message and "'YAML'" in found[1].message


def test_internal_notes_may_say_anything(project: Path):  # noqa: F811
    incident_with(project, "sources:\n", "internal_notes: |\n  `responds_to` left empty; see "
                  "shared/sources/a.txt; the validator warns.\nsources:\n")
    assert language_warnings(project) == []
