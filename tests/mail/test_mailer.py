"""Sending to a real SMTP server (aiosmtpd on 127.0.0.1): served once, resumable, marking-safe."""

from __future__ import annotations

import json
import threading
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import yaml

from reportgen.mail import ALREADY_SENT, FAILED, SENT, WRITTEN, RetryPolicy, mail_report
from reportgen.mail.sendlog import ATTEMPT
from reportgen.model import Marking
from reportgen.pipeline import distribute, open_project
from reportgen.problems import ReportgenError
from tests.support.mailserver import DROP, PASSWORD, configure_mail, make_certificate, start_server, write_pdf

ENV = {"REPORTGEN_TEST_SMTP_PASSWORD": PASSWORD}
FIVE = {"desk": ("TLP:AMBER", [(f"Test Reader {n}", f"reader{n}@example.org") for n in range(1, 6)])}


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return make_certificate(tmp_path_factory.mktemp("tls"))


class Sleeps(list):
    """Records the backoff instead of waiting it out."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def prepare(root: Path, port: int, **options) -> tuple[str, Path]:
    report_id = configure_mail(root, port, **options)
    pdf = root / "build" / report_id / f"{report_id}.pdf"
    write_pdf(pdf)
    return report_id, pdf


def send(root: Path, report_id: str, pdf: Path, **options):
    options = {"sleep": Sleeps(), "env": ENV} | options
    project = open_project(root)
    return mail_report(project, project.config.report(report_id), {"pdf": pdf}, **options)


def log_lines(root: Path, report_id: str) -> list[dict]:
    path = root / "build" / report_id / "sent.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_one_message_per_recipient_with_the_pdf_attached(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    result = send(synthetic_project, report_id, pdf)

    assert result.ok and result.count(SENT) == 3
    assert [item.rcpt_tos for item in server.handler.received] == [
        ["reader1@example.org"], ["reader2@example.org"], ["reader3@example.org"]]
    for item in server.handler.received:
        message = item.message
        assert item.mail_from == "desk@example.org"
        assert [a.addr_spec for a in message["To"].addresses] == item.rcpt_tos
        assert message["Cc"] is None and message["Bcc"] is None
        assert message["Subject"].startswith("[TLP:GREEN] Synthetic report 0 — ")
        attachment = next(message.iter_attachments())
        assert attachment.get_content() == pdf.read_bytes()
        assert message.get_body(("plain",)).get_content_type() == "text/plain"
        assert message.get_body(("html",)).get_content_type() == "text/html"
    lines = log_lines(synthetic_project, report_id)
    assert [(line["recipient"], line["result"]) for line in lines] == [
        (f"reader{n}@example.org", result) for n in (1, 2, 3) for result in (ATTEMPT, SENT)]
    assert {line["digest"] for line in lines} == {result.digest}
    received_ids = [item.message["Message-ID"] for item in server.handler.received]
    assert [line["message_id"] for line in lines] == [mid for mid in received_ids for _ in range(2)]


def test_a_rerun_sends_nothing_and_does_not_connect(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    send(synthetic_project, report_id, pdf)
    server.handler.commands.clear()

    again = send(synthetic_project, report_id, pdf)

    assert again.ok and again.count(ALREADY_SENT) == 3 and again.count(SENT) == 0
    assert server.handler.commands == []
    assert len(server.handler.received) == 3
    assert len(log_lines(synthetic_project, report_id)) == 6


def test_new_content_is_a_new_issue_and_resend_is_deliberate(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    first = send(synthetic_project, report_id, pdf)
    write_pdf(pdf, title="Synthetic briefing, rebuilt with a new incident (test)")

    second = send(synthetic_project, report_id, pdf)
    resent = send(synthetic_project, report_id, pdf, resend=True)

    assert second.digest != first.digest and second.count(SENT) == 3
    assert resent.count(SENT) == 3
    assert Counter(server.handler.recipients()) == {f"reader{n}@example.org": 3 for n in (1, 2, 3)}


def test_a_dropped_connection_part_way_then_a_rerun_serves_exactly_the_rest(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port, lists=FIVE)
    for n in (3, 4, 5):
        server.handler.always(f"reader{n}@example.org", DROP)
    sleeps = Sleeps()

    retry = RetryPolicy(attempts=3, first_delay=0.5)
    first = send(synthetic_project, report_id, pdf, sleep=sleeps, retry=retry)

    assert [d.recipient for d in first.deliveries if d.status == SENT] == ["reader1@example.org",
                                                                           "reader2@example.org"]
    assert [d.recipient for d in first.not_served] == [f"reader{n}@example.org" for n in (3, 4, 5)]
    assert first.not_served[0].attempts == 3 and sleeps == [0.5, 1.0]  # retried with backoff
    assert all(d.detail.startswith("not attempted") for d in first.not_served[1:])
    assert server.handler.recipients() == ["reader1@example.org", "reader2@example.org"]

    server.handler.heal()
    second = send(synthetic_project, report_id, pdf)

    assert second.ok
    assert [d.recipient for d in second.deliveries if d.status == SENT] == [
        f"reader{n}@example.org" for n in (3, 4, 5)]
    assert Counter(server.handler.recipients()) == {f"reader{n}@example.org": 1 for n in range(1, 6)}


def test_a_temporary_failure_is_retried_with_backoff_then_sent(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    server.handler.answer("reader2@example.org", "451 4.7.1 Greylisted, try again later", DROP)
    sleeps = Sleeps()

    result = send(synthetic_project, report_id, pdf, sleep=sleeps,
                  retry=RetryPolicy(attempts=4, first_delay=1, max_delay=1.5))

    assert result.ok and result.count(SENT) == 3
    second = next(d for d in result.deliveries if d.recipient == "reader2@example.org")
    assert second.attempts == 3 and sleeps == [1, 1.5]
    assert Counter(server.handler.recipients()) == {f"reader{n}@example.org": 1 for n in (1, 2, 3)}


def test_a_permanent_failure_is_reported_for_that_recipient_only(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    server.handler.always("reader2@example.org", "550 5.1.1 No such user here")
    sleeps = Sleeps()

    result = send(synthetic_project, report_id, pdf, sleep=sleeps)

    assert not result.ok
    assert [(d.recipient, d.detail) for d in result.not_served] == [
        ("reader2@example.org", "550 5.1.1 No such user here")]
    assert result.count(SENT) == 2 and sleeps == []  # a 5xx is not retried
    assert [line["result"] for line in log_lines(synthetic_project, report_id)] == [
        ATTEMPT, SENT, ATTEMPT, FAILED, ATTEMPT, SENT]

    server.handler.commands.clear()
    again = send(synthetic_project, report_id, pdf)
    assert [d.recipient for d in again.not_served] == ["reader2@example.org"]
    assert [c for c in server.handler.commands if c.startswith("RCPT")] == ["RCPT reader2@example.org"]


@pytest.mark.parametrize("marking", [Marking.AMBER, Marking.AMBER_STRICT, Marking.RED])
def test_a_list_not_cleared_is_refused_before_any_connection(synthetic_project, server, marking):
    lists = {"partners": ("TLP:GREEN", [("Partner Reader", "partner@example.org")]),
             "desk": ("TLP:RED", [("Desk Reader", "desk-reader@example.org")])}
    report_id, pdf = prepare(synthetic_project, server.port, lists=lists, report_marking=str(marking))

    with pytest.raises(ReportgenError) as refused:
        send(synthetic_project, report_id, pdf)

    [problem] = refused.value.problems
    assert "list 'partners' is cleared up to TLP:GREEN" in problem.message
    assert str(marking) in problem.message
    assert problem.path == "reportgen.yaml" and problem.line > 1
    assert server.handler.commands == [] and server.handler.received == []
    assert not (synthetic_project / "build" / report_id / "sent.jsonl").exists()


def test_a_list_cleared_above_the_marking_is_served(synthetic_project, server):
    lists = {"desk": ("TLP:RED", [("Desk Reader", "desk-reader@example.org")])}
    report_id, pdf = prepare(synthetic_project, server.port, lists=lists, report_marking="TLP:AMBER+STRICT")
    assert send(synthetic_project, report_id, pdf).count(SENT) == 1
    assert server.handler.received[0].message["Subject"].startswith("[TLP:AMBER+STRICT] ")


def test_one_message_for_a_reader_on_two_lists(synthetic_project, server):
    lists = {"desk": ("TLP:AMBER", [("Reader One", "reader1@example.org")]),
             "partners": ("TLP:GREEN", [("Reader One", "Reader1@example.org"),
                                        ("Reader Two", "reader2@example.org")])}
    report_id, pdf = prepare(synthetic_project, server.port, lists=lists)
    result = send(synthetic_project, report_id, pdf)
    assert [(d.recipient, d.lists) for d in result.deliveries] == [
        ("reader1@example.org", ("desk", "partners")), ("reader2@example.org", ("partners",))]
    assert server.handler.recipients() == ["reader1@example.org", "reader2@example.org"]


def test_only_the_named_list(synthetic_project, server):
    lists = {"desk": ("TLP:AMBER", [("Desk Reader", "desk-reader@example.org")]),
             "partners": ("TLP:GREEN", [("Partner Reader", "partner@example.org")])}
    report_id, pdf = prepare(synthetic_project, server.port, lists=lists)
    result = send(synthetic_project, report_id, pdf, lists=["partners"])
    assert server.handler.recipients() == ["partner@example.org"] and result.ok

    with pytest.raises(ReportgenError) as unknown:
        send(synthetic_project, report_id, pdf, lists=["partner"])
    assert "did you mean 'partners'?" in unknown.value.problems[0].hint


def test_a_pdf_over_the_size_limit_is_refused_before_sending(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port, max_size_mb=0.001)
    with pytest.raises(ReportgenError) as refused:
        send(synthetic_project, report_id, pdf)
    assert "over the 0.001 MB limit of smtp.max_size_mb" in refused.value.problems[0].message
    assert server.handler.commands == []


def test_the_servers_own_size_limit_is_a_permanent_failure(synthetic_project):
    server = start_server(data_size_limit=2000)
    try:
        report_id, pdf = prepare(synthetic_project, server.port)
        result = send(synthetic_project, report_id, pdf)
    finally:
        server.stop()
    # the server refuses the size announced in MAIL FROM: nobody can be served, so the run stops
    assert result.count(FAILED) == 3 and result.not_served[0].detail.startswith("552")
    assert all("not attempted: 552" in d.detail for d in result.not_served[1:])
    assert server.handler.received == []


def test_dry_run_writes_eml_files_and_sends_nothing(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    server.handler.commands.clear()

    result = send(synthetic_project, report_id, pdf, dry_run=True, env={})

    assert result.count(WRITTEN) == 3 and server.handler.commands == []
    assert not (synthetic_project / "build" / report_id / "sent.jsonl").exists()
    files = sorted(result.outbox.glob("*.eml"))
    assert [f.name for f in files] == [f"00{n}-reader{n}@example.org.eml" for n in (1, 2, 3)]
    for n, path in enumerate(files, start=1):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert [a.addr_spec for a in message["To"].addresses] == [f"reader{n}@example.org"]
        assert message["Subject"].startswith("[TLP:GREEN] ")
        assert next(message.iter_attachments()).get_content() == pdf.read_bytes()
        assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None


def test_a_dry_run_needs_no_smtp_settings_and_a_send_still_does(synthetic_project, server):
    """A desk reads its first messages before it has a mail server: From is a placeholder at
    the reserved .invalid domain, and the result says so; a real send is refused, naming what
    is missing."""
    report_id, pdf = prepare(synthetic_project, server.port)
    path = synthetic_project / "reportgen.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    del config["smtp"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")

    result = send(synthetic_project, report_id, pdf, dry_run=True, env={})
    assert result.count(WRITTEN) == 3 and result.placeholder_sender
    message = message_from_bytes(sorted(result.outbox.glob("*.eml"))[0].read_bytes(),
                                 policy=policy.default)
    assert message["From"].addresses[0].domain == "example.invalid"
    assert message["Message-ID"].endswith("@example.invalid>")
    with pytest.raises(ReportgenError) as refused:
        send(synthetic_project, report_id, pdf)
    assert refused.value.problems[0].message == "no smtp settings in reportgen.yaml"
    assert server.handler.commands == []


def test_an_outbox_that_cannot_be_written_is_an_error_of_that_folder(synthetic_project, server):
    """The OS error goes up, with the folder it concerns, to the command line's edge, which says
    it once (`build/x/outbox: error: cannot create: File exists (...)`, see test_disk_errors)."""
    report_id, pdf = prepare(synthetic_project, server.port)
    outbox = synthetic_project / "build" / report_id / "outbox"
    outbox.write_text("a file where the outbox folder goes\n")
    with pytest.raises(FileExistsError) as refused:
        send(synthetic_project, report_id, pdf, dry_run=True)
    assert refused.value.filename == str(outbox)


def test_dry_run_after_a_partial_send_shows_only_who_is_left(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    server.handler.always("reader3@example.org", "550 5.1.1 No such user here")
    send(synthetic_project, report_id, pdf)
    result = send(synthetic_project, report_id, pdf, dry_run=True)
    assert [f.name for f in result.outbox.glob("*.eml")] == ["001-reader3@example.org.eml"]


def test_starttls_with_login_and_the_password_from_the_environment(synthetic_project, certificate):
    server = start_server("starttls", certificate)
    try:
        report_id, pdf = prepare(synthetic_project, server.port, security="starttls")
        result = send(synthetic_project, report_id, pdf, tls=certificate.client_context())
    finally:
        server.stop()
    assert result.ok and result.count(SENT) == 3
    assert all(item.tls and item.authenticated for item in server.handler.received)


def test_implicit_tls(synthetic_project, certificate):
    server = start_server("ssl", certificate)
    try:
        report_id, pdf = prepare(synthetic_project, server.port, security="ssl")
        result = send(synthetic_project, report_id, pdf, tls=certificate.client_context())
    finally:
        server.stop()
    assert result.ok and all(item.tls and item.authenticated for item in server.handler.received)


def test_a_missing_password_is_refused_before_connecting(synthetic_project, certificate):
    server = start_server("starttls", certificate)
    try:
        report_id, pdf = prepare(synthetic_project, server.port, security="starttls")
        with pytest.raises(ReportgenError) as refused:
            send(synthetic_project, report_id, pdf, env={}, tls=certificate.client_context())
    finally:
        server.stop()
    assert "REPORTGEN_TEST_SMTP_PASSWORD" in refused.value.problems[0].message
    assert server.handler.commands == []


def test_a_wrong_password_stops_the_run_and_nobody_is_served(synthetic_project, certificate):
    server = start_server("starttls", certificate)
    try:
        report_id, pdf = prepare(synthetic_project, server.port, security="starttls")
        result = send(synthetic_project, report_id, pdf, env={"REPORTGEN_TEST_SMTP_PASSWORD": "wrong"},
                      tls=certificate.client_context())
    finally:
        server.stop()
    assert result.count(FAILED) == 3 and server.handler.received == []
    assert result.not_served[0].detail.startswith("535")
    assert result.not_served[0].attempts == 1


def test_an_untrusted_certificate_stops_the_run(synthetic_project, certificate):
    server = start_server("starttls", certificate)
    try:
        report_id, pdf = prepare(synthetic_project, server.port, security="starttls")
        result = send(synthetic_project, report_id, pdf)  # the system trust store does not know it
    finally:
        server.stop()
    assert result.count(FAILED) == 3 and server.handler.received == []
    assert "certificate" in result.not_served[0].detail


def test_two_runs_at_once_serve_everyone_exactly_once(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port, lists=FIVE)
    results = []

    def run() -> None:
        results.append(send(synthetic_project, report_id, pdf))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Counter(server.handler.recipients()) == {f"reader{n}@example.org": 1 for n in range(1, 6)}
    assert sorted(r.count(SENT) for r in results) == [0, 5]
    assert sorted(r.count(ALREADY_SENT) for r in results) == [0, 5]


@pytest.mark.parametrize("where", ["sent.jsonl", "sent.jsonl.lock", "pdf"])
def test_a_pipe_where_mail_reads_or_appends_is_refused_not_awaited(synthetic_project, server, where):
    """A named pipe in place of the send log, its lock or the PDF would make an open or a read
    wait for ever: each is refused with a message, and nothing is sent."""
    import os

    report_id, pdf = prepare(synthetic_project, server.port)
    path = pdf if where == "pdf" else synthetic_project / "build" / report_id / where
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    with pytest.raises(ReportgenError) as refused:
        send(synthetic_project, report_id, pdf)
    said = str(refused.value.problems[0])
    assert "not a regular file" in said or "No such device" in said  # a pipe nobody reads
    assert server.handler.received == []


def test_a_report_attaching_word_too_sends_both_files_in_its_order(synthetic_project, server):
    report_id, pdf = prepare(synthetic_project, server.port)
    word = pdf.with_suffix(".docx")
    word.write_bytes(b"PK\x03\x04 invented stand-in for the Word briefing")
    alone = send(synthetic_project, report_id, pdf, dry_run=True)
    project = open_project(synthetic_project)
    both = mail_report(project, project.config.report(report_id), {"pdf": pdf, "docx": word},
                       sleep=Sleeps(), env=ENV)
    assert both.ok and both.count(SENT) == 3 and both.digest != alone.digest
    message = server.handler.received[0].message
    attached = [(part.get_content_type(), part.get_filename(), part.get_content())
                for part in message.iter_attachments()]
    day = project.config.report(report_id).issue_date.isoformat()
    assert attached == [
        ("application/pdf", f"{report_id}-{day}.pdf", pdf.read_bytes()),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         f"{report_id}-{day}.docx", word.read_bytes())]
    text = message.get_body(("plain",)).get_content()
    assert f"attached as {report_id}-{day}.pdf (" in text and f") and {report_id}-{day}.docx (" in text


def test_attaching_a_format_the_report_does_not_build_is_refused_before_building(synthetic_project):
    report_id = configure_mail(synthetic_project, 9)
    config = synthetic_project / "reportgen.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        f"- id: {report_id}\n", f"- id: {report_id}\n  attach: [pdf, docx]\n", 1), encoding="utf-8")
    with pytest.raises(ReportgenError) as refused:
        distribute(synthetic_project, report_id, dry_run=True)
    (problem,) = refused.value.problems
    assert "attaches docx, which it does not build" in problem.message
    lines = config.read_text(encoding="utf-8").splitlines()
    assert lines[problem.line - 1].strip() == "attach: [pdf, docx]"
    assert not (synthetic_project / "build").exists()
