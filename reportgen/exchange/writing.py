"""Write imported records the way a curator would have: plain dates, block text, comments kept.

Drafts become new incident files (never overwriting one); new outlets are appended to
sources.yaml below what is there, so the curator's comments and layout survive.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from reportgen.layout import INCIDENTS_DIR, SOURCES_FILE
from reportgen.load.yaml_loader import Document, parse_yaml
from reportgen.model import Incident, Outlet, SourcesRegistry
from reportgen.problems import ReportgenError, error
from reportgen.scaffold.files import schema_comment_path
from reportgen.write.atomic import write_atomic, write_new


class _Dumper(yaml.SafeDumper):
    """Dates as plain YAML dates, the way curators write them."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value.rstrip("\n") + "\n", style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def draft_path(root: Path, draft: Incident) -> Path:
    return root / INCIDENTS_DIR / str(draft.date.year) / f"{draft.id}.yaml"


def write_draft(root: Path, draft: Incident, label: str, command: str) -> Path:
    path = draft_path(root, draft)
    data = draft.model_dump(mode="json", exclude_defaults=True, by_alias=True)
    data = _status_first(data)
    header = (f"# yaml-language-server: $schema={schema_comment_path(root / 'schemas', 'incident', path)}\n"
              f"# Draft imported from {label} by `{command}`.\n")
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)
    write_new(path, header + body)
    return path


def _status_first(data: dict) -> dict:
    """Put `status: draft` right under the dates, where a curator looks first."""
    keys = [k for k in data if k != "status"]
    at = max(keys.index(k) for k in ("date", "date_precision", "end") if k in keys) + 1
    keys.insert(at, "status")
    return {key: data[key] for key in keys}


def append_outlets(root: Path, outlets: list[Outlet], command: str) -> None:
    """Append new outlets to sources.yaml, keeping the curator's comments and layout."""
    if not outlets:
        return
    path = root / SOURCES_FILE
    text = path.read_text(encoding="utf-8")
    document, _ = parse_yaml(text.encode(), SOURCES_FILE)
    indent = _item_indent(text, document)
    entries = yaml.dump([o.model_dump(mode="json", exclude_none=True) for o in outlets],
                        Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    block = f"# Added by `{command}`: grade these outlets.\n" + entries
    updated = text.rstrip("\n") + "\n" + "".join(indent + line for line in block.splitlines(True))
    _check_registry(updated, outlets)
    write_atomic(path, updated)


def _item_indent(text: str, document: Document | None) -> str:
    """The spaces before the `-` of the outlet list's items."""
    if document is None or ("outlets", 0) not in document.positions:
        return ""
    line, column = document.positions[("outlets", 0)]
    raw = text.splitlines()[line - 1]
    dash = raw.rfind("-", 0, column - 1)
    return " " * max(dash, 0)


def _check_registry(text: str, outlets: list[Outlet]) -> None:
    document, problems = parse_yaml(text.encode(), SOURCES_FILE)
    try:
        registry = SourcesRegistry.model_validate(document.data if document else None)
        ok = {o.id for o in outlets} <= {o.id for o in registry.outlets}
    except ValueError:
        ok = False
    if any(p.severity == "error" for p in problems) or not ok:
        names = ", ".join(o.name for o in outlets)
        raise ReportgenError([error(SOURCES_FILE, 1, 1, "cannot add the new outlets to sources.yaml",
                                    f"write `outlets:` as a block list, or add by hand: {names}")])
