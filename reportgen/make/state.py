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
of one. A state that is missing or written by another format is treated as empty: everything is
rebuilt. One that is damaged (not JSON, any field of the wrong shape, a path that is not one of
the outputs the build writes, a record set id that is not one it makes) is set aside with a
warning (see `damage`) and treated as empty; so is a damaged record set, and its targets are
rebuilt. Nothing in them is used before it is checked, and every file named is used through
`layout.build_path`: a state cannot make the build remove or write anything outside build/.
"""

from __future__ import annotations

import functools
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from reportgen.layout import (
    BUILD_DIR,
    CHARTS_DIR,
    FORMATS,
    NotAFile,
    OutsideBuild,
    build_path,
    in_build,
    read_kept,
    relative_name,
)
from reportgen.problems import Problem
from reportgen.write import damage
from reportgen.write.atomic import write_atomic

STATE_FILE = ".reportgen-state.json"
RECORDS_DIR = ".reportgen-records"
STATE_STORED = f"{BUILD_DIR}/{STATE_FILE}"
RECORDS_STORED = f"{BUILD_DIR}/{RECORDS_DIR}"
FORMAT = 4
"""3 -> 4: `files` stored as columns, whose types are checked at C speed."""
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


FILE_COLUMNS = {"path": str, "size": int, "mtime_ns": int, "sha256": str, "trusted": bool}
"""How `files` is stored: one list per column, the n-th entry of each about the n-th file."""

_new_stamp = functools.partial(tuple.__new__, Stamp)
"""A Stamp from a tuple of its fields, at C speed (no length check: the columns are checked)."""

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
    """Other input files (sources.yaml, tallies.yaml) -> short digest."""
    templates: dict[str, tuple[str, str]]
    """Template name (the stylesheet is one) -> the file it was loaded from (the project's
    override or the default theme) and that file's short digest."""
    config: str
    reportgen: str
    output: tuple[int, int]
    """Size and mtime_ns of the output as written, to notice it was deleted or replaced."""
    extras: list[str] = field(default_factory=list)
    """Further files written with this output, removed with it: its report's charts
    (`build/<report>/charts/<name>.svg`; a state naming anything else is damaged)."""
    since: str = ""
    """The `--since` date it was built with ("" for the report's own previous issue)."""


class RecordSets:
    """Record sets (record file -> short digest) by id, kept in the build's cache service
    (`write.cache`, kind "records") and read when first asked for; sets added by this build are
    written by `save_state`, before the state naming them. A set whose entry is damaged counts
    as gone (its targets are rebuilt) and is remembered, for the planner to set aside with a
    warning."""

    def __init__(self, root: Path):
        self.root = root
        self.known: dict[str, dict[str, str] | None] = {}
        self.added: set[str] = set()
        self.unusable: dict[str, str] = {}
        """Id -> why its file cannot be used."""

    def _cache(self):
        """The cache holding the sets; imported only now (hashing), never by a no-op build."""
        from reportgen.write.cache import FolderCache

        return FolderCache(build_path(self.root, RECORDS_STORED))

    def get(self, set_id: str) -> dict[str, str] | None:
        if set_id not in self.known:
            self.known[set_id] = self._read(set_id)
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
        if self.added & used:
            cache = self._cache()
            for set_id in sorted(self.added & used):
                cache.put(RECORDS, set_id, json.dumps(self.known[set_id], separators=(",", ":")).encode())
        self.added -= used

    def prune(self, used: set[str]) -> None:
        """Remove the sets no target uses (once the state no longer names them)."""
        try:
            self._cache().keep_only(RECORDS, used)
        except OutsideBuild:
            return
        self.known = {set_id: records for set_id, records in self.known.items() if set_id in used}

    def set_aside_damaged(self, *, move: bool) -> list[Problem]:
        """Set aside the damaged sets met so far (see `damage`); a warning for each."""
        problems = [damage.set_aside(self.root, _set_file(set_id), "a record set of the build state",
                                     why, "the targets built from it are rebuilt", move=move)
                    for set_id, why in sorted(self.unusable.items())]
        self.unusable.clear()
        return problems

    def _read(self, set_id: str) -> dict[str, str] | None:
        """A stored record set; None when it is gone, or damaged (then remembered)."""
        try:
            data = self._cache().read(RECORDS, set_id)
            return None if data is None else _record_set(json.loads(data))
        except OutsideBuild:
            return None
        except OSError as exc:  # a folder in its place, say
            self.unusable[set_id] = exc.strerror or str(exc)
        except (ValueError, RecursionError) as exc:
            self.unusable[set_id] = _why(exc)
        return None


RECORDS = "records"
"""The record sets' kind in the cache."""


def _set_file(set_id: str) -> str:
    return f"{RECORDS_STORED}/{set_id}.{RECORDS}"


def _record_set(data: object) -> dict[str, str]:
    records = _object(data, "the set")
    for path, digest in records.items():
        _text(path, "a record file")
        _text(digest, f"{path!r}")
    return records


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
    damaged: list[Problem] = field(default_factory=list)
    """What `load_state` found damaged and set aside (warnings the build says once)."""


def state_path(root: Path) -> Path:
    return root / STATE_STORED


def load_state(root: Path, *, set_aside: bool) -> State:
    """The saved state of the project at `root`, or an empty one: when there is none, when it
    is of another format, and when it is damaged (not JSON, any field of the wrong shape, a path
    that is not one of build/'s outputs), which is then set aside (see `damage`; with
    `set_aside=False`, as in a dry run, only named) and named in `State.damaged`. So is a record
    sets folder that is not a plain folder. Any other OSError (a folder where the state file
    should be, an unreadable disk) is raised, naming the file: the command line says it."""
    state = State(RecordSets(root), damaged=_records_folder_damage(root, set_aside))
    try:
        raw = read_kept(state_path(root))
    except FileNotFoundError:
        return state
    except NotAFile as exc:  # a pipe or a link: never waited on, never followed
        state.damaged.append(damage.set_aside(root, STATE_STORED, "the build state", exc.strerror,
                                              "every target is rebuilt", move=set_aside))
        return State(state.record_sets, damaged=state.damaged)
    try:
        data = json.loads(raw)
        if type(data) is dict and data.get("format") != FORMAT:
            return state  # written by another version of reportgen: replaced, nothing to say
        return _decode(_object(data, "the state"), state)
    except (ValueError, RecursionError) as exc:
        state.damaged.append(damage.set_aside(root, STATE_STORED, "the build state", _why(exc),
                                              "every target is rebuilt", move=set_aside))
        return State(state.record_sets, damaged=state.damaged)


def _records_folder_damage(root: Path, set_aside: bool) -> list[Problem]:
    """A file or a symbolic link where the record sets' folder should be: set aside."""
    try:
        mode = os.lstat(root / RECORDS_STORED).st_mode
    except FileNotFoundError:
        return []
    if stat.S_ISDIR(mode):
        return []
    why = "a symbolic link, not a folder" if stat.S_ISLNK(mode) else "not a folder"
    return [damage.set_aside(root, RECORDS_STORED, "the folder of the build's record sets", why,
                             "every target is rebuilt", move=set_aside)]


def save_state(root: Path, state: State) -> None:
    """Write the record sets the targets use, then the state, each atomically, then remove the
    sets no target refers to any more: killed at any point, the state on disk names only sets
    that are there."""
    used = {record.records for record in state.targets.values()}
    shorts = {path: stamp.short for path, stamp in state.files.items()}
    state.agreeing = {set_id for set_id in used if (records := state.record_sets.get(set_id))
                      is not None and records.items() <= shorts.items()}
    state.record_sets.write(used)
    write_atomic(state_path(root), json.dumps(_encode(state), separators=(",", ":")))
    state.record_sets.prune(used)


def digest_json(value: object) -> str:
    """sha256 of a value's canonical JSON (sorted keys, no whitespace)."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return _hashlib().sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _hashlib().file_digest(handle, "sha256").hexdigest()


def _hashlib():
    """hashlib, imported when first used: loading OpenSSL is a tenth of a no-op build, which
    hashes nothing."""
    import hashlib

    return hashlib


def _encode(state: State) -> dict:
    return {
        "format": FORMAT,
        "reportgen": state.reportgen,
        "templates_dir": state.templates_dir,
        "files": _encode_files(state.files),
        "configs": state.configs,
        "expected": state.expected,
        "targets": {path: _encode_target(t) for path, t in state.targets.items()},
        "withheld": state.withheld,
        "agreeing": sorted(state.agreeing),
        "fonts": state.fonts,
    }


def _encode_files(files: dict[str, Stamp]) -> dict[str, list]:
    columns = zip(*files.values(), strict=True) if files else ((),) * len(Stamp._fields)
    return {"path": list(files), **{name: list(column) for name, column in zip(Stamp._fields, columns,
                                                                                strict=True)}}


def _encode_target(t: TargetRecord) -> dict:
    return {"report": t.report, "format": t.format, "records": t.records, "files": t.files,
            "templates": {name: list(source) for name, source in t.templates.items()},
            "config": t.config, "reportgen": t.reportgen, "output": list(t.output),
            "extras": t.extras, "since": t.since}


# Decoding checks every field's type (and every stored path and record set id) strictly: a state
# damaged by hand or by another tool is set aside whole, before any of it is used. Written for
# speed where it matters: a no-op build decodes one stamp per input file, 10,000 of them.

def _decode(data: dict, state: State) -> State:
    state.reportgen = _text(_field(data, "reportgen"), "reportgen")
    state.templates_dir = _folder(_field(data, "templates_dir"), "templates_dir")
    state.files = _stamps(_object(_field(data, "files"), "files"))
    state.configs = _texts(_field(data, "configs"), "configs")
    state.expected = [_output(path, "expected") for path in _list(_field(data, "expected"), "expected")]
    state.targets = {_output(path, "targets"): _target(record, f"targets[{path!r}]")
                     for path, record in _object(_field(data, "targets"), "targets").items()}
    state.withheld = {_text(rid, "withheld"): [_text(item, f"withheld[{rid!r}]")
                                               for item in _list(items, f"withheld[{rid!r}]")]
                      for rid, items in _object(_field(data, "withheld"), "withheld").items()}
    state.agreeing = {_set_id(set_id, "agreeing") for set_id in _list(_field(data, "agreeing"), "agreeing")}
    state.fonts = [list(_pair(pair, "fonts", str)) for pair in _list(data.get("fonts", []), "fonts")]
    return state


def _target(value: object, where: str) -> TargetRecord:
    t = _object(value, where)
    report = _text(_field(t, "report", where), f"{where}.report")
    return TargetRecord(
        report=report, format=_text(_field(t, "format", where), f"{where}.format"),
        records=_set_id(_field(t, "records", where), f"{where}.records"),
        files=_texts(_field(t, "files", where), f"{where}.files"),
        templates={_template(name, f"{where}.templates"): _pair(source, f"{where}.templates[{name!r}]", str)
                   for name, source in _object(_field(t, "templates", where), f"{where}.templates").items()},
        config=_text(_field(t, "config", where), f"{where}.config"),
        reportgen=_text(_field(t, "reportgen", where), f"{where}.reportgen"),
        output=_pair(_field(t, "output", where), f"{where}.output", int),
        extras=[_chart(path, report, f"{where}.extras")
                for path in _list(_field(t, "extras", where), f"{where}.extras")],
        since=_text(t.get("since", ""), f"{where}.since"))


def _stamps(files: dict) -> dict[str, Stamp]:
    """Every input file's stamp, from its columns (see FILE_COLUMNS), each of one type."""
    if set(files) != set(FILE_COLUMNS) or not all(type(column) is list for column in files.values()):
        raise damage.Damaged(f"files: not the columns {', '.join(FILE_COLUMNS)}")
    if len(set(map(len, files.values()))) != 1:
        raise damage.Damaged("files: columns of different lengths")
    for name, kind in FILE_COLUMNS.items():
        if not set(map(type, files[name])) <= {kind}:
            raise damage.Damaged(f"files.{name}: not every one a {kind.__name__}")
    stamps = zip(*(files[name] for name in Stamp._fields), strict=True)
    return dict(zip(files["path"], map(_new_stamp, stamps), strict=True))


def _output(path: object, where: str) -> str:
    """A briefing's path as the build writes it, `build/<report>/<report>.<format>`: only such
    files are ever removed as outputs (not the lock, a send log or a manifest)."""
    parts = path.split("/") if in_build(path) else []
    if len(parts) != 3 or parts[2] not in {f"{parts[1]}.{fmt}" for fmt in FORMATS}:
        raise damage.Damaged(f"{where}: {path!r} is not the path of a briefing under {BUILD_DIR}/")
    return path


def _chart(path: object, report: str, where: str) -> str:
    """A chart's path as the build writes it, `build/<report>/charts/<name>.svg`."""
    parts = path.split("/") if in_build(path) else []
    if len(parts) != 4 or parts[1:3] != [report, CHARTS_DIR] or not parts[3].endswith(".svg"):
        raise damage.Damaged(f"{where}: {path!r} is not the path of one of the report's charts")
    return path


def _set_id(value: object, where: str) -> str:
    """A record set's id is a file name: only ids shaped like those `RecordSets.add` makes."""
    if type(value) is not str or len(value) != SHORT or not _HEX.issuperset(value):
        raise damage.Damaged(f"{where}: {value!r} is not a record set id")
    return value


_HEX = frozenset("0123456789abcdef")


def _field(data: dict, key: str, where: str = "the state"):
    if key not in data:
        raise damage.Damaged(f"{where}: no field {key!r}")
    return data[key]


def _object(value: object, where: str) -> dict:
    if type(value) is not dict:
        raise damage.Damaged(f"{where}: not an object")
    return value


def _list(value: object, where: str) -> list:
    if type(value) is not list:
        raise damage.Damaged(f"{where}: not a list")
    return value


def _text(value: object, where: str) -> str:
    """A string the system can print and name a file with (JSON may escape a lone surrogate,
    which nothing can; only a string that is not ASCII can hold one)."""
    if type(value) is not str:
        raise damage.Damaged(f"{where}: not a string")
    if not value.isascii():
        try:
            os.fsencode(value)
        except UnicodeEncodeError:
            raise damage.Damaged(f"{where}: not text") from None
    return value


def _texts(value: object, where: str) -> dict[str, str]:
    return {_text(key, where): _text(item, f"{where}[{key!r}]")
            for key, item in _object(value, where).items()}


def _pair(value: object, where: str, kind: type) -> tuple:
    if type(value) is not list or len(value) != 2 or not all(type(item) is kind for item in value):
        raise damage.Damaged(f"{where}: not a pair of {kind.__name__}s")
    for item in value if kind is str else ():
        _text(item, where)
    return value[0], value[1]


def _folder(value: object, where: str) -> str:
    """The project's templates folder, as its config says (it may be anywhere)."""
    if "\0" in _text(value, where):
        raise damage.Damaged(f"{where}: not a folder's name")
    return value


def _template(name: str, where: str) -> str:
    """A template's name, looked up in the templates folders: never a way out of them."""
    if not relative_name(name):
        raise damage.Damaged(f"{where}: {name!r} is not a template's name")
    return name


def _why(exc: Exception) -> str:
    """Why a stored file cannot be used, in a few words."""
    if isinstance(exc, damage.Damaged):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return "not JSON"
