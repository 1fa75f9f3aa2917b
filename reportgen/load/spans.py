"""Where each key and value of a YAML file lies in its text, for editing the file in place
(`reportgen next`): a targeted edit keeps every comment, blank line and quote the curator wrote,
which loading and dumping the data again would lose.

Composed as `yaml_loader` composes (the same composer, the same shielding of YAML 1.1-only line
breaks, which swaps one character for one, so offsets are the text's own); only files that
loaded cleanly are measured, so nothing here reports problems.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from reportgen.load.yaml_loader import Loc, _Builder, _Composer, _shield_breaks


@dataclass(frozen=True, slots=True)
class Span:
    """One key's (or list item's) place in the text: character offsets, end exclusive."""

    key_start: int
    key_end: int
    value_start: int
    value_end: int
    block: bool
    """Whether the value is a block mapping or list (it starts on a line of its own)."""
    flow_mapping: bool
    """Whether the value is a mapping written on one line (`{from: ..., to: ...}`)."""


def spans(text: str) -> dict[Loc, Span]:
    """Every key and list item of a YAML mapping document, by its location (as
    `Document.positions` names them)."""
    shielded, _ = _shield_breaks(text)
    found: dict[Loc, Span] = {}
    _walk(yaml.compose(shielded, Loader=_Composer), (), found)
    return found


def _walk(node: Node, loc: Loc, found: dict[Loc, Span]) -> None:
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            child = (*loc, _key(key_node))
            found[child] = _span(key_node, value_node)
            _walk(value_node, child, found)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = (*loc, index)
            found[child] = _span(item, item)
            _walk(item, child, found)


def _key(node: Node):
    """The key as the loader reads it (`2024` a number, `id` a string)."""
    key = _Builder._scalar(node) if isinstance(node, ScalarNode) else node.value
    return key if isinstance(key, str | int) and not isinstance(key, bool) else node.value


def _span(key: Node, value: Node) -> Span:
    block = isinstance(value, MappingNode | SequenceNode) and not value.flow_style
    return Span(key.start_mark.index, key.end_mark.index, value.start_mark.index, _end(value),
                block=block, flow_mapping=isinstance(value, MappingNode) and bool(value.flow_style))


def _end(node: Node) -> int:
    """Where a value's own text ends: a block collection's end mark lies at the next token,
    past any comment or blank line after its last value."""
    if isinstance(node, MappingNode | SequenceNode) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end(last[1] if isinstance(node, MappingNode) else last)
    return node.end_mark.index
