"""MkDocs hooks: the pages generated from the code at every build of the site, so they cannot
drift from it. A page asks for one with a marker line: `<!-- generated: configuration -->` (every
key of every file a desk writes, from the models) or `<!-- generated: modules -->` (every module
of the package, with the first line of its docstring)."""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path

import yaml

from reportgen.model.reference import markdown as configuration_reference

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "reportgen"
MARKER = re.compile(r"^<!-- generated: (\w+) -->$", re.M)
EXAMPLES = {
    "config": "reportgen.yaml",
    "incident": "incidents/2024/2024-02-07-baghdad-drone-strike.yaml",
    "actor": "actors/kataib-hezbollah.yaml",
    "sources": "sources.yaml",
    "tallies": "tallies.yaml",
}
"""The example project's files the configuration reference takes its examples from."""


def on_page_markdown(markdown: str, **_) -> str:
    return MARKER.sub(lambda match: GENERATORS[match[1]](), markdown)


def configuration() -> str:
    examples = {name: yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
                for name, path in EXAMPLES.items()}
    return configuration_reference(examples)


def modules() -> str:
    """A table of every module, by its path under reportgen/, and what its docstring says first."""
    rows = ["| module | what it is |", "|---|---|"]
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        first = " ".join(docstring.split("\n\n", 1)[0].split()).replace("|", "\\|")
        rows.append(f"| `{name}` | {_outside_code(first, html.escape)} |")
    return "\n".join(rows) + "\n"


def _outside_code(text: str, change) -> str:
    """`change` applied to the text outside its `code spans` (Markdown escapes those itself)."""
    pieces = text.split("`")
    return "`".join(change(piece) if n % 2 == 0 else piece for n, piece in enumerate(pieces))


GENERATORS = {"configuration": configuration, "modules": modules}
