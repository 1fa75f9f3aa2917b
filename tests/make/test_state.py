"""The build state: what it records, and what a partial build or a lost record set costs."""

from __future__ import annotations

import json

from reportgen.make import build
from reportgen.make.state import RECORDS_DIR, STATE_FILE
from tests.support.builds import ALL, edit, incident, outputs, reasons, rebuilt


def test_the_state_file_is_json_with_every_target(built):
    state = json.loads((built / "build" / STATE_FILE).read_text())
    assert set(state["targets"]) == outputs(*ALL)
    # one column per field of the input files, read a column at a time
    files = {row[0]: dict(zip(state["files"], row, strict=True))
             for row in zip(*state["files"].values(), strict=True)}
    assert list(state["files"]) == ["path", "size", "mtime_ns", "sha256", "trusted"]
    assert files[incident(built, 3).relative_to(built).as_posix()]["sha256"] == (
        __import__("hashlib").sha256(incident(built, 3).read_bytes()).hexdigest())
    # each report's record set (its formats share one) is a file of its own, named by content
    sets = {state["targets"][f"build/{r}/{r}.md"]["records"] for r in ALL}
    kept = sorted(p.name for p in (built / "build" / RECORDS_DIR).iterdir())
    assert kept == sorted(f"{set_id}.records" for set_id in sets)
    assert set(state["agreeing"]) == sets
    for set_id in sets:
        stored = (built / "build" / RECORDS_DIR / f"{set_id}.records").read_bytes()
        checksum, records = stored.split(b"\n", 1)  # each kept entry begins with its sha256
        assert checksum.decode() == __import__("hashlib").sha256(records).hexdigest()
        records = json.loads(records)
        assert all(files[path]["sha256"].startswith(digest) for path, digest in records.items())


def test_a_report_left_out_of_a_partial_build_is_rebuilt_by_the_next_full_one(built):
    edit(incident(built, 1), "killed: ", "killed: 1")  # selected by both reports
    assert rebuilt(build(built, ["synthetic-report-1"], jobs=1)) == outputs("synthetic-report-1")
    assert rebuilt(build(built, ["synthetic-report-1"], jobs=1)) == set()
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs("synthetic-report-0")
    assert reasons(result)["build/synthetic-report-0/synthetic-report-0.md"] == [
        f"{incident(built, 1).relative_to(built).as_posix()} changed"]
    assert not build(built, jobs=1).loaded


def test_record_sets_lost_or_damaged_cost_a_rebuild_never_a_crash(built):
    folder = built / "build" / RECORDS_DIR
    lost, damaged = sorted(folder.iterdir())
    lost.unlink()
    damaged.write_text('{"incidents/x.yaml": [1]}')
    assert rebuilt(build(built, jobs=1)) == set()  # outputs still match their inputs: no reading
    edit(incident(built, 3), "title: Synthetic incident 3 at", "title: Synthetic incident 3 near")
    result = build(built, jobs=1)
    assert rebuilt(result) == outputs(*ALL)  # in report 0 only, but sets unknown
    assert len(list(folder.glob("*.records"))) == 2
    # the damaged one is set aside, with one warning, for a person to look at
    stored = damaged.relative_to(built).as_posix()
    assert [str(p) for p in result.problems] == [
        f"{stored}: warning: a record set of the build state is damaged (its content does not match "
        f"its checksum); set aside as {stored}.damaged (the targets built from it are rebuilt)"]
    assert damaged.with_name(damaged.name + ".damaged").read_text() == '{"incidents/x.yaml": [1]}'
    assert not build(built, jobs=1).loaded
