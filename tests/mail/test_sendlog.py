"""The send log survives a crash mid-write and is read back by content digest."""

from __future__ import annotations

from reportgen.mail.sendlog import ATTEMPT, FAILED, SENT, SendLog, SendRecord


def record(recipient: str, result: str = SENT, digest: str = "sha256:aa", copy: int = 0) -> SendRecord:
    return SendRecord(digest, recipient, f"<{recipient}.{copy}@example.org>", "2024-02-09T08:30:00+00:00",
                      result)


def served(log: SendLog, digest: str) -> set[str]:
    return {key for key, standing in log.standings(digest).items() if standing.served}


def test_served_means_sent_for_this_content(tmp_path):
    log = SendLog(tmp_path / "build" / "brief" / "sent.jsonl")
    log.append(record("one@example.org"))
    log.append(record("Two@Example.org"))
    log.append(record("three@example.org", FAILED))
    log.append(record("four@example.org", digest="sha256:bb"))
    assert served(log, "sha256:aa") == {"one@example.org", "two@example.org"}
    assert served(log, "sha256:bb") == {"four@example.org"}
    assert log.records()[0] == record("one@example.org")


def test_an_attempt_without_an_outcome_is_in_doubt_with_its_message_id(tmp_path):
    log = SendLog(tmp_path / "sent.jsonl")
    for line in [record("one@example.org", ATTEMPT), record("one@example.org"),  # sent
                 record("two@example.org", ATTEMPT), record("two@example.org", FAILED),  # failed
                 record("three@example.org", ATTEMPT),  # killed before the reply was logged
                 record("one@example.org", ATTEMPT, copy=1)]:  # a --resend killed the same way
        log.append(line)
    standings = log.standings("sha256:aa")
    assert [(key, s.served, s.in_doubt) for key, s in standings.items()] == [
        ("one@example.org", True, "<one@example.org.1@example.org>"),
        ("two@example.org", False, ""),
        ("three@example.org", False, "<three@example.org.0@example.org>")]
    assert standings["one@example.org"].accepted == {"<one@example.org.0@example.org>"}
    assert log.standings("sha256:bb") == {}


def test_a_line_torn_by_a_crash_is_skipped_and_the_next_line_starts_clean(tmp_path):
    log = SendLog(tmp_path / "sent.jsonl")
    log.append(record("one@example.org"))
    with log.path.open("a", encoding="utf-8") as torn:
        torn.write('{"digest": "sha256:aa", "recipient": "two@exa')  # killed mid-write
    log.append(record("three@example.org"))
    assert served(log, "sha256:aa") == {"one@example.org", "three@example.org"}
    assert len(log.path.read_text().splitlines()) == 3


def test_foreign_lines_are_ignored(tmp_path):
    log = SendLog(tmp_path / "sent.jsonl")
    log.path.write_text('[1, 2]\n"text"\n{"digest": "sha256:aa"}\nnot json\n', encoding="utf-8")
    log.append(record("one@example.org"))
    assert served(log, "sha256:aa") == {"one@example.org"}
