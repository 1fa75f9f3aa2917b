"""The output formats a report can ask for: one line each in `OUTPUT_FORMATS`.

A format is one module under `reportgen.render` with one render function (`Renderer`:
`(briefing, environment, *, pool) -> Rendered`; its name is given in the line, e.g.
`render_docx`), and one line here saying what the build must know of it without importing it:
its media type and the name readers know it by, whether it depends on the fonts of the machine
that lays it out, whether it links the chart files written beside it, and which files of the
theme it reads that are not Jinja templates (they are inputs of the output just as its templates
are, overridable in the same way). A text format returns its pieces, rendered as they are
written; any other, its bytes. Publishing, writing, staleness, the
build's workers, the archive and mail ask this registry; adding a format is a module and a line.

Standard library only: the no-op build reads the format names (see `layout.FORMATS`).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from jinja2 import Environment

    from reportgen.briefing import Briefing
    from reportgen.problems import Note, Problem


@dataclass
class Rendered:
    """One format of a briefing, made: its bytes (or, for a text, its pieces, rendered as they
    are written) and what the renderer said while making it."""

    data: bytes | Iterator[str]
    problems: list[Problem] = field(default_factory=list)
    """Warnings located in the project (a fetch refused, at the record that asked)."""
    notes: list[Note] = field(default_factory=list)
    """Notices about the theme or this machine: said once per build, not located."""


class Renderer(Protocol):
    """A format's render function. `environment` is the Jinja environment (the project's
    templates, then the theme's; a build's records what it loads); `pool` holds the processes a
    long layout may use (the caller's, started only when used), or is None."""

    def __call__(self, briefing: Briefing, environment: Environment | None = None, *,
                 pool: Executor | None = None) -> Rendered: ...


@dataclass(frozen=True)
class OutputFormat:
    name: str
    """The suffix of `build/<report>/<report>.<name>`, and the name `--format` takes."""
    module: str
    """The module under `reportgen.render` holding its `function`."""
    function: str
    media_type: str
    """What mail calls it when it is attached."""
    label: str
    """What a reader calls it (the archive's links)."""
    fonts: bool = False
    """Laid out with this machine's fonts (the PDF): a change of fonts makes it stale."""
    links_charts: bool = False
    """Links the chart files written beside it (Markdown): they belong to this output."""
    parallel: bool = False
    """Lays a long briefing out in the publish stage's processes (the PDF): when it is built, a
    compendium's charts are drawn in them first."""
    theme_files: tuple[str, ...] = ()
    """Files of the theme it reads besides templates (Word's house template), found in the
    project's templates folder first, like a template, and inputs of the output like one."""

    def renderer(self) -> Renderer:
        """Its render function, imported only now: WeasyPrint or Pandoc load when asked for."""
        return getattr(importlib.import_module(f"reportgen.render.{self.module}"), self.function)


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

OUTPUT_FORMATS: dict[str, OutputFormat] = {item.name: item for item in (
    OutputFormat("md", "text", "render_markdown", "text/markdown", "Markdown", links_charts=True),
    OutputFormat("html", "text", "render_html", "text/html", "HTML"),
    OutputFormat("pdf", "pdf", "render_pdf", "application/pdf", "PDF", fonts=True, parallel=True),
    OutputFormat("docx", "word", "render_docx", WORD, "Word", theme_files=("reference.docx",)),
)}



def in_processes(names: Iterable[str]) -> bool:
    """Whether any of the formats named lays a long briefing out in processes (`parallel`):
    what decides, before anything is rendered, whether a compendium's charts are drawn in them
    and whether a build starts their server early. Unknown names count for nothing."""
    return any(OUTPUT_FORMATS[name].parallel for name in names if name in OUTPUT_FORMATS)


OFFERED = ("pdf", "docx", "html", "md")
"""The order a reader is offered the formats of an issue: the printed briefing first."""
