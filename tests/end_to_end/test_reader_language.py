"""No briefing speaks the curators' language: in what a reader reads of the Markdown, the HTML,
the HTML the PDF is printed from, the charts they embed and the email carrying it, there is no
actor, incident or side id, no field name of the schema, no code span, no path and no word
about the tooling.

The forbidden words come from the model and the project itself (validate/language.py derives
the field names from the models; the ids are the project's own). An id that is an ordinary word
the curators also write as one ("axis" in a quote) cannot be told apart in the example, so the
fixture is built a second time with side ids no English text holds.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from email import message_from_bytes, policy
from email.headerregistry import Address
from pathlib import Path

import pytest

from reportgen.mail.message import Attachment, Issue, build_message, email_environment
from reportgen.model.address import parse_mailbox
from reportgen.pipeline import make_briefing, open_project
from reportgen.render.pdf import print_html, source_files
from reportgen.render.text import render
from reportgen.validate.language import internal_words, reader_texts
from tests.support import REPO
from tests.support.briefings import FIXTURE, TODAY
from tests.support.mailserver import pdf_bytes
from tests.support.reader_text import html_text, ids_in, markdown_text
from tests.support.synthetic import write_corpus

EXAMPLE = REPO
ODD_SIDES = {"blue": "qx-side-7", "red": "zz-side-9"}
"""Side ids no text holds by chance: a side id printed anywhere is then found."""
WHEN = dt.datetime(2024, 2, 9, 8, 30, tzinfo=dt.UTC)


def odd_sided(target: Path) -> Path:
    """The fixture project with its side ids renamed (`ODD_SIDES`), everything else as it is."""
    shutil.copytree(FIXTURE, target)
    for path in [target / "reportgen.yaml", *(target / "actors").glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        for old, new in ODD_SIDES.items():
            text = re.sub(rf"^(\s*){old}:", rf"\g<1>{new}:", text, flags=re.MULTILINE)
            text = re.sub(rf"^side: {old}$", f"side: {new}", text, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    return target


def readers_texts(root: Path) -> tuple[dict[str, str], set[str]]:
    """(output name -> what a reader reads of it, the ids no output may hold) for every report
    of the project at `root`."""
    project = open_project(root, today=TODAY)
    assert not project.errors, [str(p) for p in project.errors]
    found = {}
    for report in project.config.reports:
        briefing = make_briefing(project, report)
        found[f"{report.id}.md"] = markdown_text(render(briefing, "md"))
        found[f"{report.id}.html"] = html_text(render(briefing, "html"))
        if "pdf" in report.formats:
            found[f"{report.id}.pdf.html"] = html_text(print_html(briefing))
        found.update(_mail(report, project.config.project.desk))
    return found, _forbidden_ids(project)


def _mail(report, desk: str) -> dict[str, str]:
    """The subject and both bodies of the email that carries the briefing."""
    issue = Issue(report, desk, parse_mailbox("Desk <desk@example.org>"),
                  (Attachment("pdf", "application/pdf", pdf_bytes()),))
    message = build_message(issue, Address("A Reader", addr_spec="reader@example.org"),
                            email_environment(), WHEN)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    return {f"{report.id} mail subject": str(parsed["subject"]),
            f"{report.id} mail text": parsed.get_body(("plain",)).get_content(),
            f"{report.id} mail html": html_text(parsed.get_body(("html",)).get_content())}


def _forbidden_ids(project) -> set[str]:
    """Every actor, incident and side id, except a plain word the curators' own reader-facing
    text uses as a word (it is English there, and so it may be in a briefing)."""
    ids = set(project.incidents) | set(project.actors) | set(project.config.sides)
    prose = "\n".join(text for record in [project.config, *project.incidents.values(),
                                          *project.actors.values(), *project.outlets.values(),
                                          *project.tallies.values()]
                      for _, _, text in reader_texts(record))
    return {i for i in ids if not (i.isalpha() and ids_in(prose, {i}))}


@pytest.fixture(scope="module", params=[
    "example", "odd-sides", pytest.param("synthetic", marks=pytest.mark.slow)])
def outputs(request, tmp_path_factory) -> tuple[dict[str, str], set[str]]:
    """The example, the fixture with odd side ids (it stands for the fixture: only its side ids
    differ) and a generated project."""
    root = {
        "example": lambda: EXAMPLE,
        "odd-sides": lambda: odd_sided(tmp_path_factory.mktemp("odd") / "project"),
        "synthetic": lambda: write_corpus(tmp_path_factory.mktemp("synthetic") / "p", incidents=40,
                                          actors=6, formats=("md", "html", "pdf")),
    }[request.param]()
    return readers_texts(root)


def test_no_id_reaches_a_reader(outputs):
    texts, ids = outputs
    assert ids, "the project has ids to look for"
    leaks = {name: ids_in(text, ids) for name, text in texts.items()}
    assert not any(leaks.values()), leaks


def test_no_field_name_path_code_or_tooling_word_reaches_a_reader(outputs):
    texts, _ = outputs
    leaks = {name: internal_words(text) for name, text in texts.items()}
    assert not any(leaks.values()), leaks


def test_the_odd_side_ids_are_looked_for(tmp_path: Path):
    """The renamed project is the one the test means: its sides are the odd ids, its actors
    name them, and a side id written into a reader's text would be found."""
    project = open_project(odd_sided(tmp_path / "p"), today=TODAY)
    assert set(project.config.sides) == set(ODD_SIDES.values())
    assert {a.side for a in project.actors.values()} - {None} <= set(ODD_SIDES.values())
    assert set(ODD_SIDES.values()) <= _forbidden_ids(project)
    assert ids_in("Incidents by side: qx-side-7 4", _forbidden_ids(project)) == ["qx-side-7"]


def test_internal_notes_reach_no_reader(tmp_path: Path):
    """A curator's remark in internal_notes is in no output, whatever it says."""
    root = shutil.copytree(FIXTURE, tmp_path / "p")
    remark = "Curators only: qq-remark-41"
    for path in [*(root / "incidents").rglob("*.yaml"), *(root / "actors").glob("*.yaml")]:
        path.write_text(path.read_text(encoding="utf-8") + f"internal_notes: '{remark}'\n",
                        encoding="utf-8")
    texts, _ = readers_texts(root)
    project = open_project(root, today=TODAY)
    assert all(i.internal_notes == remark for i in project.incidents.values())
    assert not [name for name, text in texts.items() if "qq-remark-41" in text]
    for report in project.config.reports:  # nor in the records a PDF/A-3 briefing attaches
        attached = source_files(make_briefing(project, report).selection)
        assert attached and not [a.name for a in attached if b"qq-remark-41" in a.data]
