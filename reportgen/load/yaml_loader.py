"""Read one YAML file into plain data plus the line and column of every key and item.

PyYAML's C parser (`CSafeLoader`) composes the node tree; we construct the values ourselves so
that we can keep positions, refuse duplicate keys and object-constructing tags, bound alias
expansion, and resolve scalars by the YAML 1.2 core schema (so `NO` stays the string "NO" and
`2024-02-30` reaches the model as text instead of crashing the timestamp constructor). Since we
resolve plain scalars ourselves, the composer leaves them unresolved (`_Composer`).

libyaml also breaks lines YAML 1.1's way, at NEL (U+0085), U+2028 and U+2029 as well as LF, CR
and CRLF. YAML 1.2 and every editor break only at the last three, so before parsing each of the
three is swapped for a private-use character the file does not hold (`_shield_breaks`) and
swapped back in every string built: line numbers are the editor's, and the characters stay in
the data as written (a NEL is not folded into a space), with a warning where each is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reportgen.load.nesting import first_too_deep
from reportgen.model.text import BIDI_CONTROLS, control_name
from reportgen.problems import Problem, error, warning

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_INT = 2**63 - 1
_SUSPICIOUS_NESTING = 2000  # brackets/dashes/question marks before we measure depth exactly

Key = str | int
Loc = tuple[Key, ...]

_TAG = "tag:yaml.org,2002:"
_RESOLVED_TAGS = {_TAG + t for t in ("null", "bool", "int", "float", "timestamp", "str")}
_PLAIN = object()
"""The tag `_Composer` gives untagged plain scalars: not a string, so no tag a file writes (all
strings, any text after URI escapes) can ever be taken for it."""
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OCT = re.compile(r"^0o[0-7]+$")
_INT_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_NOT_ONLY_TEXT = frozenset("~nNtTfF0123456789+-.")
"""The first characters of every null, bool, int and float spelling `resolve_plain` knows."""
_FLOAT_SPECIAL = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf")}
YAML_1_1_BREAKS = {"\x85": "next line (NEL)", "\u2028": "line separator", "\u2029": "paragraph separator"}
"""Characters libyaml takes for line breaks that YAML 1.2 and editors do not."""
_BREAKS_1_1 = re.compile("[" + "".join(YAML_1_1_BREAKS) + "]")
_PRIVATE_USE = range(0xE000, 0xF900)
_ESCAPES = re.compile(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})")
_LINES = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class Document:
    """A parsed file: its data and where each key or list item starts (1-based line, column)."""

    path: str
    data: dict
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: tuple) -> tuple[int, int]:
        """Position of the deepest part of `loc` that exists in the file (1, 1 if none)."""
        known: Loc = ()
        best = (1, 1)
        for part in loc:
            candidate = (*known, part)
            if candidate in self.positions:
                known = candidate
                best = self.positions[candidate]
        return best


class _Composer(yaml.CSafeLoader):
    """The C composer without PyYAML's implicit resolution (YAML 1.1 regexes run on every scalar,
    a fifth of the loading time): plain scalars get `_PLAIN`, quoted and block ones `!!str`."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode:
            return _PLAIN if implicit[0] else _TAG + "str"
        return _TAG + ("seq" if kind is SequenceNode else "map")


class _Refused(Exception):
    """Internal: construction stopped at a node; turned into a Problem by `load_yaml`."""

    def __init__(self, node: Node, message: str, hint: str = ""):
        self.node, self.message, self.hint = node, message, hint


def load_yaml(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Load one YAML mapping document. Never raises for bad content; returns located problems."""
    shown = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [_too_big(shown, size)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(shown, 1, 1, f"cannot read file: {exc.strerror or exc}")]
    return parse_yaml(raw, shown)


def parse_yaml(raw: bytes, shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse bytes already read; the pure core of `load_yaml`, also used by tests and fuzzing."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [_too_big(shown, len(raw))]
    text, problem = _decode(raw, shown)
    if problem:
        return None, [problem]
    shielded, restore = _shield_breaks(text)
    try:
        if _looks_deep(shielded):
            _check_depth(shielded)
        root = yaml.compose(shielded, Loader=_Composer)
    except _DepthExceeded as exc:
        return None, [_too_deep(shown, exc.line, exc.column)]
    except (yaml.YAMLError, RecursionError) as exc:
        if (deep := first_too_deep(shielded, MAX_DEPTH)) is not None:
            return None, [_too_deep(shown, *deep)]  # libyaml may refuse deep input first
        if isinstance(exc, yaml.MarkedYAMLError):
            return None, [_syntax_problem(shown, exc, shielded)]
        return None, [error(shown, 1, 1, f"YAML error: {exc}")]
    if root is None:
        return None, [error(shown, 1, 1, "the file is empty", "write a mapping of fields")]
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        line, col = _mark(root)
        return None, [error(shown, line, col, f"the file holds {kind}, not a mapping of fields",
                            "start with `id: ...` at the left margin")]
    positions: dict[Loc, tuple[int, int]] = {}
    builder = _RestoringBuilder(positions, restore) if restore else _Builder(positions)
    try:
        data = builder.build(root, (), 0)
    except _Refused as exc:
        line, col = _mark(exc.node)
        return None, [error(shown, line, col, exc.message, exc.hint)]
    return Document(shown, data, positions), _bidi_warnings(text, shown) + _break_warnings(text, shown)


def _shield_breaks(text: str) -> tuple[str, dict[int, str]]:
    """`text` with each YAML 1.1-only line break replaced by a private-use character, and the
    table (for `str.translate`) that puts them back; the text itself and {} when it has none.
    A stand-in is neither in the text nor written in it as a `\\u` escape, so every one found
    after parsing was a break. (Were all 6,400 taken, the breaks left over stay YAML 1.1's.)"""
    present = sorted(set(_BREAKS_1_1.findall(text)))
    if not present:
        return text, {}
    taken = {ord(char) for char in set(text)}
    taken.update(int(short or long, 16) for short, long in _ESCAPES.findall(text))
    unused = (chr(code) for code in _PRIVATE_USE if code not in taken)
    stand_ins = dict(zip(present, unused, strict=False))
    shielded = text.translate({ord(char): stand_in for char, stand_in in stand_ins.items()})
    return shielded, {ord(stand_in): char for char, stand_in in stand_ins.items()}


def _break_warnings(text: str, shown: str) -> list[Problem]:
    """The YAML 1.1-only breaks are kept as characters, which most editors do not show."""
    return _located(text, shown, _BREAKS_1_1, lambda char: (
        f"invisible {YAML_1_1_BREAKS[char]} character {control_name(char)}: kept in the text, "
        "since YAML 1.2 does not break lines there", "delete it, or press Enter if a new line was meant"))


def _bidi_warnings(text: str, shown: str) -> list[Problem]:
    """Bidirectional controls can make a title read differently from what it says; outputs drop
    them (see `reportgen.model.text`), and the curator is told where they are."""
    return _located(text, shown, BIDI_CONTROLS, lambda char: (
        f"bidirectional control character {control_name(char)} can reorder what readers see; "
        "briefings leave it out", "delete it (Arabic and Hebrew need none)"))


def _located(text: str, shown: str, pattern: re.Pattern, describe, limit: int = 3) -> list[Problem]:
    """A warning (message and hint from `describe`) at each of the first `limit` matches."""
    problems = []
    for found in pattern.finditer(text):
        if len(problems) == limit:
            break
        line, column = position_of(text, found.start())
        problems.append(warning(shown, line, column, *describe(found.group())))
    return problems


def position_of(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in a file's text (or its raw bytes), counting lines
    as editors and YAML 1.2 do: broken by LF, CR or CRLF only."""
    lf, cr = (b"\n", b"\r") if isinstance(text, bytes) else ("\n", "\r")
    breaks = text.count(lf, 0, offset) + text.count(cr, 0, offset) - text.count(cr + lf, 0, offset)
    line_start = max(text.rfind(lf, 0, offset), text.rfind(cr, 0, offset)) + 1
    return breaks + 1, offset - line_start + 1


def _too_deep(shown: str, line: int, column: int) -> Problem:
    return error(shown, line, column, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")


def _too_big(shown: str, size: int) -> Problem:
    return error(shown, 1, 1, f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit",
                 "split it; an incident file is normally a few kilobytes")


def _decode(raw: bytes, shown: str) -> tuple[str, Problem | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = position_of(raw, exc.start)
        return "", error(shown, line, column, f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
                         "save the file as UTF-8")
    nul = text.find("\x00")
    if nul >= 0:
        line, column = position_of(text, nul)
        return "", error(shown, line, column, "NUL byte in file", "this is not a text file")
    return text, None


def _syntax_problem(shown: str, exc: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    lines = _LINES.split(text)  # not str.splitlines, which also breaks at NEL, U+2028, FF, ...
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    message = exc.problem or exc.context or "invalid YAML"
    if exc.context and exc.problem:
        message = f"{exc.context}: {exc.problem}"
    hint = ""
    if "\t" in message or "tab" in message or "\t" in bad_line[: col + 1]:
        hint = "indent with spaces, not tabs"
    elif "expected a single document" in message:
        hint = "one record per file; remove the `---` separator"
    elif "mapping values are not allowed" in message:
        hint = "quote values that contain ': '"
    elif (opened := _unclosed_quote_line(lines[: line - 1])) is not None:
        hint = f"is the quote opened on line {opened} closed?"
    return error(shown, line, col, f"YAML syntax error: {message}", hint)


def _unclosed_quote_line(lines: list[str]) -> int | None:
    """The first earlier line whose value opens a quote it does not close, if any."""
    for number, text in enumerate(lines, start=1):
        value = text.split(": ", 1)[1].strip() if ": " in text else ""
        if value[:1] in ("'", '"') and (len(value) == 1 or value[-1] != value[0]):
            return number
    return None


class _DepthExceeded(Exception):
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


def _looks_deep(text: str) -> bool:
    """Cheap C-speed test: only files with many nesting characters get the exact depth check."""
    count = text.count("[") + text.count("{") + text.count("-") + text.count("?")
    return count > _SUSPICIOUS_NESTING


def _check_depth(text: str) -> None:
    """Walk the parser's events (iterative in libyaml) so deep input never reaches the
    recursive composer, which overflows the C stack somewhere past 10,000 levels."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _DepthExceeded(mark.line + 1, mark.column + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions on the way."""

    __slots__ = ("positions", "budget", "active")

    def __init__(self, positions: dict[Loc, tuple[int, int]]):
        self.positions = positions
        self.budget = MAX_NODES
        self.active: set[int] = set()

    def build(self, node: Node, loc: Loc, depth: int):
        self.budget -= 1
        if self.budget < 0:
            raise _Refused(node, f"more than {MAX_NODES:,} values (alias expansion?)",
                           "remove anchors and aliases")
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if depth >= MAX_DEPTH:  # the root mapping is level 1, as `first_too_deep` counts
            raise _Refused(node, f"nesting deeper than {MAX_DEPTH} levels", "flatten the structure")
        if id(node) in self.active:
            raise _Refused(node, "an alias refers to itself", "remove the recursive alias")
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, loc, depth)
            return self._sequence(node, loc, depth)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict:
        if node.tag != _TAG + "map":
            raise _refuse_tag(node)
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused(key_node, "a key must be a plain word, not a list or mapping")
            if key_node.tag is _PLAIN and key_node.value == "<<":
                raise _Refused(key_node, "merge keys (<<) are not supported", "write fields out")
            key = self._scalar(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = key_node.value
            if key in result:
                first = self.positions.get((*loc, key), (0, 0))[0]
                raise _Refused(key_node, f"duplicate key '{key}' (first defined on line {first})",
                               "remove one of them; YAML keeps only the last silently")
            child = (*loc, key)
            self.positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _sequence(self, node: SequenceNode, loc: Loc, depth: int) -> list:
        if node.tag != _TAG + "seq":
            raise _refuse_tag(node)
        items = []
        for index, item in enumerate(node.value):
            child = (*loc, index)
            self.positions[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
            items.append(self.build(item, child, depth + 1))
        return items

    @staticmethod
    def _scalar(node: ScalarNode):
        tag, value = node.tag, node.value
        if tag is not _PLAIN and tag not in _RESOLVED_TAGS:
            raise _refuse_tag(node)
        if tag is not _PLAIN and (node.style or tag == _TAG + "str"):
            return value  # quoted or block scalar; '' is plain (C parser)
        try:
            return resolve_plain(value)
        except (ValueError, OverflowError):  # e.g. Python's limit on the digits of an int
            raise _Refused(node, f"the number {_short(value)} is too large to read (over "
                           f"{MAX_INT:,})", "quote it if it is text") from None


class _RestoringBuilder(_Builder):
    """A builder for shielded text (`_shield_breaks`): every string gets its breaks back."""

    __slots__ = ("restore",)

    def __init__(self, positions: dict[Loc, tuple[int, int]], restore: dict[int, str]):
        super().__init__(positions)
        self.restore = restore

    def _scalar(self, node: ScalarNode):
        value = _Builder._scalar(node)
        return value.translate(self.restore) if isinstance(value, str) else value


def resolve_plain(value: str):
    """YAML 1.2 core schema: only true/false are booleans and dates stay text for the model."""
    if value and value[0] not in _NOT_ONLY_TEXT:
        return value  # most keys and values: no null, bool or number starts this way
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return _bounded(int(value))
    if _INT_OCT.match(value):
        return _bounded(int(value[2:], 8))
    if _INT_HEX.match(value):
        return _bounded(int(value[2:], 16))
    if _FLOAT.match(value) and any(c.isdigit() for c in value):
        return float(value)
    if value.lower() in _FLOAT_SPECIAL:
        return _FLOAT_SPECIAL[value.lower()]
    return value


def _short(value: str) -> str:
    return value if len(value) <= 24 else f"{value[:10]}…{value[-10:]}"


def _bounded(number: int) -> int:
    """Whole numbers a record can mean; a larger one could not even be printed (Python refuses
    to turn an int of over 4,300 digits into text)."""
    if abs(number) > MAX_INT:
        raise OverflowError(number)
    return number


def _refuse_tag(node: Node) -> _Refused:
    tag = node.tag.replace(_TAG, "!!")
    return _Refused(node, f"YAML tag '{tag}' is not allowed",
                    "remove the tag; records hold only text, numbers, lists and mappings")
