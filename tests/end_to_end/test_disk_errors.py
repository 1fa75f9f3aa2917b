"""At the edges of the disk: full, read-only, a folder where a file should be (or a file where a
folder should be), a link where the lock should be. Every command says what it could not do, in
one line, and exits 1; never a traceback. Real processes, real file systems (see `disks`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen.make.state import STATE_FILE
from tests.support.builds import built_corpus, copy_built, edit_an_incident
from tests.support.disks import fill, read_only, tmpfs

pytestmark = pytest.mark.slow  # real processes on real mounts: under CI=true and `make test-all`

FULL = "No space left on device (the disk is full: free some space, then run it again)"
READ_ONLY = "Read-only file system (the file system is read-only: make it writable, or work on a copy)"


def cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`reportgen ARGS` run in the project's folder (paths are said relative to it)."""
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=root,
                          capture_output=True, text=True, timeout=120)


def said(done: subprocess.CompletedProcess) -> str:
    """What a failed command said: exactly one error, at the file it concerns, and no traceback."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    errors = [line for line in (done.stdout + done.stderr).splitlines() if ": error: " in line]
    assert len(errors) == 1, done.stdout + done.stderr
    return errors[0]


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    return built_corpus(tmp_path_factory.mktemp("disks"), reports=2)


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    return copy_built(built_once, tmp_path)


@pytest.mark.parametrize("command", [["build"], ["build", "-n"], ["clean"]])
def test_a_folder_where_the_state_file_belongs(built, command):
    (built / "build" / STATE_FILE).unlink()
    (built / "build" / STATE_FILE).mkdir()
    assert said(cli(built, *command)) == (f"build/{STATE_FILE}: error: cannot use: Is a directory "
                                          "(a folder is where a file should be: move it away)")


@pytest.mark.parametrize("command", [["build"], ["clean"]])
def test_a_folder_where_the_lock_belongs(built, command):
    (built / "build" / ".reportgen.lock").unlink()
    (built / "build" / ".reportgen.lock").mkdir()
    assert said(cli(built, *command)) == (
        "build/.reportgen.lock: error: cannot use: Is a directory "
        "(a folder is where a file should be: move it away)")


def test_a_link_where_the_lock_belongs_is_not_written_through(built, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (built / "build" / ".reportgen.lock").unlink()
    (built / "build" / ".reportgen.lock").symlink_to(victim)
    assert said(cli(built, "build")) == (
        "build/.reportgen.lock: error: cannot use: Too many levels of symbolic links "
        "(a symbolic link is where a file should be: put the file itself there)")
    assert victim.read_text() == "keep me"


def test_a_file_where_the_build_folder_belongs(built):
    shutil.rmtree(built / "build")
    (built / "build").write_text("not a folder")
    assert said(cli(built, "build")) == ("build: error: cannot use: Not a directory "
                                         "(a file is where a folder should be: move it away)")
    assert cli(built, "clean").returncode == 0  # nothing to clean


def test_any_command_that_meets_the_disk_says_it_in_one_line(built):
    (built / "schemas-file").write_text("a file")
    assert said(cli(built, "schema", "--write", "schemas-file/inner")) == (
        "schemas-file/inner: error: cannot use: Not a directory "
        "(a file is where a folder should be: move it away)")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_folder_where_a_briefing_belongs_fails_that_target_only(built, jobs):
    output = built / "build" / "synthetic-report-1" / "synthetic-report-1.md"
    output.unlink()
    output.mkdir()
    done = cli(built, "build", "--force", "-k", "-j", jobs)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert ("build/synthetic-report-1/synthetic-report-1.md: error: cannot use: Is a directory "
            "(a folder is where a file should be: move it away)" in done.stdout), done.stdout
    assert "wrote build/synthetic-report-0/synthetic-report-0.md" in done.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_while_planning(built, tmp_path, jobs):
    """With -j2 the planning process writes the workers' jobs; with -j1 the state is saved after
    planning. Either write fails on a disk filled to the last byte."""
    saved = tmp_path / "saved-build"
    shutil.copytree(built / "build", saved, symlinks=True)
    shutil.rmtree(built / "build")
    with tmpfs(built / "build", size="8m"):  # room for the outputs and kept charts; then filled
        shutil.copytree(saved, built / "build", symlinks=True, dirs_exist_ok=True)
        edit_an_incident(built)
        filler = fill(built / "build")
        message = said(cli(built, "build", "-j", jobs))
        assert re.fullmatch(rf"build/\S+: error: cannot write: {re.escape(FULL)}", message), message
        filler.unlink()
        again = cli(built, "build", "-j", jobs)
        assert again.returncode == 0 and "built 1 target, 1 up to date" in again.stdout, again.stderr


def test_a_read_only_build_folder(built):
    from tests.support.mailserver import configure_mail

    report_id = configure_mail(built, 2525)  # mail builds its PDF first
    saved = built.parent / "saved-build"
    shutil.copytree(built / "build", saved, symlinks=True)
    shutil.rmtree(built / "build")
    with tmpfs(built / "build", size="4m"):  # room for the saved build, maps and archive
        shutil.copytree(saved, built / "build", symlinks=True, dirs_exist_ok=True)
        edit_an_incident(built)
        read_only(built / "build")
        for command in (["build"], ["clean"], ["mail", report_id, "--dry-run"]):
            assert said(cli(built, *command)) == f"build/.reportgen.lock: error: cannot write: {READ_ONLY}"
        assert cli(built, "check").returncode == 0  # reads only
        export = cli(built, "export", "--format", "csv", "-o", "build/incidents.csv")
        assert re.fullmatch(rf"build/\S*incidents.csv\S*: error: cannot write: {re.escape(READ_ONLY)}",
                            said(export))


def test_export_and_schema_to_a_full_disk(built, tmp_path):
    with tmpfs(tmp_path / "disk", size="64k") as disk:
        fill(disk)
        export = cli(built, "export", "--format", "json", "-o", str(disk / "corpus.json"))
        schemas = cli(built, "schema", "--write", str(disk / "schemas"))
    assert re.fullmatch(rf"{disk}/\S*corpus.json\S*: error: cannot write: {re.escape(FULL)}", said(export))
    assert re.fullmatch(rf"{disk}/schemas/\S+: error: cannot write: {re.escape(FULL)}", said(schemas))


@pytest.mark.slow
def test_mail_when_a_file_is_where_the_outbox_belongs(built):
    from tests.support.mailserver import configure_mail

    report_id = configure_mail(built, 2525)
    (built / "build" / report_id / "outbox").write_text("a file")
    assert said(cli(built, "mail", report_id, "--dry-run")) == (
        f"build/{report_id}/outbox: error: cannot create: File exists "
        "(something of that name is in the way: move it away)")


@pytest.mark.slow
def test_mail_when_the_send_log_cannot_be_written(built):
    """A disk full to the last byte when mail writes its send log: one line naming the log, exit
    1, nothing sent. (A device in the log's place, such as /dev/full, is refused before: only a
    regular file is a send log.)"""
    from tests.support.mailserver import configure_mail, start_server

    server = start_server()
    try:
        report_id = configure_mail(built, server.port)
        assert cli(built, "build", report_id).returncode == 0  # mail finds its PDF built
        folder = built / "build" / report_id  # the log's folder full; the build state's not
        saved = built.parent / "saved-report"
        shutil.copytree(folder, saved, symlinks=True)
        shutil.rmtree(folder)
        with tmpfs(folder, size="16m"):
            shutil.copytree(saved, folder, symlinks=True, dirs_exist_ok=True)
            filler = fill(folder)
            done = cli(built, "mail", report_id)
            filler.unlink()
    finally:
        server.stop()
    assert said(done).startswith(f"build/{report_id}/sent.jsonl: error: cannot write the send log: "
                                 "No space left on device")
    assert server.handler.received == []
