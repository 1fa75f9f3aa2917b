"""The configuration reference: every key of every file a desk writes, with its type, default
and an example, generated from the models' JSON Schemas (`json_schema.SCHEMAS`), so it cannot
say other than the code. The documentation site builds it (`docs/hooks.py`), with examples
taken from the example project's own files."""

from __future__ import annotations

import json
from collections.abc import Iterator

from reportgen.model.json_schema import SCHEMAS, EditorSchema

FILES = {
    "config": "reportgen.yaml",
    "incident": "incidents/YYYY/ID.yaml",
    "actor": "actors/ID.yaml",
    "sources": "sources.yaml",
    "tallies": "tallies.yaml",
}
"""The file each schema describes, as a desk names it."""
EXAMPLE_WIDTH = 48
"""Characters of an example shown before it is cut."""


def markdown(examples: dict[str, object] | None = None) -> str:
    """One section per file, and in reportgen.yaml one per top-level key; one row per key
    (nested keys as dotted paths, `[]` for the items of a list, `{}` for the values of a
    mapping): the key with its type and default, then what it is, with an example. `examples`
    maps a schema's name to a parsed file of that kind."""
    lines = []
    for name in FILES:
        schema = SCHEMAS[name].model_json_schema(by_alias=True, schema_generator=EditorSchema)
        lines += [f"## {FILES[name]}", "", _first_line(schema.get("description", "")), ""]
        sample = (examples or {}).get(name)
        section = None
        for path, field, required in _keys(schema, schema, "", set()):
            top = path.split(".", 1)[0].split("[", 1)[0].split("{", 1)[0]
            if name == "config" and top != section:
                section = top
                lines += ["", f"### {top}", ""]
            if section is None or lines[-1] == "":
                lines += ["| key | what it is |", "|---|---|"]
                section = section or top
            lines.append(f"| {_key_cell(path, field, required, schema)} | "
                         f"{_described(field, _example(sample, path))} |")
        lines.append("")
    return "\n".join(lines)


def _key_cell(path: str, field: dict, required: bool, root: dict) -> str:
    default = "required" if required else (f"default {_default(field)}" if "default" in field else "")
    return "<br>".join(part for part in (f"`{path}`", _type(field, root), default) if part)


def _keys(schema: dict, root: dict, prefix: str, seen: set[str]) -> Iterator[tuple[str, dict, bool]]:
    """(dotted path, field schema, required) of every key, depth first."""
    target = _resolved(schema, root)
    required = set(target.get("required", ()))
    for key, field in target.get("properties", {}).items():
        path = f"{prefix}{key}"
        yield path, field, key in required
        for nested, suffix in _nested(field, root):
            ref = nested.get("$ref", "")
            if ref in seen:
                continue
            yield from _keys(nested, root, f"{path}{suffix}.", seen | {ref})


def _nested(field: dict, root: dict) -> Iterator[tuple[dict, str]]:
    """The object schemas a field holds: itself, its list's items, a mapping's values."""
    for option in field.get("anyOf", [field]):
        target = _resolved(option, root)
        if "properties" in target:
            yield option, ""
        elif target.get("type") == "array" and "properties" in _resolved(target.get("items", {}), root):
            yield target["items"], "[]"
        elif (values := _values(target)) and "properties" in _resolved(values, root):
            yield values, "{}"


def _values(schema: dict) -> dict | None:
    """The schema of a mapping's values (whatever its keys' pattern), or None."""
    if isinstance(schema.get("additionalProperties"), dict):
        return schema["additionalProperties"]
    return next(iter(schema.get("patternProperties", {}).values()), None)


def _resolved(schema: dict, root: dict) -> dict:
    ref = schema.get("$ref")
    return root["$defs"][ref.rsplit("/", 1)[1]] if ref else schema


def _type(field: dict, root: dict) -> str:
    if "anyOf" in field:
        return " or ".join(dict.fromkeys(_type(option, root) for option in field["anyOf"]))
    if "$ref" in field:
        target = _resolved(field, root)
        return _enum(target) or ("mapping" if "properties" in target else _type(target, root))
    if "enum" in field or "const" in field:
        return _enum(field)
    kind = field.get("type", "any")
    if kind == "array":
        item = _type(field.get("items", {}), root)
        return "list of mappings" if item == "mapping" else f"list of {item}"
    if kind == "object" and (values := _values(field)):
        item = _type(values, root)
        return "mapping of names to mappings" if item == "mapping" else f"mapping of names to {item}"
    return {"string": _string(field), "integer": "integer", "number": "number",
            "boolean": "true or false", "null": "empty", "object": "mapping"}.get(kind, kind)


def _string(field: dict) -> str:
    shape = field.get("format")
    return {"date": "date (YYYY-MM-DD)", "date-time": "date and time", "email": "e-mail address",
            "uri": "URL"}.get(shape, "text")


def _enum(field: dict) -> str:
    values = field.get("enum") or ([field["const"]] if "const" in field else [])
    return " / ".join(f"`{value}`" for value in values) if values else ""


def _default(field: dict) -> str:
    if "default" not in field:
        return ""
    return f"`{json.dumps(field['default'], ensure_ascii=False)}`"


def _example(sample: object, path: str) -> str:
    value = _lookup(sample, path.replace("[]", ".[]").replace("{}", ".{}").split("."))
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = text if len(text) <= EXAMPLE_WIDTH else text[:EXAMPLE_WIDTH - 1] + "…"
    return "`" + text.replace("|", "\\|").replace("`", "'") + "`"


def _lookup(value: object, keys: list[str]) -> object:
    """The first value at the path in a parsed file ([] any item of a list, {} any value of
    a mapping)."""
    if not keys:
        return value
    key, rest = keys[0], keys[1:]
    if key in ("[]", "{}"):
        items = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else []
        return next((found for item in items if (found := _lookup(item, rest)) is not None), None)
    return _lookup(value.get(key), rest) if isinstance(value, dict) else None


def _described(field: dict, example: str) -> str:
    text = " ".join(field.get("description", "").split()).replace("|", "\\|")
    return f"{text} Example: {example}".strip() if example else text


def _first_line(text: str) -> str:
    return text.split("\n\n", 1)[0].replace("\n", " ")
