"""The send log survives a crash mid-write and is read back by content digest."""

from __future__ import annotations

from reportgen.distribute.sendlog import FAILED, SENT, SendLog, SendRecord


def record(recipient: str, result: str = SENT, digest: str = "sha256:aa") -> SendRecord:
    return SendRecord(digest, recipient, f"<{recipient}.id@example.org>", "2024-02-09T08:30:00+00:00", result)


def test_served_means_sent_for_this_content(tmp_path):
    log = SendLog(tmp_path / "build" / "brief" / "sent.jsonl")
    log.append(record("one@example.org"))
    log.append(record("Two@Example.org"))
    log.append(record("three@example.org", FAILED))
    log.append(record("four@example.org", digest="sha256:bb"))
    assert log.served("sha256:aa") == {"one@example.org", "two@example.org"}
    assert log.served("sha256:bb") == {"four@example.org"}
    assert list(log.records())[0] == record("one@example.org")


def test_a_line_torn_by_a_crash_is_skipped_and_the_next_line_starts_clean(tmp_path):
    log = SendLog(tmp_path / "sent.jsonl")
    log.append(record("one@example.org"))
    with log.path.open("a", encoding="utf-8") as torn:
        torn.write('{"digest": "sha256:aa", "recipient": "two@exa')  # killed mid-write
    log.append(record("three@example.org"))
    assert log.served("sha256:aa") == {"one@example.org", "three@example.org"}
    assert len(log.path.read_text().splitlines()) == 3


def test_foreign_lines_are_ignored(tmp_path):
    log = SendLog(tmp_path / "sent.jsonl")
    log.path.write_text('[1, 2]\n"text"\n{"digest": "sha256:aa"}\nnot json\n', encoding="utf-8")
    log.append(record("one@example.org"))
    assert log.served("sha256:aa") == {"one@example.org"}
