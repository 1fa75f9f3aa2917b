"""The TLP withholding rule as a property: whatever the markings of the records, the project
default and the report, nothing from a record marked above the report reaches its Markdown, HTML
or PDF (page text, metadata, bookmarks, link targets, attached files).

Each record carries its own canary words (name, aliases, native name, profile, leader, title,
place, summary, claim) and id, invented for this test. A record the report may not show must
leave none of them in any output; as a control, every incident the report does show must have
its title in every output (so a format that lost its text cannot pass by being empty).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reportgen.build import make_briefing
from reportgen.corpus import effective_marking
from reportgen.model.common import Marking
from reportgen.project import open_project
from reportgen.render.pdf import render_pdf

from .pdf_tools import page_texts

MARKINGS = st.sampled_from([None, *Marking])
ACTORS = 3
INCIDENTS = 4


def actor_id(k: int) -> str:
    return f"xqactid{k}"


def incident_id(k: int) -> str:
    return f"2021-03-0{k + 1}-xqincid{k}"


def actor_words(k: int) -> list[str]:
    return [actor_id(k), f"Xqactname{k}", f"Xqalias{k}", f"Xqprofile{k}", f"Xqleader{k}",
            f"Xqdesignation{k}"]


def incident_words(k: int) -> list[str]:
    return [incident_id(k), f"Xqinctitle{k}", f"Xqplace{k}", f"Xqsummary{k}", f"Xqclaim{k}",
            f"Xqheadline{k}"]


def actor_record(k: int, marking: Marking | None) -> dict:
    record = {
        "id": actor_id(k),
        "name": f"Xqactname{k} Front",
        "aliases": [f"Xqalias{k}"],
        "native_name": f"كتائب Xqactname{k}",
        "kind": ["umbrella-group", "militia", "state-force"][k],
        "profile": f"An invented actor, Xqprofile{k}.",
        "leaders": [{"name": f"Xqleader{k} Person", "status": "killed", "incident": incident_id(0)}]
        if k == 1 else [{"name": f"Xqleader{k} Person"}],
        "designations": [{"by": "Invented Body", "designation": f"Xqdesignation{k}"}],
    }
    if k == 1:
        record["affiliations"] = [{"actor": actor_id(0), "relation": "member-of"}]
    if marking is not None:
        record["marking"] = marking.value
    return record


INCIDENT_ACTORS = [  # (perpetrator, target) by actor number
    (2, 1), (1, 2), (0, 2), (2, 0),
]


def incident_record(k: int, marking: Marking | None) -> dict:
    perpetrator, target = INCIDENT_ACTORS[k]
    day = f"2021-03-0{k + 1}"
    record = {
        "id": incident_id(k),
        "title": f"Xqinctitle{k} attack",
        "date": day,
        "location": {"place": f"Xqplace{k}", "country": "IQ"},
        "type": "Armed clash",
        "actors": [{"actor": actor_id(perpetrator), "role": "perpetrator"},
                   {"actor": f"Xqalias{target}", "role": "target"}],
        "sources": [{"outlet": "invented-wire", "date": day, "grade": "B2",
                     "headline": f"Xqheadline{k} reported"}],
        "claims": [{"by": f"Xqactname{perpetrator} Front", "actor": actor_id(perpetrator),
                    "text": f"Xqclaim{k} was said."}],
        "summary": f"Invented, Xqsummary{k}.",
    }
    if k:
        record["responds_to"] = [incident_id(k - 1)]
    if marking is not None:
        record["marking"] = marking.value
    return record


@dataclass(frozen=True)
class Case:
    default: Marking
    report: Marking
    actors: tuple[Marking | None, ...]
    incidents: tuple[Marking | None, ...]
    filtered: bool
    attach_sources: bool


cases = st.builds(Case, st.sampled_from(list(Marking)), st.sampled_from(list(Marking)),
                  st.tuples(*[MARKINGS] * ACTORS), st.tuples(*[MARKINGS] * INCIDENTS),
                  st.booleans(), st.booleans())


MIXED = Case(Marking.CLEAR, Marking.GREEN, (None, Marking.RED, Marking.GREEN),
             (None, Marking.AMBER, Marking.GREEN, None), filtered=False, attach_sources=True)
"""A shown incident names a withheld actor and answers a withheld incident."""
FILTERED = Case(Marking.CLEAR, Marking.GREEN, (Marking.AMBER, None, None), (None,) * 4,
                filtered=True, attach_sources=True)
"""The report's own actor filter names a withheld actor (its settings are not attached)."""
NOTHING_SHOWN = Case(Marking.GREEN, Marking.CLEAR, (None,) * 3, (None,) * 4, filtered=False,
                     attach_sources=False)
"""The marking withholds every record: a briefing with nothing to chart."""


def write_project(root: Path, case: Case) -> None:
    report = {"id": "property-brief", "title": "Invented property brief",
              "period": {"from": "2021-03-01", "to": "2021-03-31"},
              "marking": case.report.value, "formats": ["md", "html", "pdf"],
              "pdf": {"variant": "pdf/a-3b" if case.attach_sources else "none",
                      "attach_sources": case.attach_sources}}
    if case.filtered:
        report["filters"] = {"actors": [actor_id(0), actor_id(2)]}
    files = {
        "reportgen.yaml": {"project": {"title": "Invented", "desk": "Invented Desk",
                                       "default_marking": case.default.value},
                           "reports": [report]},
        "sources.yaml": {"outlets": [{"id": "invented-wire", "name": "Invented Wire",
                                      "kind": "wire agency", "reliability": "B",
                                      "rationale": "Invented for tests."}]},
    }
    for k, marking in enumerate(case.actors):
        files[f"actors/{actor_id(k)}.yaml"] = actor_record(k, marking)
    for k, marking in enumerate(case.incidents):
        files[f"incidents/2021/{incident_id(k)}.yaml"] = incident_record(k, marking)
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def forbidden_words(project, report) -> set[str]:
    """Canary words of the records marked above the report."""
    forbidden = set()
    for k in range(ACTORS):
        if not report.marking.allows(effective_marking(project, project.actors[actor_id(k)])):
            forbidden.update(actor_words(k))
    for k in range(INCIDENTS):
        if not report.marking.allows(effective_marking(project, project.incidents[incident_id(k)])):
            forbidden.update(incident_words(k))
    return forbidden


def open_case(root: Path, case: Case):
    write_project(root, case)
    project = open_project(root)
    assert not project.errors, [str(p) for p in project.errors]
    return project, project.config.reports[0]


def shown_titles(briefing) -> list[str]:
    return [f"Xqinctitle{incident.id[-1]}" for incident in briefing.selection.incidents]


def assert_inert(text: str, forbidden: set[str], shown: list[str], where: str) -> None:
    leaked = sorted(word for word in forbidden if word.lower() in text.lower())
    assert not leaked, f"{where} holds words of records above the report's marking: {leaked}"
    missing = [title for title in shown if title not in text]
    assert not missing, f"{where} lost the incidents it shows: {missing}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases)
@example(case=MIXED)
@example(case=FILTERED)
@example(case=NOTHING_SHOWN)
def test_no_record_above_the_report_marking_reaches_markdown_or_html(case):
    with tempfile.TemporaryDirectory() as folder:
        project, report = open_case(Path(folder), case)
        forbidden = forbidden_words(project, report)
        briefing = make_briefing(project, report, formats=("md", "html"))
        for fmt, text in briefing.texts.items():
            assert_inert(text, forbidden, shown_titles(briefing), fmt)


def pdf_strings(pdf: Path) -> dict[str, str]:
    """Every place in a PDF a reader's tool shows text: pages, metadata, bookmarks, named
    link targets, attached files."""
    reader = pypdf.PdfReader(pdf)
    outline: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append(item.title)

    walk(reader.outline)
    attachments = {name: b"".join(data).decode("utf-8", "replace")
                   for name, data in reader.attachments.items()}
    return {
        "pages (pdftotext)": "\n".join(page_texts(pdf)),
        "metadata": "\n".join(str(value) for value in (reader.metadata or {}).values()),
        "bookmarks": "\n".join(outline),
        "named destinations": "\n".join(reader.named_destinations),
        "attachment names": "\n".join(attachments),
        **{f"attachment {name}": text for name, text in attachments.items()},
    }


@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases)
@example(case=MIXED)
@example(case=FILTERED)
@example(case=NOTHING_SHOWN)
def test_no_record_above_the_report_marking_reaches_the_pdf(case):
    with tempfile.TemporaryDirectory() as folder:
        project, report = open_case(Path(folder), case)
        forbidden = forbidden_words(project, report)
        briefing = make_briefing(project, report, formats=())
        pdf = render_pdf(project, report, selection=briefing.selection,
                         analysis=briefing.analysis, charts=briefing.charts)
        path = Path(folder) / "brief.pdf"
        path.write_bytes(pdf.data)
        strings = pdf_strings(path)
        for where, text in strings.items():
            shown = shown_titles(briefing) if where == "pages (pdftotext)" else []
            assert_inert(text, forbidden, shown, where)
        if case.attach_sources:
            assert "attachment sources.yaml" in strings
