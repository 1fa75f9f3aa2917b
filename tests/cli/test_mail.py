"""`reportgen mail` from the command line: exit codes, messages, and two runs at once."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.mail.sendlog import ATTEMPT, SendLog, SendRecord
from reportgen.make import build
from tests.support.mailserver import PASSWORD, configure_mail, make_certificate, start_server

pytestmark = pytest.mark.slow  # each mailing builds its PDF first


def mail(root, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, ["mail", *args, "-C", str(root)], env=env, catch_exceptions=False)


def built(root, port, **options) -> str:
    """A project configured for mail; `reportgen mail` builds the PDF itself."""
    return configure_mail(root, port, **options)


def test_mail_then_mail_again(mail_project, server):
    report_id = built(mail_project, server.port)

    first = mail(mail_project, report_id)
    second = mail(mail_project, report_id)

    assert first.exit_code == 0, first.output
    assert "sent: reader1@example.org [desk]" in first.output
    assert f"{report_id}: 3 sent" in first.output
    assert second.exit_code == 0 and f"{report_id}: 3 already sent" in second.output
    assert len(server.handler.received) == 3


def test_a_recipient_not_served_makes_the_exit_code_non_zero(mail_project, server):
    report_id = built(mail_project, server.port)
    server.handler.always("reader3@example.org", "550 5.1.1 No such user here")

    result = mail(mail_project, report_id)

    assert result.exit_code == 1
    assert "failed: reader3@example.org [desk] (550 5.1.1 No such user here)" in result.output
    assert "2 sent, 1 failed" in result.output and "run `reportgen mail` again" in result.output


def test_a_refused_list_is_a_located_error_and_nothing_is_sent(mail_project, server):
    lists = {"partners": ("TLP:GREEN", [("Partner Reader", "partner@example.org")])}
    report_id = built(mail_project, server.port, lists=lists, report_marking="TLP:AMBER")
    line = next(n for n, text in enumerate((mail_project / "reportgen.yaml").read_text().splitlines(), 1)
                if text.strip() == "marking: TLP:GREEN")

    result = mail(mail_project, report_id)

    assert result.exit_code == 1
    assert f"reportgen.yaml:{line}:" in result.output
    assert "list 'partners' is cleared up to TLP:GREEN, but report" in result.output
    assert "Traceback" not in result.output
    assert server.handler.commands == []


def test_a_missing_or_stale_pdf_is_built_before_mailing(mail_project, server):
    report_id = configure_mail(mail_project, server.port)
    pdf = mail_project / "build" / report_id / f"{report_id}.pdf"
    assert not pdf.exists()
    result = mail(mail_project, report_id)
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF-")
    parts = [p for p in server.handler.received[0].message.iter_attachments()]
    attachment = parts[0].get_content()
    assert attachment == pdf.read_bytes()
    config = mail_project / "reportgen.yaml"
    config.write_text(config.read_text().replace("Synthetic Desk", "Renamed Desk", 1))
    again = mail(mail_project, report_id)  # the PDF is rebuilt: a new issue, sent again
    assert again.exit_code == 0 and f"{report_id}: 3 sent" in again.output, again.output
    assert pdf.read_bytes() != attachment


def test_an_unknown_report_exits_2_listing_the_reports(mail_project, server):
    built(mail_project, server.port)
    result = mail(mail_project, "synthetic-report-9")
    assert result.exit_code == 2 and "no report 'synthetic-report-9'" in result.output
    assert "synthetic-report-0, synthetic-report-1" in result.output and "nothing was sent" in result.output


def test_without_a_report_mail_takes_the_first_as_serve_does(mail_project, server):
    report_id = built(mail_project, server.port)  # the first report of the project
    result = mail(mail_project, "--dry-run")
    assert result.exit_code == 0 and f"{report_id}: 3 written" in result.output, result.output


def test_a_project_with_errors_is_not_mailed(mail_project, server):
    report_id = built(mail_project, server.port)
    config = mail_project / "reportgen.yaml"
    config.write_text(config.read_text().replace("timeout: 5", "timeout: 5\n  colour: blue"))
    result = mail(mail_project, report_id)
    assert result.exit_code == 1 and "unknown field 'colour'" in result.output
    assert server.handler.commands == []


def test_dry_run_writes_the_outbox(mail_project, server):
    report_id = built(mail_project, server.port)
    result = mail(mail_project, report_id, "--dry-run")
    outbox = mail_project / "build" / report_id / "outbox"
    assert result.exit_code == 0 and "3 written" in result.output
    assert len(list(outbox.glob("*.eml"))) == 3
    assert server.handler.commands == []


def test_starttls_with_the_password_from_the_environment(mail_project, tmp_path):
    certificate = make_certificate(tmp_path / "tls")
    server = start_server("starttls", certificate)
    try:
        report_id = built(mail_project, server.port, security="starttls")
        env = {"SSL_CERT_FILE": str(certificate.cert), "REPORTGEN_TEST_SMTP_PASSWORD": PASSWORD}
        missing = mail(mail_project, report_id, env=env | {"REPORTGEN_TEST_SMTP_PASSWORD": ""})
        result = mail(mail_project, report_id, env=env)
    finally:
        server.stop()
    assert missing.exit_code == 1
    assert "REPORTGEN_TEST_SMTP_PASSWORD (the SMTP password) is not set" in missing.output
    assert result.exit_code == 0, result.output
    assert len(server.handler.received) == 3
    assert all(item.tls and item.authenticated for item in server.handler.received)


@pytest.mark.slow  # two interpreters start: about 1-2 s
def test_two_mail_processes_at_once_serve_everyone_once(mail_project, server):
    people = [(f"Test Reader {n}", f"reader{n}@example.org") for n in range(1, 21)]
    report_id = built(mail_project, server.port, lists={"desk": ("TLP:AMBER", people)})
    command = [sys.executable, "-c", "from reportgen.cli import main; main()",
               "mail", report_id, "-C", str(mail_project)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=os.environ | {"PYTHONUNBUFFERED": "1"}) for _ in range(2)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]

    assert [run.returncode for run in runs] == [0, 0], outputs
    assert Counter(server.handler.recipients()) == {address: 1 for _, address in people}
    assert sorted("20 sent" in out for out in outputs) == [False, True]
    assert sorted("20 already sent" in out for out in outputs) == [False, True]


def test_two_builds_and_a_mail_started_together(mail_project, server):
    """The build lock orders them; the mail waits for an up-to-date PDF, sends it once, and the
    state the builds leave is whole (the next build decides from it without reading a file)."""
    report_id = built(mail_project, server.port)
    cli = [sys.executable, "-c", "from reportgen.cli import main; main()"]
    where = ["-C", str(mail_project)]
    commands = [[*cli, "build", "-j1", *where], [*cli, "build", "-j2", *where],
                [*cli, "mail", report_id, *where]]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=os.environ | {"PYTHONUNBUFFERED": "1"}) for command in commands]
    outputs = [run.communicate(timeout=180)[0] for run in runs]

    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    assert Counter(server.handler.recipients()) == {f"reader{n}@example.org": 1 for n in (1, 2, 3)}
    pdf = (mail_project / "build" / report_id / f"{report_id}.pdf").read_bytes()
    for item in server.handler.received:
        assert next(item.message.iter_attachments()).get_content() == pdf
    again = build(mail_project, jobs=1)
    assert again.ok and not again.stale and not again.loaded
    assert f"{report_id}: 3 already sent" in mail(mail_project, report_id).output


def test_strict_sends_nothing_when_the_marking_withholds_a_record(mail_project, server):
    report_id = built(mail_project, server.port)  # the report is TLP:GREEN
    incident = sorted((mail_project / "incidents").rglob("*.yaml"))[0]
    incident.write_text(incident.read_text().replace("marking: TLP:CLEAR", "marking: TLP:RED"))

    refused = mail(mail_project, report_id, "--strict")
    assert refused.exit_code == 1
    assert "--strict refuses to build a briefing that withholds it" in refused.output
    assert "nothing was sent" in refused.output and server.handler.received == []
    assert not (mail_project / "build" / report_id / f"{report_id}.pdf").exists()
    served = mail(mail_project, report_id)
    assert served.exit_code == 0 and f"{report_id}: 3 sent" in served.output


def test_a_send_log_that_cannot_be_written_is_a_located_error_and_nothing_is_sent(mail_project, server):
    report_id = built(mail_project, server.port)
    (mail_project / "build" / report_id / "sent.jsonl").mkdir(parents=True)

    result = mail(mail_project, report_id)

    assert result.exit_code == 1
    located = f"build/{report_id}/sent.jsonl: error: cannot write the send log: Is a directory"
    assert located in result.output
    assert "nothing was sent" in result.output and "Traceback" not in result.output
    assert server.handler.commands == []


def test_recipients_in_doubt_are_listed_then_sent_again_with_the_same_message_id(mail_project, server):
    report_id = built(mail_project, server.port)
    assert mail(mail_project, report_id, "--dry-run").exit_code == 0  # builds the PDF
    pdf = mail_project / "build" / report_id / f"{report_id}.pdf"
    digest = "sha256:" + hashlib.sha256(pdf.read_bytes()).hexdigest()
    in_doubt = "<killed-mid-send.test@example.org>"
    SendLog(pdf.with_name("sent.jsonl")).append(SendRecord(  # what a run killed mid-send leaves
        digest, "reader2@example.org", in_doubt, "2026-11-23T08:30:00+00:00", ATTEMPT, "", ("desk",)))

    left = mail(mail_project, report_id, "--no-resend-in-doubt")
    later = mail(mail_project, report_id)

    assert left.exit_code == 1
    assert f"in doubt: reader2@example.org [desk] ({in_doubt}: an earlier run stopped" in left.output
    assert f"{report_id}: 2 sent, 1 in doubt — in doubt: " in left.output
    assert later.exit_code == 0, later.output
    assert ("sent: reader2@example.org [desk] (in doubt after an earlier run: sent again with the same "
            f"Message-ID {in_doubt})") in later.output
    assert f"{report_id}: 1 sent (1 of them in doubt after an earlier run" in later.output
    assert [item.message["Message-ID"] for item in server.handler.received
            if item.rcpt_tos == ["reader2@example.org"]] == [in_doubt]


def test_an_unknown_list_exits_2_listing_the_lists(mail_project, server):
    report_id = built(mail_project, server.port)
    result = mail(mail_project, report_id, "--list", "nosuch", "--dry-run")
    assert result.exit_code == 2 and "no distribution list 'nosuch'" in result.output
    assert "desk" in result.output and server.handler.commands == []


def test_an_issue_with_text_awaiting_review_is_not_sent_unless_a_reason_is_given(mail_project, server):
    """After `next`, the bottom line (and any judgments) carried over stand under the new issue's
    date: mail, dry run included, refuses at each item's line; --unreviewed sends, and the send
    log says why with every attempt."""
    import json

    report_id = built(mail_project, server.port)
    import yaml

    path = mail_project / "reportgen.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["reports"][0]["review"] = ["bottom-line"]
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    for args in ([], ["--dry-run"]):
        result = mail(mail_project, report_id, *args)
        assert result.exit_code == 1
        assert "bottom line carried over from the last issue and not yet reviewed" in result.output
        assert "reportgen.yaml:" in result.output and "nothing was sent" in result.output
    assert server.handler.commands == []
    result = mail(mail_project, report_id, "--unreviewed", "the desk chief read it on the phone")
    assert result.exit_code == 0, result.output
    log = [json.loads(line) for line in (mail_project / "build" / report_id / "sent.jsonl")
           .read_text(encoding="utf-8").splitlines()]
    attempts = [line for line in log if line["result"] == "attempt"]
    assert attempts and all("the desk chief read it on the phone" in line["detail"] for line in attempts)
