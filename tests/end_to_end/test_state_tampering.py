"""Tampering with what a build leaves in build/ (its state, record sets, issue manifests, links in
build/): random paths (absolute, `..`, links leading out, odd characters) and random JSON shapes
for every field. Whatever is drawn, a dry run, a build and `clean` raise nothing, and nothing
outside build/ is touched: a folder of sentinel files beside the project, and the project's own
files, keep their bytes and their mtimes, and nothing is added to them.

25 examples a run, new ones each run (100 under CI); for a longer search:
    TAMPER_EXAMPLES=1000 .venv/bin/pytest tests/end_to_end/test_state_tampering.py
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.make import build, clean
from reportgen.make.state import RECORDS_DIR, STATE_FILE
from tests.conftest import IN_CI
from tests.support.builds import built_corpus

REPORT = "synthetic-report-0"
OUTSIDE = "{outside}"
"""Stands for the sentinel folder's absolute path in drawn values."""
SENTINELS = ["victim.txt", "link.md", "link.html", ".link.k3j2x9.tmp", "charts/a.svg",
             "charts/.a.svg.k3j2x9.tmp", "issues/1.json", "issues/.1.json.k3j2x9.tmp",
             "0123456789abcdef.json", ".0123456789abcdef.json.k3j2x9.tmp", "empty/.keep"]
"""Named like what the build removes or sweeps, as seen through the link `build/link`."""

HOSTILE_PATHS = [
    "../outside/victim.txt", "../../outside/victim.txt", f"{OUTSIDE}/victim.txt", f"{OUTSIDE}/link.md",
    "build/../../outside/victim.txt", "build/../outside/victim.txt", "build/link/victim.txt",
    "build/link/link.md", "build/link/charts/a.svg", "build/link/empty/.keep",
    "build\\..\\..\\outside\\victim.txt", "build/link\\victim.txt", f"build/{REPORT}/\x00.md",
    "build/\ud800/x.md", "/", "", ".", "..", "build", "build/", "build//link/link.md",
    "build/./link/link.md", "build/.reportgen.lock", f"build/{REPORT}/issues/1.json",
    f"build/{REPORT}/sent.jsonl", "build/link/link.pdf", f"build/{'x' * 300}/y.md",
]
LINKS = {
    "records": f"build/{RECORDS_DIR}",
    "charts": f"build/{REPORT}/charts",
    "issues": f"build/{REPORT}/issues",
    "output": f"build/{REPORT}/{REPORT}.md",
    "report": f"build/{REPORT}",
}
"""What may be replaced by a link to the sentinel folder."""

parts = st.sampled_from(["build", "..", ".", "", "link", REPORT, f"{REPORT}.md", "charts", "a.svg",
                         "outside", "victim.txt", "\\", "é", "\x00"])
paths = st.one_of(st.sampled_from(HOSTILE_PATHS), st.text(max_size=20),
                  st.lists(parts, max_size=6).map("/".join))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10) | paths,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6) | paths,
                                                                        children, max_size=3),
    max_leaves=8)


def locations(value, at: tuple = ()) -> list[tuple]:
    """Every place in a JSON tree, as the keys (and indexes) leading to it."""
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += locations(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += locations(item, (*at, index))
    return found


def put(tree, at: tuple, value):
    """The tree with the value at `at` replaced (or removed, for None at a dict key)."""
    if not at:
        return {} if value is DELETE else value
    *above, last = at
    holder = tree
    for key in above:
        holder = holder[key]
    if value is DELETE and isinstance(holder, dict):
        del holder[last]
    else:
        holder[last] = None if value is DELETE else value
    return tree


DELETE = object()


@st.composite
def tamperings(draw, state: dict) -> list[tuple]:
    """A few changes to the state (a field anywhere set to anything, or removed; a hostile target,
    chart or record set id added), to its record set, to the issue manifests, and links placed
    in build/ leading to the sentinel folder."""
    spots = locations(state)
    target = f"build/{REPORT}/{REPORT}.md"
    change = st.one_of(
        st.tuples(st.just("state"), st.sampled_from(spots), st.one_of(json_values, st.just(DELETE))),
        st.tuples(st.just("target"), paths, st.just(None)),
        st.tuples(st.just("state"), st.just(("targets", target, "extras")), st.lists(paths, max_size=3)),
        st.tuples(st.just("state"), st.just(("expected",)), st.lists(paths, max_size=3)),
        st.tuples(st.just("state"), st.just(("targets", target, "records")), paths),
        st.tuples(st.just("state"), st.just(("agreeing",)), st.lists(paths, max_size=2)),
        st.tuples(st.just("records"), st.just(()), json_values),
        st.tuples(st.just("manifest"), st.sampled_from(["1.json", "0.json"]), json_values),
        st.tuples(st.just("manifest-field"), st.sampled_from(["incidents", "issue", "date", "report"]),
                  json_values),
        st.tuples(st.just("link"), st.sampled_from(sorted(LINKS)), st.just(None)),
    )
    return draw(st.lists(change, min_size=1, max_size=4))


def apply(root: Path, outside: Path, changes: list[tuple]) -> None:
    state_file = root / "build" / STATE_FILE
    state = json.loads(state_file.read_text())
    record = json.dumps(state["targets"][f"build/{REPORT}/{REPORT}.md"])
    (record_set,) = (root / "build" / RECORDS_DIR).glob("*.records")
    issues = root / "build" / REPORT / "issues"
    linked: set[str] = set()  # replaced by links to the sentinels: the test never writes there
    for kind, where, value in changes:
        if value is not DELETE:
            value = json.loads(json.dumps(value).replace(OUTSIDE, str(outside)))
        if kind == "state" and (where in locations(state) or len(where) == 1 and isinstance(state, dict)):
            state = put(state, where, value)
        elif kind == "target" and isinstance(state, dict) and isinstance(state.get("targets"), dict):
            state["targets"][where.replace(OUTSIDE, str(outside))] = json.loads(record)
        elif kind == "records" and "records" not in linked:
            record_set.write_text(json.dumps(value))
        elif kind == "manifest" and not linked & {"issues", "report"}:
            (issues / where).write_text(json.dumps(value))
        elif kind == "manifest-field" and not linked & {"issues", "report"}:
            manifest = json.loads((issues / "1.json").read_text())
            if isinstance(manifest, dict):
                (issues / "1.json").write_text(json.dumps({**manifest, where: value}))
        elif kind == "link" and where not in linked:
            link = root / LINKS[where]
            if link.is_dir() and not link.is_symlink():
                shutil.rmtree(link)
            else:
                link.unlink(missing_ok=True)
            link.symlink_to(outside)
            linked.add(where)
    state_file.write_text(json.dumps(state))


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, tuple]:
    """Every entry under `folder` (not below `skip`): its kind, bytes and mtime."""
    found = {}
    for path in [folder, *folder.rglob("*")]:
        if skip is not None and path.is_relative_to(skip):
            continue
        info = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        found[path.relative_to(folder).as_posix()] = (info.st_mode, info.st_mtime_ns, data)
    return found


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    return built_corpus(tmp_path_factory.mktemp("tamper"))


EXAMPLES = int(os.environ.get("TAMPER_EXAMPLES", 100 if IN_CI else 15))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_tampering_with_build_files_touches_anything_outside_build(built_project: Path, data):
    state = json.loads((built_project / "build" / STATE_FILE).read_text())
    changes = data.draw(tamperings(state))
    with tempfile.TemporaryDirectory() as scratch:
        root, outside = Path(scratch) / "project", Path(scratch) / "outside"
        shutil.copytree(built_project, root, symlinks=True)
        for name in SENTINELS:
            (outside / name).parent.mkdir(parents=True, exist_ok=True)
            (outside / name).write_text(f"sentinel {name}\n")
        (root / "build" / "link").symlink_to(outside)
        apply(root, outside, changes)
        incident = next(root.glob("incidents/*/*.yaml"))
        incident.write_text(incident.read_text().replace("title: ", "title: Edited ", 1))
        before = snapshot(outside), snapshot(root, skip=root / "build")
        build(root, jobs=1, dry_run=True)
        build(root, jobs=1)
        clean(root)
        assert (snapshot(outside), snapshot(root, skip=root / "build")) == before
