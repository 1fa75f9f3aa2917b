"""The TLP withholding rule as a property over every channel a report has: whatever the markings
of the records, the project default, the report, and the report's previous issue, nothing from
a record marked above the report reaches anything made for it. The channels: its Markdown and
HTML, its charts, its issue manifest, "what changed since the last issue" (the previous issue
went out at another marking, and some of its incidents were deleted since), every export format
with `--report`, the mail it sends, and (slow) its PDF: page text, metadata, bookmarks, link
targets and the attached source files.

Each record carries canary words (name, aliases, native name, profile, leader, designation,
title, place, summary, claim, headline) and its id, invented for this test. A record the report
may not show must leave none of them anywhere; as a control, every incident the report shows
must have its title in every channel that lists incidents (so a channel that lost its text
cannot pass by being empty).
"""

from __future__ import annotations

import email
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from email import policy
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reportgen.cli import main
from reportgen.exchange.exporting import FORMATS as EXPORT_FORMATS
from reportgen.exchange.exporting import export
from reportgen.mail.mailer import mail_report
from reportgen.model.common import Marking
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.pdf import render_pdf, report_settings
from reportgen.render.text import render
from reportgen.render.word import render_docx
from reportgen.select import effective_marking, select
from reportgen.write.manifests import write_issue_manifest
from tests.conftest import IN_CI
from tests.support.pdf_tools import page_texts

MARKINGS = st.sampled_from([None, *Marking])
ACTORS = 3
INCIDENTS = 4
FIRST_CUTOFF = "2021-03-05"


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


@dataclass(frozen=True)
class Case:
    default: Marking
    report: Marking
    actors: tuple[Marking | None, ...]
    incidents: tuple[Marking | None, ...]
    filtered: bool
    attach_sources: bool
    first_report: Marking = Marking.CLEAR
    """The marking of the previous issue."""
    first_incidents: tuple[Marking | None, ...] = (None,) * INCIDENTS
    """The incidents' markings when the previous issue was built."""
    deleted: frozenset[int] = frozenset()
    """Incidents deleted from the corpus since the previous issue."""


cases = st.builds(Case, st.sampled_from(list(Marking)), st.sampled_from(list(Marking)),
                  st.tuples(*[MARKINGS] * ACTORS), st.tuples(*[MARKINGS] * INCIDENTS),
                  st.booleans(), st.booleans(), st.sampled_from(list(Marking)),
                  st.tuples(*[MARKINGS] * INCIDENTS),
                  st.frozensets(st.integers(0, INCIDENTS - 1), max_size=2))

MIXED = Case(Marking.CLEAR, Marking.GREEN, (None, Marking.RED, Marking.GREEN),
             (None, Marking.AMBER, Marking.GREEN, None), filtered=False, attach_sources=True)
"""A shown incident names a withheld actor and answers a withheld incident."""
FILTERED = Case(Marking.CLEAR, Marking.GREEN, (Marking.AMBER, None, None), (None,) * 4,
                filtered=True, attach_sources=True)
"""The report's own actor filter names a withheld actor."""
NOTHING_SHOWN = Case(Marking.GREEN, Marking.CLEAR, (None,) * 3, (None,) * 4, filtered=False,
                     attach_sources=False)
"""The marking withholds every record: a briefing with nothing to chart."""
LOWERED = Case(Marking.CLEAR, Marking.GREEN, (None,) * 3, (None, None, Marking.AMBER, None),
               filtered=False, attach_sources=False, first_report=Marking.AMBER,
               first_incidents=(Marking.AMBER, None, Marking.AMBER, Marking.AMBER),
               deleted=frozenset({3}))
"""The previous issue went out at TLP:AMBER with AMBER incidents: one since deleted, one still
AMBER, one now CLEAR; the TLP:GREEN issue says nothing of any of them as they were."""


def actor_record(k: int, marking: Marking | None, deleted: frozenset[int]) -> dict:
    leader = {"name": f"Xqleader{k} Person"}
    if k == 1 and 0 not in deleted:
        leader |= {"status": "killed", "incident": incident_id(0)}
    record = {
        "id": actor_id(k),
        "name": f"Xqactname{k} Front",
        "aliases": [f"Xqalias{k}"],
        "native_name": f"كتائب Xqactname{k}",
        "kind": ["umbrella-group", "militia", "state-force"][k],
        "side": ["axis", "axis", "us"][k],
        "profile": f"An invented actor, Xqprofile{k}.",
        "leaders": [leader],
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


def incident_record(k: int, marking: Marking | None, deleted: frozenset[int]) -> dict:
    perpetrator, target = INCIDENT_ACTORS[k]
    day = f"2021-03-0{k + 1}"
    record = {
        "id": incident_id(k),
        "title": f"Xqinctitle{k} attack",
        "date": day,
        "location": {"place": f"Xqplace{k}", "country": "IQ", "lat": 33.3, "lon": 44.4},
        "type": "Armed clash",
        "actors": [{"actor": actor_id(perpetrator), "role": "perpetrator"},
                   {"actor": f"Xqalias{target}", "role": "target"}],
        "casualties": [{"according_to": "Invented Wire", "killed": k, "party": f"Xqalias{target}"}],
        "sources": [{"outlet": f"invented-wire-{k}", "date": day, "grade": "B2",
                     "headline": f"Xqheadline{k} reported"}],
        "claims": [{"by": f"Xqactname{perpetrator} Front", "actor": actor_id(perpetrator),
                    "text": f"Xqclaim{k} was said."}],
        "summary": f"Invented, Xqsummary{k}.",
    }
    if k and k - 1 not in deleted:
        record["responds_to"] = [incident_id(k - 1)]
    if marking is not None:
        record["marking"] = marking.value
    return record


def write_project(root: Path, case: Case, *, first: bool) -> None:
    """The project as it was for the previous issue (`first`), or as it is now."""
    deleted = frozenset() if first else case.deleted
    report = {"id": "property-brief", "title": "Invented property brief",
              "issue": 1 if first else 2,
              "period": {"from": "2021-03-01", "to": FIRST_CUTOFF if first else "2021-03-31"},
              "marking": (case.first_report if first else case.report).value,
              "formats": ["md", "html", "pdf"], "distribution": ["everyone"],
              "bottom_line": "Invented bottom line.",
              "pdf": {"variant": "pdf/a-3b" if case.attach_sources else "none",
                      "attach_sources": case.attach_sources}}
    if not first:
        report["previous_issue"] = FIRST_CUTOFF
        # A report's own settings name records too: an indicator bearing on every incident.
        report["outlook"] = [{"text": "Invented indicator", "status": "observed",
                              "time_frame": {"from": "2021-03-01", "to": "2021-03-31"},
                              "incidents": [incident_id(k) for k in range(INCIDENTS) if k not in deleted]}]
    if case.filtered:
        report["filters"] = {"actors": [actor_id(0), actor_id(2)]}
    outlets = [{"id": f"invented-wire-{k}", "name": f"Invented Wire {k}", "kind": "wire agency",
                "reliability": "B", "rationale": "Invented for tests."} for k in range(INCIDENTS)]
    files = {
        "reportgen.yaml": {
            "project": {"title": "Invented", "desk": "Invented Desk", "default_marking": case.default.value},
            "sides": {"axis": {"label": "Invented axis side"}, "us": {"label": "Invented us side"}},
            "reports": [report],
            "distribution_lists": [{"name": "everyone", "marking": "TLP:RED",
                                    "recipients": [{"name": "Invented Reader",
                                                    "address": "reader@example.org"}]}],
            "smtp": {"host": "127.0.0.1", "port": 2525, "security": "none",
                     "sender": "Invented Desk <desk@example.org>"},
        },
        "sources.yaml": {"outlets": outlets},
    }
    markings = case.first_incidents if first else case.incidents
    for k in range(ACTORS):
        files[f"actors/{actor_id(k)}.yaml"] = actor_record(k, case.actors[k], deleted)
    for k in range(INCIDENTS):
        path = root / "incidents" / "2021" / f"{incident_id(k)}.yaml"
        if k in deleted:
            path.unlink(missing_ok=True)
        else:
            files[f"incidents/2021/{incident_id(k)}.yaml"] = incident_record(k, markings[k], deleted)
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def open_case(root: Path, case: Case):
    """The previous issue recorded (its manifest), then the project as it is now."""
    write_project(root, case, first=True)
    earlier = open_project(root)
    assert not earlier.errors, [str(p) for p in earlier.errors]
    write_issue_manifest(root / "build", select(earlier, earlier.config.reports[0]))
    write_project(root, case, first=False)
    project = open_project(root)
    assert not project.errors, [str(p) for p in project.errors]
    return project, project.config.reports[0]


def forbidden_words(project, report, case: Case) -> set[str]:
    """Canary words of the records marked above the report now, and of the incidents that were
    above it in the previous issue and are gone since (their titles are in its manifest)."""
    forbidden = set()
    for k in range(ACTORS):
        if not report.marking.allows(effective_marking(project, project.actors[actor_id(k)])):
            forbidden.update(actor_words(k))
    for k in range(INCIDENTS):
        record = project.incidents.get(incident_id(k))
        then = case.first_incidents[k] or case.default
        if record is None:
            if not report.marking.allows(then) or not case.first_report.allows(then):
                forbidden.update(incident_words(k))
        elif not report.marking.allows(effective_marking(project, record)):
            forbidden.update(incident_words(k))
    return forbidden


def above_then(report, case: Case) -> set[str]:
    """Incidents the previous issue carried at a marking above this report's."""
    return {incident_id(k) for k in range(INCIDENTS)
            if not report.marking.allows(case.first_incidents[k] or case.default)}


def assert_inert(text: str, forbidden: set[str], shown: list[str], where: str) -> None:
    leaked = sorted(word for word in forbidden if word.lower() in text.lower())
    assert not leaked, f"{where} holds words or ids of records above the report's marking: {leaked}"
    missing = [title for title in shown if title not in text]
    assert not missing, f"{where} lost the incidents it shows: {missing}"


def shown_titles(selection) -> list[str]:
    return [f"Xqinctitle{incident.id[-1]}" for incident in selection.incidents]


def mail_texts(root: Path, report_id: str, *, build: bool = False) -> dict[str, str]:
    """The messages a dry run of mailing writes, as a reader's client shows them (every header
    and text part). With `build`, `reportgen mail --dry-run` itself, which brings the PDF up to
    date first; else the mailer on a stand-in PDF (the quick test checks the PDF no more)."""
    if build:
        result = CliRunner().invoke(main, ["mail", report_id, "--dry-run", "-C", str(root)])
        assert result.exit_code == 0, result.output
    else:
        pdf = root / "build" / report_id / f"{report_id}.pdf"
        pdf.parent.mkdir(parents=True, exist_ok=True)
        pdf.write_bytes(b"%PDF-1.7\n% invented stand-in for the briefing\n")
        project = open_project(root)
        assert mail_report(project, project.config.report(report_id), {"pdf": pdf}, dry_run=True).ok
    texts = {}
    for path in sorted((root / "build" / report_id / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        parts = [f"{key}: {value}" for key, value in message.items()]
        parts += [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
        texts[f"mail {path.name}"] = "\n".join(parts)
    assert texts, "no message written"
    return texts


def channels(root: Path, project, report, briefing) -> dict[str, tuple[str, bool]]:
    """Every text made for the report: channel -> (text, whether it lists the shown incidents
    by title; the CSV lists them by id, in place of this control)."""
    found = {fmt: (render(briefing, fmt), True) for fmt in ("md", "html")}
    found |= {f"chart {chart.name}": (chart.svg.decode("utf-8"), False) for chart in briefing.charts}
    manifest = write_issue_manifest(root / "build", briefing.selection)
    found["manifest"] = (manifest.read_text(encoding="utf-8"), True)
    for fmt in sorted(EXPORT_FORMATS):
        text, _ = export(project, fmt, report.id)
        found[f"export {fmt}"] = (text, fmt != "csv")
    assert all(i.id in found["export csv"][0] for i in briefing.selection.incidents)
    found |= {name: (text, False) for name, text in mail_texts(root, report.id).items()}
    view = briefing.selection
    found["report settings"] = (report_settings(view.project, view.report).decode("utf-8"), False)
    return found


def every_case(examples: int):
    """The test over `examples` random cases and the four fixed ones."""
    def decorate(test):
        for case in (LOWERED, NOTHING_SHOWN, FILTERED, MIXED):
            test = example(case=case)(test)
        return settings(max_examples=examples, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])(given(case=cases)(test))
    return decorate


CHANNEL_EXAMPLES = int(os.environ.get("MARKING_EXAMPLES", 50 if IN_CI else 4))
"""Random cases beside the four fixed ones: more under CI=true, fewer in the quick suite."""


@every_case(CHANNEL_EXAMPLES)
def test_no_record_above_the_report_marking_reaches_any_channel(case):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project, report = open_case(root, case)
        forbidden = forbidden_words(project, report, case)
        briefing = make_briefing(project, report)
        shown = shown_titles(briefing.selection)
        for where, (text, lists_incidents) in channels(root, project, report, briefing).items():
            assert_inert(text, forbidden, shown if lists_incidents else [], where)
        changes = briefing.analysis.changes
        assert changes is not None and changes.available
        earlier_above = above_then(report, case)
        assert not earlier_above & {*changes.amended, *(r.incident_id for r in changes.retracted)}


def test_the_export_json_refers_to_nothing_withheld():
    """Structurally too: every id a record of the JSON export names is exported with it."""
    with tempfile.TemporaryDirectory() as folder:
        project, report = open_case(Path(folder), MIXED)
        data = json.loads(export(project, "json", report.id)[0])
        incidents = {i["id"] for i in data["incidents"]}
        actors = {a["id"] for a in data["actors"]}
        for incident in data["incidents"]:
            assert {*incident["responds_to"], *incident["related"]} <= incidents
            named = {ref["actor"] for ref in incident["actors"]} | {
                claim["actor"] for claim in incident["claims"] if claim["actor"]}
            assert named <= actors | {"(withheld)"}, named
        for actor in data["actors"]:
            assert {a["actor"] for a in actor["affiliations"]} <= actors
            assert {leader["incident"] for leader in actor["leaders"]} <= incidents | {None}


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
@every_case(5)
def test_no_record_above_the_report_marking_reaches_the_pdf_or_the_mail_carrying_it(case):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project, report = open_case(root, case)
        forbidden = forbidden_words(project, report, case)
        briefing = make_briefing(project, report)
        pdf = render_pdf(briefing)
        path = root / "brief.pdf"
        path.write_bytes(pdf.data)
        strings = pdf_strings(path)
        for where, text in strings.items():
            shown = shown_titles(briefing.selection) if where == "pages (pdftotext)" else []
            assert_inert(text, forbidden, shown, where)
        if case.attach_sources:
            assert "attachment sources.yaml" in strings and "attachment report.yaml" in strings
        for where, text in mail_texts(root, report.id, build=True).items():
            assert_inert(text, forbidden, [], where)
        mailed = root / "build" / report.id / f"{report.id}.pdf"  # the PDF the mail attached
        for where, text in pdf_strings(mailed).items():
            assert_inert(text, forbidden, [], f"mailed PDF: {where}")


def docx_strings(data: bytes) -> dict[str, str]:
    """Every string in a Word document a reader's tool can show: the text and attribute values
    of each of its XML parts (body, headers, footers, properties, pictures' descriptions, link
    targets), by part."""
    strings = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                tree = ElementTree.fromstring(archive.read(name))
                strings[name] = "\n".join([*tree.itertext(), *(value for element in tree.iter()
                                                                for value in element.attrib.values())])
    return strings


@pytest.mark.slow
@every_case(5)
def test_no_record_above_the_report_marking_reaches_the_word_briefing(case):
    with tempfile.TemporaryDirectory() as folder:
        project, report = open_case(Path(folder), case)
        forbidden = forbidden_words(project, report, case)
        briefing = make_briefing(project, report)
        strings = docx_strings(render_docx(briefing).data)
        for where, text in strings.items():
            assert_inert(text, forbidden, [], f"docx {where}")
        body = strings["word/document.xml"].replace("\n", "")
        assert_inert(body, set(), shown_titles(briefing.selection), "docx word/document.xml")
        assert str(report.marking) in strings["word/header1.xml"]
