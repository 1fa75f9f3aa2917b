"""Warnings for curators' vocabulary in text readers see: a code span, a field name of the
schema, a path in the project or a word about the tooling ("the validator", "YAML") belongs in
`internal_notes`, not in a briefing.

Which fields readers see is said once, in the model (the `Prose` and `ProseMarkdown` types carry
the READER mark); the field names are read from the models too, so a field added to the schema is
a word to warn about without anyone listing it here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Annotated, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from reportgen.layout import ACTORS_DIR, BUILD_DIR, INCIDENTS_DIR
from reportgen.load.yaml_loader import Document
from reportgen.model.common import READER
from reportgen.model.json_schema import SCHEMAS
from reportgen.problems import Problem, warning

HINT = "move it to internal_notes, or reword it for readers"

TOOLING_WORDS = re.compile(
    r"\b(?:reportgen|validator|schemas?|ya?ml|json|corpus|corpora|ladder rules? \d+)\b", re.IGNORECASE)
"""Words about the tooling, not the conflict: a reader has no validator and no schema."""
PROJECT_FOLDERS = (INCIDENTS_DIR, ACTORS_DIR, BUILD_DIR, "shared", "schemas", "templates")
_PATH = re.compile(
    r"(?<![\w/.-])(?:(?:" + "|".join(PROJECT_FOLDERS) + r")/[\w./-]*"
    r"|[\w-]+(?:/[\w.-]+)*\.(?:ya?ml|json|j2|txt|csv|md|py)\b"
    r"|[\w-]+(?:/[\w.-]+)+\.[a-z]{2,4}\b)")
"""A path in the project (incidents/…, shared/sources/…) or a file name (*.yaml, notes.txt)."""
_URL = re.compile(r"""https?://\S+|\]\((?:[^()\s]|\([^()\s]*+\))*+(?:\s++"[^"<]*+")?\)"""
                  r"""|<[a-z]+:[^<>\s]*+>""")
"""Link targets: a path inside a URL is the link's business, not the reader's text. A Markdown
target has no space and at most one level of parentheses (then perhaps a quoted title, as in
`[the file](notes/x.yaml "title")`), an autolink no space or bracket, and
the quantifiers are possessive: a text of a megabyte of `](` or `<a:` is read at once, not
scanned to its end from each (the first pattern took 2 s per 100 kB, 3 minutes for a file)."""
_CODE_SPAN = re.compile(r"`+[^`]*`+|`")


def curators_words(document: Document, base: tuple, record: BaseModel) -> Iterator[Problem]:
    """A warning at each reader-facing field of `record` (at `base` in `document`) that holds a
    code span, a field name, a path or a tooling word."""
    for loc, label, text in reader_texts(record, base):
        found = internal_words(text)
        if found:
            line, column = document.locate(loc)
            yield warning(document.path, line, column,
                          f"{label} holds words readers should not see: {', '.join(found)}", HINT)


def internal_words(text: str) -> list[str]:
    """What in `text` speaks of the files and the tooling rather than the events, each once,
    quoted as written (empty when the text reads as plain English)."""
    text = _URL.sub(" ", text)
    found = [f"the code span {m.group()}" for m in _CODE_SPAN.finditer(text)]
    plain = _CODE_SPAN.sub(" ", text)
    found += [f"the field name '{m.group()}'" for m in field_name_pattern().finditer(plain)]
    found += [f"the path '{m.group()}'" for m in _PATH.finditer(plain)]
    found += [f"the word '{m.group()}'" for m in TOOLING_WORDS.finditer(plain)]
    return list(dict.fromkeys(found))


def reader_texts(record: BaseModel, base: tuple = ()) -> Iterator[tuple[tuple, str, str]]:
    """(location, field name, text) of every reader-facing text in `record` and the records it
    holds; a field holding someone's exact words (a quote: the record's `verbatim`) is theirs
    and left as it is."""
    verbatim = getattr(record, "verbatim", set())
    readers = reader_fields(type(record))
    for name, info in type(record).model_fields.items():
        value = getattr(record, name)
        key = info.alias or name
        if name in readers and name not in verbatim:
            for loc, text in _strings(value, (*base, key)):
                yield loc, key, text
        else:
            for loc, inner in _records(value, (*base, key)):
                yield from reader_texts(inner, loc)


def _strings(value, loc: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str) and value:
        yield loc, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def _records(value, loc: tuple) -> Iterator[tuple[tuple, BaseModel]]:
    if isinstance(value, BaseModel):
        yield loc, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _records(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _records(item, (*loc, key))


@cache
def reader_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of `model` readers see: worked out once per model, not once per record (a
    third of checking 2,000 incidents' words was asking each record's fields again)."""
    return frozenset(name for name, info in model.model_fields.items() if is_reader(info))


def is_reader(info: FieldInfo) -> bool:
    """True when the field's type carries the READER mark (`Prose`, `ProseMarkdown`), alone,
    optional or in a list."""
    return READER in info.metadata or _marked(info.annotation)


def _marked(annotation) -> bool:
    if get_origin(annotation) is Annotated:
        return READER in annotation.__metadata__ or _marked(get_args(annotation)[0])
    return any(_marked(arg) for arg in get_args(annotation))


@cache
def field_names() -> frozenset[str]:
    """Every field name (and alias) of every file the project holds, read from the models."""
    names: set[str] = set()
    seen: set[type] = set()

    def collect(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            names.update({name, info.alias} - {None})
            for inner in _models_in(info.annotation):
                collect(inner)

    for model in SCHEMAS.values():
        collect(model)
    return frozenset(n.rstrip("_") for n in names)


def _models_in(annotation) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models_in(arg)


@cache
def field_name_pattern() -> re.Pattern:
    """A field name written as an identifier: one with an underscore (`time_utc`) anywhere, any
    one written as a key with one lower-case value (`via: dpa,`). A plain word ("date",
    "type") is English, and so is a colon that opens a clause ("neither side: it is")."""
    names = sorted(field_names(), key=len, reverse=True)
    joined = "|".join(re.escape(n) for n in names if "_" in n)
    keyed = "|".join(re.escape(n) for n in names)
    value = r" +(?:[a-z0-9][\w.-]*|\[[^\]]*\]|\{[^}]*\})(?=[,;.)]?(?:\s|$))(?! +[\w(])"
    return re.compile(rf"(?<![\w-])(?:(?:{joined})(?![\w-])|(?:{keyed}):(?={value}))")
