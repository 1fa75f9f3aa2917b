"""Mail under faults, with real components (aiosmtpd on 127.0.0.1, real `reportgen mail`
processes): every reader gets the issue, and every copy they get carries one Message-ID.

A server that answers 421 or 451, drops the connection or says nothing at any stage; a send log
that cannot be written, before or part way; attempts a crash left without an outcome; `kill -9`.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from reportgen.mail import ALREADY_SENT, FAILED, IN_DOUBT, SENT, RetryPolicy
from reportgen.mail.sendlog import ATTEMPT, SendLog, SendRecord
from reportgen.problems import ReportgenError
from tests.mail.test_mailer import log_lines, prepare, send
from tests.support.mailserver import DROP, HANG, STAGES, Connection, Fault, configure_mail
from tests.support.synthetic import write_corpus

READERS = [f"reader{n}@example.org" for n in (1, 2, 3)]
REPLY_421 = "421 4.3.2 Service shutting down (test)"
REPLY_451 = "451 4.3.0 Try again later (test)"


def message_ids(server) -> dict[str, set[str]]:
    """The Message-IDs each recipient received, over all their copies."""
    found: dict[str, set[str]] = defaultdict(set)
    for item in server.handler.received:
        for recipient in item.rcpt_tos:
            found[recipient].add(item.message["Message-ID"])
    return found


def after_fault(connection: Connection) -> list[str]:
    """What a faulty connection carried after its fault (HELO after a refused EHLO is the same
    stage: smtplib's own fallback)."""
    stage = connection.fault.stage
    start = next(n for n, command in enumerate(connection.commands) if command.startswith(stage))
    return [command for command in connection.commands[start + 1:] if command != "HELO"]


@pytest.mark.parametrize("action", [REPLY_421, REPLY_451, DROP, HANG], ids=["421", "451", "drop", "hang"])
@pytest.mark.parametrize("stage", STAGES)
def test_two_faults_in_a_row_are_retried_on_fresh_connections_and_each_reader_gets_one_message(
        mail_project, server, stage, action):
    report_id, pdf = prepare(mail_project, server.port, timeout=0.5)  # HANG: the server says nothing for 30 s
    server.handler.fail_connections(Fault(stage, action), Fault(stage, action))

    result = send(mail_project, report_id, pdf, retry=RetryPolicy(attempts=3))

    assert result.ok, result.deliveries
    assert [d.attempts for d in result.deliveries] == [3, 1, 1]
    assert Counter(server.handler.recipients()) == dict.fromkeys(READERS, 1)
    first, second, healthy = server.handler.connections  # one fresh connection per retry
    assert after_fault(first) == [] and after_fault(second) == []
    assert healthy.fault is None and sum(c.startswith("DATA") for c in healthy.commands) == 3
    lines = log_lines(mail_project, report_id)  # one attempt covers its retries, with one Message-ID
    assert [(line["recipient"], line["result"]) for line in lines] == [
        (reader, outcome) for reader in READERS for outcome in (ATTEMPT, SENT)]
    received = message_ids(server)
    assert [{line["message_id"]} for line in lines] == [received[line["recipient"]] for line in lines]


def test_retries_reruns_and_a_lost_log_keep_the_message_id_and_resend_takes_a_new_one(mail_project, server):
    report_id, pdf = prepare(mail_project, server.port)
    server.handler.always("reader2@example.org", REPLY_451)
    first = send(mail_project, report_id, pdf)
    assert [d.status for d in first.deliveries] == [SENT, FAILED, SENT]
    server.handler.heal()
    assert send(mail_project, report_id, pdf).count(SENT) == 1
    (mail_project / "build" / report_id / "sent.jsonl").unlink()  # lost: every reader gets a second copy
    assert send(mail_project, report_id, pdf).count(SENT) == 3

    assert Counter(server.handler.recipients()) == dict.fromkeys(READERS, 2)
    ids = message_ids(server)
    assert [ids[reader] for reader in READERS] == [{d.message_id} for d in first.deliveries]
    assert len(set().union(*ids.values())) == 3

    resent = send(mail_project, report_id, pdf, resend=True)  # deliberate: readers' clients must keep it
    assert resent.count(SENT) == 3
    assert all(len(message_ids(server)[reader]) == 2 for reader in READERS)


@pytest.mark.parametrize("blocked", ["a folder in its place", "a file in place of its folder"])
def test_a_send_log_that_cannot_be_written_stops_the_run_before_anything_is_sent(
        mail_project, server, tmp_path, blocked):
    report_id, pdf = prepare(mail_project, server.port)
    build_dir = mail_project / "build" / report_id
    if blocked == "a folder in its place":
        (build_dir / "sent.jsonl").mkdir()
    else:
        pdf = shutil.move(pdf, tmp_path / "brief.pdf")
        shutil.rmtree(build_dir)
        build_dir.write_text("not a folder\n")

    with pytest.raises(ReportgenError) as stopped:
        send(mail_project, report_id, pdf)

    [problem] = stopped.value.problems
    assert (problem.path, problem.line) == (f"build/{report_id}/sent.jsonl", 0)  # the file as a whole
    assert problem.message.startswith("cannot ") and " the send log: " in problem.message
    assert "nothing is sent without it" in problem.hint
    assert server.handler.commands == [] and server.handler.received == []


def test_a_send_log_that_fails_part_way_stops_the_run_and_the_next_run_resends_the_one_in_doubt(
        mail_project, server, tmp_path):
    report_id, pdf = prepare(mail_project, server.port)
    log = mail_project / "build" / report_id / "sent.jsonl"

    def break_the_log(_message) -> None:  # while the client waits for the reply to reader1's message
        server.handler.on_message = None
        shutil.move(log, tmp_path / "sent.jsonl")
        log.mkdir()

    server.handler.on_message = break_the_log
    first = send(mail_project, report_id, pdf)

    assert not first.ok
    [problem] = first.problems
    assert problem.path == f"build/{report_id}/sent.jsonl" and "cannot write the send log" in problem.message
    assert [(d.recipient, d.status) for d in first.deliveries] == [
        ("reader1@example.org", SENT), ("reader2@example.org", FAILED), ("reader3@example.org", FAILED)]
    assert "the next run finds it in doubt" in first.deliveries[0].detail
    assert {d.detail for d in first.deliveries[1:]} == {"not attempted: the send log cannot be written"}
    assert server.handler.recipients() == ["reader1@example.org"]

    log.rmdir()
    shutil.move(tmp_path / "sent.jsonl", log)
    second = send(mail_project, report_id, pdf)

    assert second.ok and second.count(SENT) == 3
    assert [d.was_in_doubt for d in second.deliveries] == [True, False, False]
    assert Counter(server.handler.recipients()) == {"reader1@example.org": 2, "reader2@example.org": 1,
                                                    "reader3@example.org": 1}
    assert message_ids(server)["reader1@example.org"] == {first.deliveries[0].message_id}


def leave_in_doubt(mail_project: Path, report_id: str, pdf: Path, recipient: str, message_id: str) -> None:
    """The log a run killed after writing this attempt, before its outcome, leaves behind."""
    digest = "sha256:" + hashlib.sha256(pdf.read_bytes()).hexdigest()
    SendLog(mail_project / "build" / report_id / "sent.jsonl").append(SendRecord(
        digest, recipient, message_id, "2026-11-23T08:30:00+00:00", ATTEMPT, "", ("desk",)))


IN_DOUBT_ID = "<killed-mid-send.test@example.org>"


def test_an_attempt_in_doubt_is_sent_again_with_its_message_id(mail_project, server):
    report_id, pdf = prepare(mail_project, server.port)
    leave_in_doubt(mail_project, report_id, pdf, "reader2@example.org", IN_DOUBT_ID)

    result = send(mail_project, report_id, pdf)

    assert result.ok and result.count(SENT) == 3
    assert [(d.was_in_doubt, d.message_id == IN_DOUBT_ID) for d in result.deliveries] == [
        (False, False), (True, True), (False, False)]
    assert message_ids(server)["reader2@example.org"] == {IN_DOUBT_ID}
    assert send(mail_project, report_id, pdf).count(ALREADY_SENT) == 3


def test_no_resend_in_doubt_leaves_it_for_a_person_and_a_later_run_resends_the_same_id(mail_project, server):
    report_id, pdf = prepare(mail_project, server.port)
    leave_in_doubt(mail_project, report_id, pdf, "reader2@example.org", IN_DOUBT_ID)

    left = send(mail_project, report_id, pdf, resend_in_doubt=False)

    assert not left.ok
    assert [d.status for d in left.deliveries] == [IN_DOUBT, SENT, SENT]  # those not sent to come first
    assert [d.recipient for d in left.not_served] == ["reader2@example.org"]
    assert IN_DOUBT_ID in left.not_served[0].detail
    assert sorted(server.handler.recipients()) == ["reader1@example.org", "reader3@example.org"]

    server.handler.commands.clear()
    still = send(mail_project, report_id, pdf, resend_in_doubt=False)
    assert [d.status for d in still.deliveries] == [ALREADY_SENT, IN_DOUBT, ALREADY_SENT]
    assert server.handler.commands == []

    later = send(mail_project, report_id, pdf)
    assert later.ok and [d.recipient for d in later.deliveries if d.status == SENT] == ["reader2@example.org"]
    assert message_ids(server)["reader2@example.org"] == {IN_DOUBT_ID}


def test_a_resend_in_doubt_is_left_to_plain_runs_and_sent_again_by_the_next_resend(mail_project, server):
    report_id, pdf = prepare(mail_project, server.port)
    assert send(mail_project, report_id, pdf).count(SENT) == 3
    leave_in_doubt(mail_project, report_id, pdf, "reader2@example.org", IN_DOUBT_ID)  # a --resend killed
    server.handler.commands.clear()

    assert send(mail_project, report_id, pdf).count(ALREADY_SENT) == 3 and server.handler.commands == []
    resent = send(mail_project, report_id, pdf, resend=True)

    assert resent.count(SENT) == 3 and [d.was_in_doubt for d in resent.deliveries] == [False, True, False]
    assert resent.deliveries[1].message_id == IN_DOUBT_ID
    assert all(len(ids) == 2 for ids in message_ids(server).values())


KILL_ROUNDS = 10  # each a list of its own: three runs killed, then one that completes
KILLS_PER_ROUND = 3
READERS_PER_ROUND = 8


@pytest.mark.slow  # 40 `reportgen mail` processes: about a minute
def test_kill_9_at_random_moments_then_a_completing_run_serves_everyone_with_one_message_id(tmp_path, server):
    seed = int(os.environ.get("REPORTGEN_TEST_SEED") or random.SystemRandom().randrange(2**32))
    print(f"kill -9 of reportgen mail: seed {seed} (REPORTGEN_TEST_SEED={seed} repeats the delays)")
    rng = random.Random(seed)
    root = write_corpus(tmp_path / "project", incidents=8, actors=3, reports=2)
    lists = {f"round-{k}": ("TLP:AMBER", [(f"Reader {k} {n}", f"reader{k}-{n}@example.org")
                                          for n in range(READERS_PER_ROUND)]) for k in range(KILL_ROUNDS + 1)}
    report_id = configure_mail(root, server.port, lists=lists)
    server.handler.reply_delay = 0.05  # a server that takes a moment to say it has the message

    warm_up = _mail(root, report_id, "round-0")  # builds the PDF
    assert warm_up.communicate(timeout=180)[0] and warm_up.returncode == 0
    started = time.monotonic()
    timed = _mail(root, report_id, f"round-{KILL_ROUNDS}")  # how long a whole run takes
    assert timed.communicate(timeout=60)[0] and timed.returncode == 0
    whole_run = time.monotonic() - started

    in_doubt_reported = 0
    for k in range(KILL_ROUNDS):
        for _ in range(KILLS_PER_ROUND):
            run = _mail(root, report_id, f"round-{k}", output=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, whole_run))
            os.killpg(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
        completing = _mail(root, report_id, f"round-{k}")
        output = completing.communicate(timeout=60)[0]
        assert completing.returncode == 0, output
        in_doubt_reported += output.count("in doubt after an earlier run: sent again")

    received = Counter(server.handler.recipients())
    everyone = [address for _, people in lists.values() for _, address in people]
    ids = message_ids(server)
    print(f"{sum(n - 1 for n in received.values())} second copies, {in_doubt_reported} in-doubt resends "
          f"reported by completing runs, a whole run {whole_run:.2f} s")
    assert sorted(received) == sorted(everyone)
    assert {address: len(ids[address]) for address in everyone} == dict.fromkeys(everyone, 1), f"seed {seed}"


def _mail(root: Path, report_id: str, list_name: str, output=subprocess.PIPE) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "reportgen", "mail", report_id, "--list", list_name,
                             "-C", str(root)], stdout=output, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)
