"""Atomic writes: the old file or the new one, never half of one; new files whole or not there."""

from __future__ import annotations

import os

import pytest

from reportgen.problems import ReportgenError
from reportgen.write.atomic import COPY_CHUNK, copy_atomic, write_atomic, write_new


def test_write_atomic_replaces_whole_files_and_leaves_no_temporaries(tmp_path):
    target = tmp_path / "out" / "report.html"
    write_atomic(target, "first")
    write_atomic(target, "second, longer")
    assert target.read_text() == "second, longer"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.html"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path):
    target = tmp_path / "report.md"
    write_atomic(target, "old")

    def pieces():  # a template that fails half-way through the briefing
        yield "new first half, "
        raise ZeroDivisionError("division by zero")

    with pytest.raises(ZeroDivisionError):
        write_atomic(target, pieces())
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.md"]


def test_write_new_creates_a_whole_file_and_leaves_no_temporaries(tmp_path):
    target = tmp_path / "incidents" / "2024" / "2024-01-01-x.yaml"
    write_new(target, "id: x\n")
    assert target.read_text() == "id: x\n"
    assert os.listdir(target.parent) == [target.name]


def test_write_new_never_replaces_a_file_and_says_so_at_its_path(tmp_path):
    target = tmp_path / "actor.yaml"
    target.write_text("curated by hand")
    with pytest.raises(ReportgenError) as stopped:
        write_new(target, "blank")
    (problem,) = stopped.value.problems
    assert (problem.path, problem.line) == (str(target), 0)
    assert target.read_text() == "curated by hand"
    assert os.listdir(tmp_path) == ["actor.yaml"]


def test_write_new_fails_whole_when_writing_fails(tmp_path):
    target = tmp_path / "incident.yaml"
    with pytest.raises(UnicodeEncodeError):
        write_new(target, "a lone surrogate \ud800")
    assert os.listdir(tmp_path) == []


def test_copy_atomic_copies_every_byte_in_pieces(tmp_path):
    source = tmp_path / "big.html"
    source.write_bytes(bytes(range(256)) * (COPY_CHUNK // 100))  # several pieces, not a multiple
    target = tmp_path / "archive" / "1" / "big.html"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"the copy of an earlier build")
    assert copy_atomic(source, target) == target
    assert target.read_bytes() == source.read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["big.html"]  # no temporary left
