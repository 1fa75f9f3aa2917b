"""Mail under faults, with real components (aiosmtpd on 127.0.0.1): every reader gets the issue.

A server that answers 421 or 451, drops the connection or says nothing at any stage.
"""

from __future__ import annotations

from collections import Counter

import pytest

from reportgen.distribute import RetryPolicy
from reportgen.synthetic import write_corpus

from .mailserver import DROP, HANG, STAGES, Connection, Fault, start_server
from .test_mail_send import prepare, send

READERS = [f"reader{n}@example.org" for n in (1, 2, 3)]
REPLY_421 = "421 4.3.2 Service shutting down (test)"
REPLY_451 = "451 4.3.0 Try again later (test)"


@pytest.fixture
def project(tmp_path):
    """Enough of a project to mail (the PDF is a small stand-in, written by `prepare`)."""
    return write_corpus(tmp_path / "project", incidents=8, actors=3, reports=2)


@pytest.fixture
def server():
    running = start_server()
    yield running
    running.stop()


def after_fault(connection: Connection) -> list[str]:
    """What a faulty connection carried after its fault (HELO after a refused EHLO is the same
    stage: smtplib's own fallback)."""
    stage = connection.fault.stage
    start = next(n for n, command in enumerate(connection.commands) if command.startswith(stage))
    return [command for command in connection.commands[start + 1:] if command != "HELO"]


@pytest.mark.parametrize("action", [REPLY_421, REPLY_451, DROP, HANG], ids=["421", "451", "drop", "hang"])
@pytest.mark.parametrize("stage", STAGES)
def test_two_faults_in_a_row_are_retried_on_fresh_connections_and_each_reader_gets_one_message(
        project, server, stage, action):
    report_id, pdf = prepare(project, server.port, timeout=1)  # HANG: the server says nothing for 30 s
    server.handler.fail_connections(Fault(stage, action), Fault(stage, action))

    result = send(project, report_id, pdf, retry=RetryPolicy(attempts=3))

    assert result.ok, result.deliveries
    assert [d.attempts for d in result.deliveries] == [3, 1, 1]
    assert Counter(server.handler.recipients()) == dict.fromkeys(READERS, 1)
    first, second, healthy = server.handler.connections  # one fresh connection per retry
    assert after_fault(first) == [] and after_fault(second) == []
    assert healthy.fault is None and sum(c.startswith("DATA") for c in healthy.commands) == 3
