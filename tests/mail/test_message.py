"""The email itself: subject and marking, headers, parts, and no way for data to add a header."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.utils import parsedate_to_datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.mail.headers import one_line
from reportgen.mail.message import Attachment, Issue, build_message, email_environment, message_id_for
from reportgen.model import Marking, Report
from reportgen.model.address import parse_mailbox
from reportgen.pipeline import open_project
from tests.conftest import IN_CI
from tests.support.mailserver import configure_mail, pdf_bytes

WHEN = dt.datetime(2024, 2, 9, 8, 30, tzinfo=dt.UTC)
EXPECTED_HEADERS = sorted(["subject", "from", "to", "date", "message-id", "mime-version", "content-type"])


def make_report(**changes) -> Report:
    fields = {"id": "test-brief", "title": "Synthetic escalation (test)", "marking": "TLP:GREEN",
              "period": {"from": "2024-01-01", "to": "2024-02-08"}, "issue": 3,
              "bottom_line": "Attacks by *Synthetic Brigade 1* rose. <b>raw html</b>",
              "key_judgments": [{"text": "Further attacks are likely.", "likelihood": "likely",
                                 "confidence": "moderate"}]}
    return Report.model_validate(fields | changes)


PDF = pdf_bytes()
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
ENVIRONMENT = email_environment()


def make_issue(report: Report | None = None) -> Issue:
    sender = parse_mailbox("Synthetic Desk <desk@example.org>")
    attached = (Attachment("pdf", "application/pdf", PDF),)
    return Issue(report or make_report(), "Synthetic Desk", sender, attached)


def parse(message) -> object:
    """What a mail client sees: the serialized bytes parsed back."""
    return message_from_bytes(message.as_bytes(), policy=policy.default)


def header_names(parsed) -> list[str]:
    """Every top-level header name, repeats included (a second To or Bcc would show)."""
    return sorted(key.lower() for key in parsed)


def test_subject_headers_and_parts(tmp_path):
    issue = make_issue()
    reader = Address("Test Reader", addr_spec="reader@example.org")
    parsed = parse(build_message(issue, reader, ENVIRONMENT, WHEN))

    assert parsed["Subject"] == "[TLP:GREEN] Synthetic escalation (test) — 8 February 2024"
    assert header_names(parsed) == EXPECTED_HEADERS
    assert [str(a) for a in parsed["To"].addresses] == ["Test Reader <reader@example.org>"]
    assert str(parsed["From"]) == "Synthetic Desk <desk@example.org>"
    assert parsedate_to_datetime(parsed["Date"]) == WHEN
    assert parsed["Message-ID"].startswith("<") and parsed["Message-ID"].endswith("@example.org>")
    assert parsed.get_content_type() == "multipart/mixed"
    alternative, attachment = parsed.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "test-brief-2024-02-08.pdf"
    assert attachment.get_content() == PDF
    assert attachment.get_content_disposition() == "attachment"


def test_the_message_id_follows_from_the_content_the_address_and_the_copy():
    issue = make_issue()
    first = message_id_for(issue, "reader@example.org")
    assert re.fullmatch(r"<[0-9a-f]{32}\.test-brief@example\.org>", first)
    assert message_id_for(issue, "Reader@Example.org") == first  # the address as the log compares it
    others = {message_id_for(issue, "other@example.org"), message_id_for(issue, "reader@example.org", copy=1),
              message_id_for(Issue(issue.report, issue.desk, issue.sender,
                                   (Attachment("pdf", "application/pdf", pdf_bytes("rebuilt")),)),
                             "reader@example.org")}
    assert len(others) == 3 and first not in others
    reader = Address("Reader", addr_spec="reader@example.org")
    assert parse(build_message(issue, reader, ENVIRONMENT, WHEN))["Message-ID"] == first


def test_body_holds_bottom_line_judgments_and_sharing_rule(tmp_path):
    reader = Address("Test Reader", addr_spec="reader@example.org")
    parsed = parse(build_message(make_issue(), reader, ENVIRONMENT, WHEN))
    plain = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "TLP:GREEN" in body
        assert Marking.GREEN.sharing_rule in body
        assert "Further attacks are likely." in body
        assert "Confidence: moderate." in body
        assert "Dear Test Reader," in body
    assert "Attacks by *Synthetic Brigade 1* rose." in plain
    assert "Attacks by <em>Synthetic Brigade 1</em> rose." in html
    assert "<b>raw html</b>" not in html and "&lt;b&gt;raw html&lt;/b&gt;" in html


def test_sections_left_out_of_the_report_are_left_out_of_the_email(tmp_path):
    report = make_report(sections=["cover", "chronology"])
    plain = parse(build_message(make_issue(report), Address("", addr_spec="r@example.org"),
                                ENVIRONMENT, WHEN)).get_body(("plain",)).get_content()
    assert "BOTTOM LINE" not in plain and "KEY JUDGMENTS" not in plain
    assert "Dear" not in plain  # no name, no greeting


def test_every_tlp_label_has_its_own_sharing_rule():
    rules = {marking: marking.sharing_rule for marking in Marking}
    assert len(set(rules.values())) == len(Marking)
    assert "no limit on disclosure" in rules[Marking.CLEAR]
    assert "within their community" in rules[Marking.GREEN]
    assert "organisation and its clients" in rules[Marking.AMBER]
    assert "not to its clients" in rules[Marking.AMBER_STRICT]
    assert "individual recipients only" in rules[Marking.RED]


HOSTILE_TITLES = [
    "Strike\r\nBcc: victim@evil.example",
    "Strike\nX-Injected: yes",
    "=?utf-8?q?Strike=0D=0ABcc:_victim@evil.example?=",
    "=?utf-8?b?U3RyaWtlDQpCY2M6IHZpY3RpbUBldmlsLmV4YW1wbGU=?=",
    "Strike\u2028Bcc: victim@evil.example\u0085X-Other: 1",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_hostile_title_never_adds_a_header(tmp_path, title):
    issue = make_issue(make_report(title=title))
    parsed = parse(build_message(issue, Address("Reader", addr_spec="reader@example.org"),
                                 ENVIRONMENT, WHEN))
    assert header_names(parsed) == EXPECTED_HEADERS
    assert "\r" not in parsed["Subject"] and "\n" not in parsed["Subject"]
    assert len(parsed["To"].addresses) == 1


@pytest.mark.parametrize("name", ["=?utf-8?q?Reader=0D=0ABcc:_victim@evil.example?=",
                                  'Reader, "Other" <victim@evil.example>',
                                  "Reader\r\nBcc: victim@evil.example"])
def test_a_hostile_recipient_name_never_adds_a_header_or_a_recipient(tmp_path, name):
    reader = Address(name.replace("\r\n", " "), addr_spec="reader@example.org")
    parsed = parse(build_message(make_issue(), reader, ENVIRONMENT, WHEN))
    assert header_names(parsed) == EXPECTED_HEADERS
    assert [a.addr_spec for a in parsed["To"].addresses] == ["reader@example.org"]
    assert "evil.example" not in str(parsed["To"].addresses[0].addr_spec)


header_text = st.text(st.characters(codec="utf-8"), max_size=80) | st.text("0A: ", max_size=120) | st.lists(
    st.sampled_from(["=?", "?=", "utf-8", "?q?", "?b?", "=0D=0A", "\r\n", "\n", "Bcc: x@evil.example",
                     " ", "é", "\x00", "\u2028", "<", ">", '"', ","]), max_size=20).map("".join)


@settings(max_examples=200 if IN_CI else 60, deadline=None)
@given(title=header_text, name=header_text)
def test_titles_and_names_read_back_as_written_and_add_no_header(title, name):
    """Property: whatever the title and the recipient's name, the headers are exactly ours and
    a mail client reads back the subject and the name as written (on one line)."""
    report = make_report(title=title.strip() or "x")
    raw = build_message(make_issue(report), Address(one_line(name), addr_spec="reader@example.org"),
                        ENVIRONMENT, WHEN).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert header_names(parsed) == EXPECTED_HEADERS
    [to] = parsed["To"].addresses
    assert to.addr_spec == "reader@example.org"
    # CPython's parser keeps the space between two encoded words in a name (RFC 2047 drops it)
    assert to.display_name.replace(" ", "") == one_line(name).replace(" ", "")
    shown_title = BIDI_CONTROLS.sub("", report.title)  # reordering controls are left out
    assert str(parsed["Subject"]) == "[TLP:GREEN] " + one_line(f"{shown_title} — 8 February 2024")
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert max(len(line) for line in head.split(b"\r\n")) <= 78


@pytest.mark.parametrize("title", [
    "Strike in بغداد kills Kataib Hezbollah (كتائب حزب الله) commander Abu Baqir al-Saadi — test",
    "Müller, Café «quoted» and حزب الله: synthetic words mixed at a fold in a long subject line",
])
def test_a_multilingual_subject_and_name_read_back_exactly(title):
    reader = Address("Reader: Müller, حزب الله (test)", addr_spec="r@example.org")
    parsed = parse(build_message(make_issue(make_report(title=title)), reader, ENVIRONMENT, WHEN))
    assert str(parsed["Subject"]) == f"[TLP:GREEN] {title} — 8 February 2024"
    assert parsed["To"].addresses == (reader,)
    assert parsed.as_string().startswith("Subject: [TLP:GREEN] ")  # the marking is plain for filters


def test_bidi_controls_in_a_title_never_reach_the_subject():
    report = make_report(title="Invoice\u202egnp.exe and \u2067an isolate left open")
    parsed = parse(build_message(make_issue(report), Address("", addr_spec="r@example.org"),
                                 ENVIRONMENT, WHEN))
    assert str(parsed["Subject"]) == \
        "[TLP:GREEN] Invoicegnp.exe and an isolate left open — 8 February 2024"


def test_a_title_with_markup_is_escaped_in_the_html_body(tmp_path):
    report = make_report(title='<script>alert(1)</script> & <img src=x onerror="alert(2)">')
    html = parse(build_message(make_issue(report), Address("", addr_spec="r@example.org"),
                               ENVIRONMENT, WHEN)).get_body(("html",)).get_content()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in html


def test_a_project_template_overrides_the_default(tmp_path):
    folder = tmp_path / "templates" / "email"
    folder.mkdir(parents=True)
    (folder / "body.txt.j2").write_text("Custom body for {{ title }} ({{ marking }})\n", encoding="utf-8")
    message = build_message(make_issue(), Address("", addr_spec="r@example.org"),
                            email_environment(tmp_path / "templates"), WHEN)
    parsed = parse(message)
    plain = parsed.get_body(("plain",)).get_content()
    assert plain.splitlines() == ["Custom body for Synthetic escalation (test) (TLP:GREEN)"]
    assert "Bottom line up front" in parsed.get_body(("html",)).get_content()  # still the default


@pytest.mark.parametrize(("field", "value", "message"), [
    ("address", "reader@example.org\nBcc: victim@evil.example", "line break"),
    ("address", "Reader <reader@example.org>", "not a valid email address"),
    ("address", "reader@", "not a valid email address"),
    ("address", "reader", "not a valid email address"),
    ("address", "reader@example.org, other@example.org", "not a valid email address"),
    ("name", "Reader\r\nBcc: victim@evil.example", "line break"),
])
def test_check_reports_bad_recipients_where_they_are(synthetic_project, field, value, message):
    configure_mail(synthetic_project, 25)
    path = synthetic_project / "reportgen.yaml"
    text = path.read_text(encoding="utf-8")
    original = "address: reader2@example.org" if field == "address" else "name: Test Reader 2"
    replacement = f"{field}: {value!r}".replace("'", '"').replace("\n", "\\n").replace("\r", "\\r")
    path.write_text(text.replace(original, replacement), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if replacement in row)
    problems = [p for p in open_project(synthetic_project).errors if message in p.message]
    assert [(p.path, p.line) for p in problems] == [("reportgen.yaml", line)]


@pytest.mark.parametrize(("sender", "message"), [
    ("desk@example.org, other@example.org", "not one valid mailbox"),
    ("Desk <desk@>", "not one valid mailbox"),
    ("Desk\nBcc: victim@evil.example <desk@example.org>", "line break"),
])
def test_check_reports_a_bad_sender(synthetic_project, sender, message):
    configure_mail(synthetic_project, 25, sender=sender)
    errors = open_project(synthetic_project).errors
    assert any(message in p.message and p.path == "reportgen.yaml" for p in errors), errors


def test_check_refuses_a_password_without_tls(synthetic_project):
    configure_mail(synthetic_project, 25, username="desk", password_env="PW")
    errors = open_project(synthetic_project).errors
    assert any("without TLS" in p.message for p in errors), errors
