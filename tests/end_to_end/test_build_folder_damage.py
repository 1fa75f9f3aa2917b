"""What an earlier build left in build/ is never trusted: a path it names outside build/ is
refused, a file of the wrong shape is set aside with one warning and what it recorded rebuilt.
Real builds of a small generated project, a real state, real links."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reportgen.make import build, clean
from reportgen.make.state import FORMAT, RECORDS_DIR, STATE_FILE
from tests.support.builds import built_corpus, cli, copy_built, edit_an_incident

REPORT = "synthetic-report-0"
MD = f"build/{REPORT}/{REPORT}.md"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    return built_corpus(tmp_path_factory.mktemp("files"))


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A copy of the built project (up to date), with a sentinel folder beside it."""
    root = copy_built(built_once, tmp_path)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "victim.txt").write_text("keep me")
    return root


def state_of(root: Path) -> dict:
    return json.loads((root / "build" / STATE_FILE).read_text())


def save(root: Path, state: dict) -> None:
    (root / "build" / STATE_FILE).write_text(json.dumps(state))




def test_a_state_naming_files_outside_build_is_set_aside_and_they_survive_build_and_clean(built, tmp_path):
    victim = tmp_path / "outside" / "victim.txt"
    for name in ["../outside/victim.txt", str(victim), "build/../../outside/victim.txt"]:
        state = state_of(built)
        state["targets"][name] = state["targets"][MD]
        save(built, state)
        edit_an_incident(built)
        result = build(built, jobs=1)
        assert result.ok and victim.read_text() == "keep me"
        assert [p.message.split(" (")[0] for p in result.problems] == ["the build state is damaged"]
        save(built, state)  # named again, for clean
        clean(built)
        assert victim.read_text() == "keep me"
        assert build(built, jobs=1).ok


def test_no_link_in_build_makes_a_build_or_clean_remove_or_write_anything_outside(built, tmp_path):
    outside = tmp_path / "outside"
    for name in ["link.md", "link.html", ".link.k3j2x9.tmp", "charts/.x.svg.k3j2x9.tmp",
                 "issues/.1.json.k3j2x9.tmp", "0123456789abcdef.json"]:
        (outside / name).parent.mkdir(exist_ok=True)
        (outside / name).write_text("keep me")
    (built / "build" / "link").symlink_to(outside)  # named like a report folder: build/link/link.md
    state = state_of(built)
    state["targets"]["build/link/link.md"] = state["targets"][MD]
    save(built, state)
    before = sorted(p.relative_to(outside) for p in outside.rglob("*"))
    edit_an_incident(built)
    assert build(built, jobs=1).ok
    clean(built)
    assert sorted(p.relative_to(outside) for p in outside.rglob("*")) == before
    assert all(p.read_text() == "keep me" for p in outside.rglob("*")
               if p.is_file() and p.name != "victim.txt")


def test_a_report_folder_leading_outside_build_fails_its_target_and_writes_nothing_there(built, tmp_path):
    outside = tmp_path / "outside"
    charts = built / "build" / REPORT / "charts"
    shutil.rmtree(charts)
    charts.symlink_to(outside)
    (outside / "old.svg").write_text("keep me")
    edit_an_incident(built)
    result = build(built, jobs=1)
    assert [f.message for f in result.failed] == [
        f"not written: build/{REPORT}/charts goes through a symbolic link, which reportgen never "
        "follows in build/"]
    assert sorted(p.name for p in outside.iterdir()) == ["old.svg", "victim.txt"]


def test_a_record_set_id_that_is_a_path_is_refused(built, tmp_path):
    (tmp_path / "outside" / "victim.json").write_text('{"x": "y"}')
    state = state_of(built)
    state["targets"][MD]["records"] = "../../../outside/victim"
    save(built, state)
    edit_an_incident(built)
    result = build(built, jobs=1)
    assert result.ok and (tmp_path / "outside" / "victim.json").read_text() == '{"x": "y"}'
    assert "records: '../../../outside/victim' is not a record set id" in result.problems[0].message


@pytest.mark.slow  # everything rebuilt: 3 s, in CI
def test_a_state_of_the_wrong_shape_is_set_aside_with_one_warning_and_everything_rebuilt(built):
    state = state_of(built)
    state["targets"][MD]["output"] = []
    save(built, state)
    damaged = (built / "build" / STATE_FILE).read_bytes()
    dry = cli(built, "build", "-n")
    assert dry.returncode == 0 and "Traceback" not in dry.stderr
    assert (built / "build" / STATE_FILE).read_bytes() == damaged  # a dry run writes nothing
    done = cli(built, "build")
    assert done.returncode == 0, done.stdout + done.stderr
    warning = (f"build/{STATE_FILE}: warning: the build state is damaged (targets['{MD}'].output: "
               f"not a pair of ints); set aside as build/{STATE_FILE}.damaged (every target is rebuilt)")
    assert done.stdout.count(warning) == 1 and f"wrote {MD}" in done.stdout
    assert (built / "build" / f"{STATE_FILE}.damaged").read_bytes() == damaged
    again = cli(built, "build")
    assert again.stdout.startswith("nothing to do") and "warning" not in again.stdout


@pytest.mark.parametrize("text", ["", "{", "[]", "null", '"x"', "1e999", "[" * 100_000,
                                  json.dumps({"format": FORMAT}),
                                  json.dumps({"format": FORMAT, "files": [], "targets": {}})])
def test_a_state_that_is_not_one_never_breaks_a_build(built, text):
    (built / "build" / STATE_FILE).write_text(text)
    result = build(built, jobs=1)
    assert result.ok and {t.path for t in result.built} == {MD}
    assert (built / "build" / f"{STATE_FILE}.damaged").read_text() == text
    assert not build(built, jobs=1).loaded


def test_a_folder_where_the_record_sets_belong_is_set_aside(built, tmp_path):
    folder = built / "build" / RECORDS_DIR
    shutil.rmtree(folder)
    folder.symlink_to(tmp_path / "outside")
    edit_an_incident(built)
    result = build(built, jobs=1)
    assert result.ok and [p.message for p in result.problems] == [
        "the folder of the build's record sets is damaged (a symbolic link, not a folder); "
        f"set aside as build/{RECORDS_DIR}.damaged"]
    assert folder.is_dir() and not folder.is_symlink()
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["victim.txt"]




def test_a_manifest_of_the_wrong_shape_is_set_aside_with_one_warning(built):
    manifest = built / "build" / REPORT / "issues" / "0.json"
    manifest.write_text('{"incidents": [], "report": "x", "issue": 0, "date": "2024-01-01"}')
    edit_an_incident(built)
    done = cli(built, "build")
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr
    stored = manifest.relative_to(built).as_posix()
    assert done.stdout.count(f"{stored}: warning: the issue manifest is damaged (not one this "
                             f"reportgen can read); set aside as {stored}.damaged") == 1
    assert manifest.with_name("0.json.damaged").is_file() and not manifest.exists()




def _left_files(root: Path) -> list[str]:
    """Every file a build left below build/ (state, record sets, manifests, archive, outputs)."""
    return sorted(str(p.relative_to(root)) for p in (root / "build").rglob("*")
                  if p.is_file() and not p.is_symlink() and p.name != ".reportgen.lock")


@pytest.mark.slow  # a build per file left, twice: about a minute
@pytest.mark.parametrize("kind", ["pipe", "link"])
def test_no_file_build_left_is_read_unless_it_is_a_regular_file(built, tmp_path, kind):
    """Each file a build left in build/, one at a time, replaced by a named pipe (a read would
    wait for ever) or by a link to a file outside the project (a read would follow it): the
    next build finishes, reads nothing outside, and the one after it is clean."""
    import os

    outside = tmp_path / "outside" / "secret.txt"
    outside.write_text("XQSECRET")
    for relative in _left_files(built):
        trial = copy_built(built, tmp_path / f"t{abs(hash(relative))}")
        path = trial / relative
        path.unlink()
        if kind == "pipe":
            os.mkfifo(path)
        else:
            path.symlink_to(outside)
        edit_an_incident(trial)
        first = cli(trial, "build", "-j", "1")  # a hang fails at its timeout, not for ever
        assert first.returncode in (0, 1), (relative, first.stderr)
        assert "Traceback" not in first.stderr, (relative, first.stderr)
        written = [p for p in (trial / "build").rglob("*") if p.is_file() and not p.is_symlink()]
        assert not any(b"XQSECRET" in p.read_bytes() for p in written), relative
        assert outside.read_text() == "XQSECRET"
        shutil.rmtree(trial.parent)


@pytest.mark.slow  # three builds
@pytest.mark.parametrize("planted", ["link to a folder", "link to a file", "pipe"])
def test_the_jobs_folder_or_a_job_planted_as_a_link_or_pipe_is_never_used(built, tmp_path, planted):
    """The build hands its workers their jobs in build/.reportgen-jobs/: a link or a pipe left
    there (the folder itself, or a job's file) is replaced, never written through or waited on."""
    import os

    from reportgen.make.targets import JOBS_DIR

    outside = tmp_path / "outside"
    jobs = built / "build" / JOBS_DIR
    if planted == "link to a folder":
        jobs.symlink_to(outside, target_is_directory=True)
    else:
        jobs.mkdir(exist_ok=True)
        job = jobs / f"{REPORT}.pickle"
        if planted == "pipe":
            os.mkfifo(job)
        else:
            job.symlink_to(outside / "victim.txt")
    edit_an_incident(built)
    result = cli(built, "build", "-j", "2")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]
    assert (outside / "victim.txt").read_text() == "keep me"
