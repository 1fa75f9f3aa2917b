"""The Jinja environment: the project's templates first, then the default theme.

Autoescaping is decided per template name, because `select_autoescape(["html"])` would miss
`briefing.html.j2`: HTML templates escape every value, Markdown templates escape data strings
with the `md` filter instead.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from reportgen.load.yaml_loader import position_of
from reportgen.model.text import strip_bidi_controls
from reportgen.render.filters import FILTERS

HTML_SUFFIXES = (".html.j2", ".html", ".htm", ".svg.j2", ".svg", ".xml.j2", ".xml")


def autoescape_for(name: str | None) -> bool:
    """On for HTML (and SVG/XML) templates, off for Markdown and CSS."""
    return bool(name) and name.endswith(HTML_SUFFIXES)


class MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept for the life of the process. Every briefing gets a fresh
    environment (a build's records what it loads), and compiling the theme's templates is most
    of what rendering a small briefing costs: this spares compiling the same templates again.
    Jinja checks the source checksum, so an edited template is compiled anew; every environment
    has the same settings, so their code is interchangeable."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = (bucket.checksum, bucket.code)


COMPILED = MemoryBytecodeCache()


def make_environment(project_templates: Path | None = None) -> Environment:
    """`project_templates` (when it exists) overrides any default template of the same name."""
    loaders = []
    if project_templates is not None and project_templates.is_dir():
        loaders.append(ProjectLoader(project_templates))
    loaders.append(PackageLoader("reportgen", "templates"))
    env = Environment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=autoescape_for,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=printable,
        bytecode_cache=COMPILED,
    )
    env.filters.update(FILTERS)
    return env


class ProjectLoader(FileSystemLoader):
    """The project's own templates; a file that is not UTF-8 is an error at its own line, not
    a UnicodeDecodeError at whichever template included it."""

    def get_source(self, environment: Environment, template: str):
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raw = exc.object
            line, _ = position_of(raw, exc.start)
            filename = next((str(Path(folder) / template) for folder in self.searchpath
                             if (Path(folder) / template).is_file()), template)
            raise TemplateSyntaxError(f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x})", line,
                                      template, filename) from None


def printable(value: object) -> object:
    """Every value a template prints, without bidirectional controls (see `reportgen.model.text`);
    Markup stays Markup."""
    if isinstance(value, str):
        cleaned = strip_bidi_controls(value)
        if cleaned is not value:
            return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value
