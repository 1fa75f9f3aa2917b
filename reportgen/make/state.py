"""The build's memory, `build/.reportgen-state.json`: what every input file looked like, and what
every target was built from.

Two tables. `files` maps each input file (relative path) to its size, mtime_ns and sha256, so the
next build can tell from one `stat` per file that nothing changed. `targets` maps each output to
the digests of the inputs it was rendered from, so the next build can say which outputs are out
of date and why. A target's record files are kept as a shared *record set* (the formats of one
report built together share one), stored apart under `build/.reportgen-records/`, one file per
set named by its content, and read only when a build needs them: the state file says which sets
agree with `files`, which is all a no-op build needs to know (half of what it would read).

The files are written atomically after every finished target, record sets before the state that
names them: a build killed at any moment leaves the previous state or the next one, never half
of one. A state that cannot be read (missing, corrupt, written by another format) is treated as
empty: everything is rebuilt, nothing breaks; so is a record set gone missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..write import write_atomic

STATE_FILE = ".reportgen-state.json"
RECORDS_DIR = ".reportgen-records"
FORMAT = 3
SHORT = 16  # hex digits of sha256 kept per target input: enough to notice a change


class Stamp(NamedTuple):
    """An input file as last seen. `trusted` is False when it was modified so recently that a
    later edit could keep the same size and mtime (racy); such files are always hashed again.
    (A named tuple: a no-op build reads one per input file, 10,000 of them, and tuples are made
    several times faster than frozen dataclasses.)"""

    size: int
    mtime_ns: int
    sha256: str
    trusted: bool = True

    @property
    def short(self) -> str:
        return self.sha256[:SHORT]


MISSING = "missing"
"""The digest recorded for an input file that is not there."""


def short_digest(stamps: dict[str, Stamp], path: str) -> str:
    """The short digest of an input file as scanned, or MISSING."""
    stamp = stamps.get(path)
    return stamp.short if stamp else MISSING


@dataclass(slots=True)
class TargetRecord:
    """What one output was built from."""

    report: str
    format: str
    records: str
    """Id of the record set (record file -> short digest) the output was rendered from."""
    files: dict[str, str]
    """Other input files (sources.yaml) -> short digest."""
    templates: dict[str, tuple[str, str]]
    """Template name (the stylesheet is one) -> the file it was loaded from (the project's
    override or the default theme) and that file's short digest."""
    config: str
    reportgen: str
    output: tuple[int, int]
    """Size and mtime_ns of the output as written, to notice it was deleted or replaced."""
    extras: list[str] = field(default_factory=list)
    """Further files written with this output (charts), removed with it."""
    since: str = ""
    """The `--since` date it was built with ("" for the report's own previous issue)."""


class RecordSets:
    """Record sets (record file -> short digest) by id, read from their files when first asked
    for; sets added by this build are written by `save_state`, before the state naming them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.known: dict[str, dict[str, str] | None] = {}
        self.added: set[str] = set()

    def get(self, set_id: str) -> dict[str, str] | None:
        if set_id not in self.known:
            self.known[set_id] = _read_record_set(self.folder / f"{set_id}.json")
        return self.known[set_id]

    def add(self, records: dict[str, str]) -> str:
        """Store a record set (deduplicated by content) and return its id."""
        set_id = digest_json(records)[:SHORT]
        if self.get(set_id) is None:
            self.known[set_id] = records
            self.added.add(set_id)
        return set_id

    def write(self, used: set[str]) -> None:
        """Write the sets added since the last save that a target uses."""
        for set_id in sorted(self.added & used):
            write_atomic(self.folder / f"{set_id}.json",
                         json.dumps(self.known[set_id], separators=(",", ":")))
        self.added -= used

    def prune(self, used: set[str]) -> None:
        """Remove the files of sets no target uses (once the state no longer names them)."""
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if path.stem not in used:
                path.unlink(missing_ok=True)
                self.known.pop(path.stem, None)


def _read_record_set(path: Path) -> dict[str, str] | None:
    """A stored record set; None when it is gone or is not one (damaged by hand, say)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        return None
    return data


@dataclass
class State:
    record_sets: RecordSets
    reportgen: str = ""
    templates_dir: str = "templates"
    files: dict[str, Stamp] = field(default_factory=dict)
    configs: dict[str, str] = field(default_factory=dict)
    """Report id -> digest of its config, as of the last time reportgen.yaml was read."""
    expected: list[str] = field(default_factory=list)
    """Every target the config asked for, as of the last time reportgen.yaml was read."""
    targets: dict[str, TargetRecord] = field(default_factory=dict)
    withheld: dict[str, list[str]] = field(default_factory=dict)
    """Report id -> the records its marking withheld when last planned (`incident x (TLP:RED)`),
    so `--strict` can refuse without reading the project."""
    agreeing: set[str] = field(default_factory=set)
    """Ids of the record sets whose every digest equals the one in `files`, as saved: while no
    input's content changed, the targets built from them are up to date as far as records go."""
    fonts: list[list[str]] = field(default_factory=list)
    """[first choice, family used] for each of the theme's font stacks, as last resolved."""


def state_path(build_dir: Path) -> Path:
    return build_dir / STATE_FILE


def load_state(build_dir: Path) -> State:
    """The saved state, or an empty one when there is none or it cannot be used."""
    record_sets = RecordSets(build_dir / RECORDS_DIR)
    try:
        data = json.loads(state_path(build_dir).read_bytes())
        if data.get("format") != FORMAT:
            return State(record_sets)
        return _decode(data, record_sets)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return State(record_sets)


def save_state(build_dir: Path, state: State) -> None:
    """Write the record sets the targets use, then the state, each atomically, then remove the
    sets no target refers to any more: killed at any point, the state on disk names only sets
    that are there."""
    used = {record.records for record in state.targets.values()}
    shorts = {path: stamp.short for path, stamp in state.files.items()}
    state.agreeing = {set_id for set_id in used if (records := state.record_sets.get(set_id))
                      is not None and records.items() <= shorts.items()}
    state.record_sets.write(used)
    write_atomic(state_path(build_dir), json.dumps(_encode(state), separators=(",", ":")))
    state.record_sets.prune(used)


def digest_json(value: object) -> str:
    """sha256 of a value's canonical JSON (sorted keys, no whitespace)."""
    import hashlib  # here, as in scan.file_sha256: the no-op build hashes nothing

    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _encode(state: State) -> dict:
    return {
        "format": FORMAT,
        "reportgen": state.reportgen,
        "templates_dir": state.templates_dir,
        "files": {path: [s.size, s.mtime_ns, s.sha256, s.trusted] for path, s in state.files.items()},
        "configs": state.configs,
        "expected": state.expected,
        "targets": {path: _encode_target(t) for path, t in state.targets.items()},
        "withheld": state.withheld,
        "agreeing": sorted(state.agreeing),
        "fonts": state.fonts,
    }


def _encode_target(t: TargetRecord) -> dict:
    return {"report": t.report, "format": t.format, "records": t.records, "files": t.files,
            "templates": {name: list(source) for name, source in t.templates.items()},
            "config": t.config, "reportgen": t.reportgen, "output": list(t.output),
            "extras": t.extras, "since": t.since}


def _decode(data: dict, record_sets: RecordSets) -> State:
    return State(
        record_sets=record_sets,
        reportgen=data["reportgen"],
        templates_dir=data["templates_dir"],
        files={path: Stamp._make(fields) for path, fields in data["files"].items()},
        configs=dict(data["configs"]),
        expected=list(data["expected"]),
        targets={path: TargetRecord(t["report"], t["format"], t["records"], dict(t["files"]),
                                    {name: (key, digest) for name, (key, digest)
                                     in t["templates"].items()}, t["config"], t["reportgen"],
                                    (t["output"][0], t["output"][1]), list(t["extras"]),
                                    t.get("since", ""))
                 for path, t in data["targets"].items()},
        withheld={rid: list(items) for rid, items in data["withheld"].items()},
        agreeing=set(data["agreeing"]),
        fonts=[list(pair) for pair in data.get("fonts", [])],
    )
