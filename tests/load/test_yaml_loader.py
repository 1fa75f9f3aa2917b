"""The YAML loader: positions, refusals, and never raising for any input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.load.nesting import first_too_deep
from reportgen.load.yaml_loader import MAX_DEPTH, MAX_FILE_BYTES, load_yaml, parse_yaml, resolve_plain
from tests.support.strategies import long_literals


def loaded(text: str | bytes):
    raw = text.encode() if isinstance(text, str) else text
    return parse_yaml(raw, "f.yaml")


def refused(text: str | bytes) -> str:
    document, problems = loaded(text)
    assert document is None and len(problems) == 1
    return str(problems[0])


def test_positions_of_keys_and_items():
    document, problems = loaded("id: x\nactors:\n  - actor: a\n    role: target\n  - {actor: b}\n")
    assert problems == []
    assert document.positions[("actors",)] == (2, 1)
    assert document.positions[("actors", 0, "role")] == (4, 5)
    assert document.positions[("actors", 1, "actor")] == (5, 6)
    assert document.locate(("actors", 1, "actor", "deeper")) == (5, 6)
    assert document.locate(("nothing",)) == (1, 1)


def test_scalars_follow_the_yaml_1_2_core_schema():
    document, _ = loaded("a: NO\nb: yes\nc: true\nd: 2024-02-30\ne: 12\nf: 1.5\ng: ~\nh: 'NO'\ni: 0x1F\n")
    assert document.data == {"a": "NO", "b": "yes", "c": True, "d": "2024-02-30", "e": 12,
                             "f": 1.5, "g": None, "h": "NO", "i": 31}


def test_every_core_schema_spelling_of_a_non_string_is_resolved():
    spellings = ["~", "null", "Null", "NULL", "", "true", "True", "TRUE", "false", "False", "FALSE",
                 "0", "12", "-3", "+4", "0o17", "0x1F", "1.5", ".5", "-.5", "+2.", "1e3", "-1E-3",
                 ".inf", "+.inf", "-.INF"]
    for spelling in spellings:
        assert not isinstance(resolve_plain(spelling), str), spelling
    for text in ["no", "yes", "nil", "tomorrow", "0 killed", "+ more", ". ", "x12", "Inf"]:
        assert resolve_plain(text) == text


def test_quoted_block_and_explicitly_tagged_scalars():
    document, problems = loaded("a: '12'\nb: \"true\"\nc: |\n  12\nd: !!str 12\ne: !!int 12\n"
                                "f: =\ng: ''\nh:\n")
    assert problems == []
    assert document.data == {"a": "12", "b": "true", "c": "12\n", "d": "12", "e": 12, "f": "=",
                             "g": "", "h": None}


def test_no_tag_written_in_a_file_passes_for_an_untagged_scalar():
    for tag in ("!plain", "!<plain>", "!<!reportgen%20plain>", "!!plain"):
        assert "not allowed" in refused(f"a: {tag} 12\n"), tag


def test_duplicate_keys_are_refused_with_both_lines():
    assert refused("a: 1\nb: 2\na: 3\n") == (
        "f.yaml:3:1: error: duplicate key 'a' (first defined on line 1) "
        "(remove one of them; YAML keeps only the last silently)")


def test_duplicate_keys_in_nested_flow_mapping():
    assert "f.yaml:2:11: error: duplicate key 'k'" in refused("a: 1\nb: {k: 1, k: 2}\n")


def test_non_mapping_documents_are_refused():
    assert "holds a list" in refused("- a\n- b\n")
    assert "holds a single value" in refused("just text\n")
    assert "the file is empty" in refused("")
    assert "the file is empty" in refused("# only a comment\n")


def test_object_constructing_tags_are_refused():
    message = refused("a: !!python/object/apply:os.system ['true']\n")
    assert message.startswith("f.yaml:1:4: error: YAML tag '!!python/object/apply:os.system' is not allowed")
    assert "not allowed" in refused("a: !custom x\n")
    assert "not allowed" in refused("a: !!binary aGVsbG8=\n")


def test_invalid_utf8_and_nul_bytes_are_located():
    assert refused(b"a: 1\nb: caf\xe9\n").startswith("f.yaml:2:7: error: invalid UTF-8 byte 0xe9")
    assert refused(b"a: 1\nb: \x00\n").startswith("f.yaml:2:4: error: NUL byte")


def test_bom_and_crlf_are_accepted():
    document, problems = loaded(b"\xef\xbb\xbfa: 1\r\nb: x\r\n")
    assert problems == [] and document.data == {"a": 1, "b": "x"}


def test_syntax_errors_are_located_with_hints():
    assert refused("a:\n\tb: 1\n").startswith("f.yaml:2:1: error: YAML syntax error")
    assert "spaces, not tabs" in refused("a:\n\tb: 1\n")
    assert "remove the `---` separator" in refused("a: 1\n---\nb: 2\n")
    assert refused("a: [1, 2\nb: 3\n").startswith("f.yaml:")


def test_alias_bombs_and_recursion_are_bounded():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    assert "alias expansion" in refused("\n".join(lines) + "\n")
    assert "refers to itself" in refused("a: &a [*a]\n")


def test_deep_nesting_is_refused_without_crashing():
    assert "nesting deeper than" in refused("[" * 200_000)
    assert "nesting deeper than" in refused("- " * 200_000 + "x")
    assert "nesting deeper than" in refused("a: " + "{b: " * 100 + "1" + "}" * 100)


DEEP_SHAPES = {
    "flow sequences": (lambda n: "a: " + "[" * n + "]" * n, (1, 3 + MAX_DEPTH)),
    "flow mappings": (lambda n: "a: " + "{b: " * n + "1" + "}" * n, (1, 4 * MAX_DEPTH)),
    "block sequences": (lambda n: "a:\n" + "- " * n + "x", (2, 2 * MAX_DEPTH - 1)),
    "indented mappings": (lambda n: "".join(f"{' ' * i}k:\n" for i in range(n)) + " " * n + "x\n",
                          (MAX_DEPTH + 1, MAX_DEPTH + 1)),
}
LEVELS = [MAX_DEPTH + 1, 900, 1_001, 5_000, 100_000]


@pytest.mark.parametrize(("shape", "levels"), [
    (shape, levels) for shape in sorted(DEEP_SHAPES) for levels in LEVELS
    if shape != "indented mappings" or levels <= 1_001])  # 5,000 indented levels pass 1 MB
def test_deep_nesting_is_our_problem_at_the_same_place_whatever_libyaml_refuses(shape: str, levels: int):
    """libyaml 0.2.6 refuses over 1,000 levels itself, before any event reaches us; older
    versions refuse nothing. Either way the file gets reportgen's problem, at the collection
    that first goes past the limit."""
    make, (line, column) = DEEP_SHAPES[shape]
    if levels < 1_000:
        assert _event_walk(make(levels), MAX_DEPTH) == (line, column)
    assert refused(make(levels)) == (
        f"f.yaml:{line}:{column}: error: nesting deeper than {MAX_DEPTH} levels (flatten the structure)")


def _event_walk(text: str, limit: int) -> tuple[int, int] | None:
    """Where the parser opens the first collection deeper than `limit`: the reference."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                return event.start_mark.line + 1, event.start_mark.column + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


_tricky_text = st.text(st.sampled_from("ab [{]}#'\":,-|>&!?"), max_size=8)
_nested_values = st.recursive(
    st.integers() | _tricky_text | st.none(),
    lambda children: st.lists(children, min_size=1, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b c", "[k]", "#k", "'k'"]), children, min_size=1, max_size=3),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(_nested_values, st.sampled_from([True, False, None]), st.integers(1, 10),
       st.sampled_from(["'", '"', "|", None]))
def test_nesting_counted_from_the_text_agrees_with_the_parser(value, flow, limit, style):
    """`first_too_deep` reads no YAML: it must find what the parser finds, in every layout
    (flow and block, quoted and block scalars full of brackets, comments)."""
    body = yaml.dump({"root": value, "note": "[[[ {{ # '"}, default_flow_style=flow,
                     default_style=style if style != "|" else None, width=20)
    text = "# [[[[[[[[[[[[\nfirst: x # [[[[[[[[\n"
    if style == "|":
        text += "tail: |\n  [[[[[[[[[[[[\n  {{{{{{{{{{\n"
    text += "doc:\n" + textwrap.indent(body, "  ")
    assert first_too_deep(text, limit) == _event_walk(text, limit)


@settings(max_examples=200, deadline=None)
@given(long_literals)
def test_numbers_of_any_length_only_ever_give_located_problems(literal: str):
    document, problems = loaded(f"a: {literal}\nb: [{literal}]\n{literal[:900]}: 1\n")
    if document is None:
        assert problems and all(p.line >= 1 and p.column >= 1 for p in problems)
    else:
        str(document.data)  # every number read can be printed (Python refuses ints over 4,300 digits)


def test_a_number_too_large_to_read_is_located():
    assert refused("a: 1\nb: " + "9" * 5000 + "\n").startswith(
        "f.yaml:2:4: error: the number 9999999999…9999999999 is too large to read")
    assert refused("a: 0x" + "f" * 9000 + "\n").startswith("f.yaml:1:4: error: the number 0xffffffff")


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path: Path):
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    document, problems = load_yaml(path, "big.yaml")
    assert document is None and "over the 1,048,576-byte limit" in problems[0].message


def test_unreadable_file_is_a_problem(tmp_path: Path):
    document, problems = load_yaml(tmp_path / "missing.yaml", "missing.yaml")
    assert document is None and "cannot read file" in problems[0].message


def test_merge_keys_and_complex_keys_are_refused():
    assert "merge keys" in refused("base: &b {x: 1}\nc:\n  <<: *b\n")
    assert "plain word" in refused("? [a, b]\n: 1\n")


def _assert_located_or_loaded(raw: bytes) -> None:
    document, problems = parse_yaml(raw, "fuzz.yaml")
    if document is None:
        assert problems and all(p.path == "fuzz.yaml" and p.line >= 1 and p.column >= 1 for p in problems)
    else:
        assert isinstance(document.data, dict)
        assert all(p.severity == "warning" and p.line >= 1 and p.column >= 1 for p in problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_only_ever_give_located_errors(raw: bytes):
    _assert_located_or_loaded(raw)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(yaml_values)
def test_random_yaml_documents_only_ever_give_located_errors(value):
    _assert_located_or_loaded(yaml.dump(value).encode())


yaml_fragments = st.lists(
    st.sampled_from(["a:", " b:", "- ", "[", "]", "{", "}", "&x ", "*x", "!!python/name:os.system ",
                     "'", '"', "\t", "\n", "  ", "? ", ": ", "---\n", "...\n", "|", ">", "#", "%YAML 1.1\n",
                     "!!binary ", "<<: ", "2024-02-30", "NO", "\ufeff", "\x85", "\u202e"]),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(yaml_fragments)
def test_yaml_like_fragments_only_ever_give_located_errors(text: str):
    _assert_located_or_loaded(text.encode("utf-8", "surrogatepass"))


def test_bidi_controls_are_kept_in_the_data_and_warned_where_they_are():
    document, problems = parse_yaml("id: x\ntitle: invoice\u202egnp.exe\n".encode(), "f.yaml")
    assert document.data["title"] == "invoice\u202egnp.exe"  # outputs leave it out (reportgen.model.text)
    assert [str(p) for p in problems] == [
        "f.yaml:2:15: warning: bidirectional control character U+202E can reorder what readers "
        "see; briefings leave it out (delete it (Arabic and Hebrew need none))"]


YAML_1_1_BREAKS = ["\x85", "\u2028", "\u2029"]
break_values = st.text(st.sampled_from(["a", "b", " ", *YAML_1_1_BREAKS]), max_size=12).map(
    lambda middle: f"v{middle}z")


def _entry(key: str, value: str, style: str) -> tuple[str, str]:
    """One key written in `style`, and the value it must read back as."""
    if style == "plain":
        return f"{key}: {value}\n", value
    if style == "single":
        return f"{key}: '{value}'\n", value
    if style == "double":
        return f'{key}: "{value}"\n', value
    if style == "literal":
        return f"{key}: |-\n  {value}\n", value
    return f"{key}: x  # {value}\n", "x"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(break_values, st.sampled_from(["plain", "single", "double", "literal",
                                                           "comment"])), min_size=1, max_size=8))
def test_only_lf_cr_and_crlf_break_lines_and_yaml_1_1_breaks_stay_in_the_text(entries):
    """NEL, U+2028 and U+2029 break lines in YAML 1.1 (and libyaml), not in YAML 1.2 or editors."""
    text, expected = "", {}
    for index, (value, style) in enumerate(entries):
        written, read_back = _entry(f"k{index}", value, style)
        expected[f"k{index}"] = (text.count("\n") + 1, read_back)
        text += written
    document, problems = loaded(text)
    assert document is not None, problems
    assert {key: (document.positions[(key,)][0], document.data[key]) for key in expected} == expected
    assert all(column == 1 for (_, column) in (document.positions[(key,)] for key in expected))
    breaks = sum(text.count(char) for char in YAML_1_1_BREAKS)
    assert len(problems) == min(breaks, 3) and all(p.severity == "warning" for p in problems)


def test_yaml_1_1_breaks_are_kept_and_warned_at_their_line():
    document, problems = loaded('id: x\ntitle: "Strike\x85in Baghdad"\nnotes: |\n  one\u2028two\nend: 1\n')
    assert document.data["title"] == "Strike\x85in Baghdad"  # not folded into a space
    assert document.data["notes"] == "one\u2028two\n"
    assert document.positions[("end",)] == (5, 1)
    assert [(p.line, p.column) for p in problems] == [(2, 15), (4, 6)]
    assert str(problems[0]) == (
        "f.yaml:2:15: warning: invisible next line (NEL) character U+0085: kept in the text, since "
        "YAML 1.2 does not break lines there (delete it, or press Enter if a new line was meant)")


def test_a_private_use_character_or_escape_in_the_file_is_never_taken_for_a_break():
    document, _ = loaded('a: "\\ue000 \\U0000E001"\nb: "\ue002"\nc: x\x85y\n')
    assert document.data == {"a": "\ue000 \ue001", "b": "\ue002", "c": "x\x85y"}


def test_lines_end_at_cr_and_crlf_too():
    document, problems = loaded("a: 1\rb: x\u2028\r\nc: 2\n")
    assert document.positions[("c",)] == (3, 1)
    assert [(p.line, p.column) for p in problems] == [(2, 5)]
