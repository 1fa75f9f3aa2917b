"""How deep a YAML text nests, counted from the text itself, without a YAML parser.

A file nested too deep must get reportgen's own located problem whatever libyaml does: libyaml
0.2.6 refuses input past 1,000 levels in its scanner ("exceeded maximum nesting depth"), and its
scanner reads ahead, so a walk of the parser's events never reaches our far lower limit; earlier
versions refuse nothing. `first_too_deep` counts the levels a parser would open: flow brackets
outside quotes and comments, block sequences (`- `, compact `- - x` too), block mappings by
their keys, and nothing inside block scalars or quoted text. It reports where a collection
first opens past the limit, the same place a walk of the parser's events reports. For unusual
layouts it may count fewer levels than the parser, never more; the loader's builder still
enforces the limit on whatever composes.
"""

from __future__ import annotations

_FLOW_OPEN, _FLOW_CLOSE = "[{", "]}"
_BLOCK_SCALAR_FLAGS = set("0123456789+-")


class _TooDeep(Exception):
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


def first_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """1-based line and column of the first collection opened deeper than `limit`, or None."""
    scan = _Scan(limit)
    try:
        for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
            scan.line(number + 1, line)
    except _TooDeep as found:
        return found.line, found.column
    return None


class _Scan:
    """Line by line: the open block collections (column, kind), the flow depth, and whether we
    are inside a quoted scalar or a block scalar that spans lines."""

    def __init__(self, limit: int):
        self.limit = limit
        self.block: list[tuple[int, str]] = []
        self.flow = 0
        self.quote = ""  # the quote character of a quoted scalar still open at the line's end
        self.scalar_parent: int | None = None  # block scalar: lines indented deeper are its text
        self.number = 0

    def line(self, number: int, text: str) -> None:
        self.number = number
        indent = len(text) - len(text.lstrip(" "))
        if self.scalar_parent is not None:
            if not text.strip() or indent > self.scalar_parent:
                return
            self.scalar_parent = None
        position = 0
        if self.quote:
            position = self._skip_quoted(text, 0, self.quote)
            if position < 0:
                return
        if self.flow:
            self._flow(text, position)
            return
        if position:
            return  # the rest of a multi-line quoted value: no new block node on this line
        self._block(text, indent)

    def _open(self, column: int) -> None:
        if len(self.block) + self.flow > self.limit:
            raise _TooDeep(self.number, column + 1)

    def _block(self, text: str, indent: int) -> None:
        content = text[indent:]
        if not content or content.startswith("#"):
            return
        if content.startswith(("---", "...")) and content[3:4] in ("", " ", "\t"):
            self.block.clear()
            return
        while self.block and self.block[-1][0] > indent:
            self.block.pop()
        position = indent
        while position < len(text) and text[position] in "-?" and text[position + 1:position + 2] in (
                "", " ", "\t"):
            self._push(position, "seq" if text[position] == "-" else "map")
            position = _skip_spaces(text, position + 1)
        if position >= len(text) or text[position] == "#":
            return
        self._node(text, position, key_allowed=True)

    def _push(self, column: int, kind: str) -> None:
        if self.block and self.block[-1][0] == column:
            if self.block[-1][1] == kind:
                return  # the same collection goes on
            if kind == "map":  # a key at a sequence's column: the sequence has ended
                self.block.pop()
                if self.block and self.block[-1] == (column, "map"):
                    return
            # else a sequence at its key's column: the key's value, one level deeper
        self.block.append((column, kind))
        self._open(column)

    def _node(self, text: str, position: int, key_allowed: bool) -> None:
        """A node starts at `position` in block context: a flow collection, a block scalar, a
        quoted or plain scalar, and perhaps a mapping key whose value follows."""
        position = _skip_properties(text, position)
        if position >= len(text):
            return
        char = text[position]
        if char in _FLOW_OPEN:
            self._flow(text, position)
            return
        if char in "|>" and _is_block_scalar_header(text[position + 1:]):
            self.scalar_parent = self.block[-1][0] if self.block else -1
            return
        start = position
        if char in "'\"":
            position = self._skip_quoted(text, position + 1, char)
            if position < 0:
                return
        colon = _mapping_colon(text, position)
        if colon is None or not key_allowed:
            return
        self._push(start, "map")
        value = _skip_spaces(text, colon + 1)
        if value < len(text) and text[value] != "#":
            self._node(text, value, key_allowed=False)

    def _flow(self, text: str, position: int) -> None:
        """Brackets in flow context; plain scalars there cannot contain them (YAML 1.2)."""
        token_start = True
        while position < len(text):
            char = text[position]
            if char in "'\"" and token_start:
                position = self._skip_quoted(text, position + 1, char)
                if position < 0:
                    return
                token_start = False
                continue
            if char == "#" and (position == 0 or text[position - 1] in " \t"):
                return
            if char in _FLOW_OPEN:
                self.flow += 1
                self._open(position)
            elif char in _FLOW_CLOSE:
                self.flow = max(0, self.flow - 1)
                if not self.flow:
                    return
            if char not in " \t":
                token_start = char in "[{,:?"
            position += 1

    def _skip_quoted(self, text: str, position: int, quote: str) -> int:
        """The index after the closing quote, or -1 when the scalar goes on past this line."""
        while position < len(text):
            char = text[position]
            if quote == '"' and char == "\\":
                position += 2
                continue
            if char == quote:
                if quote == "'" and text[position + 1:position + 2] == "'":
                    position += 2
                    continue
                self.quote = ""
                return position + 1
            position += 1
        self.quote = quote
        return -1


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t":
        position += 1
    return position


def _skip_properties(text: str, position: int) -> int:
    """Past an anchor (`&a`) or a tag (`!x`, `!!str`) before a node."""
    while position < len(text) and text[position] in "&!":
        while position < len(text) and text[position] not in " \t":
            position += 1
        position = _skip_spaces(text, position)
    return position


def _is_block_scalar_header(rest: str) -> bool:
    head = rest.split(" #", 1)[0].strip()
    return all(char in _BLOCK_SCALAR_FLAGS for char in head)


def _mapping_colon(text: str, position: int) -> int | None:
    """The index of the `:` that makes the scalar at `position` a key, if there is one."""
    while position < len(text):
        char = text[position]
        if char == "#" and text[position - 1] in " \t":
            return None
        if char == ":" and text[position + 1:position + 2] in ("", " ", "\t"):
            return position
        position += 1
    return None
