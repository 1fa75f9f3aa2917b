"""Check one document against its model and turn pydantic's errors into located Problems."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reportgen.load.yaml_loader import Document
from reportgen.model.common import FORMS, Marking
from reportgen.model.vocabulary import ACLED_SUB_EVENTS, suggested_type
from reportgen.problems import Problem, error

M = TypeVar("M", bound=BaseModel)

_TYPE_MISMATCH = {"int_type", "int_parsing", "literal_error", "model_type", "enum",
                  "string_type", "float_type", "float_parsing", "dict_type", "list_type",
                  "bool_type", "bool_parsing", "date_type", "date_parsing", "int_from_float"}


_DIGITS = re.compile(r"^\s*[-+]?[0-9]+\s*$")


def validate_document(document: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The model built from a document, or the located reasons it could not be built."""
    try:
        return model.model_validate(document.data), []
    except ValidationError as exc:
        return None, problems_from(document, exc, model)


def problems_from(document: Document, exc: ValidationError, model: type[BaseModel]) -> list[Problem]:
    grouped: dict[tuple, list[dict]] = {}
    for err in exc.errors(include_url=False):
        grouped.setdefault(_data_loc(document.data, err["loc"]), []).append(err)
    problems = []
    for data_loc, errors in _explained(grouped).items():
        message, hint = _describe(_most_specific(errors), errors, data_loc, model)
        line, column = document.locate(data_loc)
        problems.append(error(document.path, line, column, message, hint))
    return problems


def _explained(grouped: dict[tuple, list[dict]]) -> dict[tuple, list[dict]]:
    """Without the union branches that only say "not this type" where another branch got further:
    `killed: {min: true}` is explained at `min`, not also as "killed is not an int"."""
    return {loc: errors for loc, errors in grouped.items()
            if not (all(e["type"] in _TYPE_MISMATCH for e in errors)
                    and any(len(other) > len(loc) and other[:len(loc)] == loc for other in grouped))}


def _data_loc(data: Any, loc: tuple) -> tuple:
    """The part of a pydantic loc that names real keys and indexes (drops union branches)."""
    found = []
    node = data
    for part in loc:
        if _has(node, part):
            node = node[part]
            found.append(part)
        elif isinstance(node, dict) and not isinstance(part, int) and not _is_branch(part):
            found.append(part)  # a missing or unknown key: keep it for the message
            break
    return tuple(found)


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def _is_branch(part: str) -> bool:
    """Union and validator branch names pydantic puts in a loc ('constrained-int', 'FigureRange');
    model fields are snake_case, so a missing field never looks like one."""
    return "[" in part or "-" in part or part[:1].isupper() or part in {"int", "str", "float", "bool"}


def _most_specific(errors: list[dict]) -> dict:
    for err in errors:
        if err["type"] not in _TYPE_MISMATCH:
            return err
    return errors[0]


def _describe(err: dict, siblings: list[dict], data_loc: tuple, model: type[BaseModel]):
    kind, value = err["type"], err.get("input")
    name = str(data_loc[-1]) if data_loc else "file"
    if kind == "missing":
        return f"missing required field '{name}'", f"add `{name}: ...`"
    if value is None and kind in _TYPE_MISMATCH:
        expected = err.get("ctx", {}).get("expected")
        return f"'{name}' is empty", f"use one of: {expected}" if expected else "fill in a value"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, data_loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(allowed)}"
        return f"unknown field '{name}'", hint
    if kind == "enum" and "TLP" in str(err.get("ctx", {}).get("expected", "")):
        labels = ", ".join(m.value for m in Marking)
        return f"'{value}' is not a TLP 2.0 label", f"use one of {labels}"
    if kind in ("literal_error", "enum") and len(siblings) == 1:
        return _not_allowed(value, err.get("ctx", {}).get("expected", ""))
    if any(e["type"] == "int_type" for e in siblings) and (wrong := _not_whole(value)):
        return f"'{name}' must be a whole number, not {wrong[0]}", wrong[1]
    if kind == "string_type" and isinstance(value, int | float | bool):
        return f"'{name}' must be text, not {type(value).__name__} {value!r}", "put it in quotes"
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        form = FORMS.get(pattern)
        return (f"'{value}' {form.wrong}", form.hint) if form else (
            f"'{value}' does not have the expected form", pattern)
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return f"'{value}' is not a valid date ({_reason(err)})", "use YYYY-MM-DD, e.g. 2024-02-07"
    if kind in ("value_error", "assertion_error"):
        return _reason(err), ""
    if len(siblings) > 1 and all(e["type"] in _TYPE_MISMATCH for e in siblings):
        expected = "; or ".join(dict.fromkeys(_reason(e) for e in siblings))
        return f"'{name}' has an invalid value {_short(value)}", f"expected {expected}"
    return f"'{name}': {_reason(err)}", ""


def _not_whole(value: Any) -> tuple[str, str] | None:
    """What a count was written as instead (counts are strict: see `model.common.Count`) and how
    to fix it, or None when the value is something else altogether."""
    if isinstance(value, bool):
        return str(value).lower(), "a yes/no is not a count: write the number the source gave"
    if isinstance(value, float):
        return repr(value), "write a whole number; for a span write {min: 2, max: 3}"
    if isinstance(value, str) and _DIGITS.match(value):
        return f"the text {value!r}", "remove the quotes"
    return None


def _not_allowed(value: Any, expected: str) -> tuple[str, str]:
    options = re.findall(r"'([^']*)'", expected) or [expected]  # pydantic quotes each choice
    meant = suggested_type(str(value)) if set(options) == set(ACLED_SUB_EVENTS) else None
    close = [meant] if meant else difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of: {expected}"
    return f"{_short(value)} is not an allowed value", hint


def _reason(err: dict) -> str:
    message = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message[0].lower() + message[1:] if message else message


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names (by alias) of the model found by following `loc` from `model`."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            current = _item_type(current)
            continue
        fields = getattr(current, "model_fields", {})
        field = next((f for n, f in fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        current = _model_in(field.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or n for n, f in fields.items()]


def _model_in(annotation: Any) -> Any:
    """Strip Optional/list/Annotated wrappers to reach a model (or whatever is left)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return annotation
    return annotation


def _item_type(container: Any) -> Any:
    args = typing.get_args(container)
    return _model_in(args[0]) if args else container
