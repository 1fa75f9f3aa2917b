"""The documentation cannot drift (in the spirit of sqlite-utils' test_docs.py): the site builds
with `mkdocs build --strict` (no broken link or anchor), every command and option, every key of
every file a desk writes and every module is documented, every sample of a command's output is
what the command prints on this repository, the Python examples run, and the README's apt line
is the one CI runs.

Each output sample is marked `<!-- output of: reportgen ARGS ... -->` and is the indented block
that follows. After an intended change, `UPDATE_DOCS=1 .venv/bin/pytest tests/docs` writes the
real output in; review the diff."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner
from pydantic import BaseModel

from reportgen.cli import main
from reportgen.model.json_schema import SCHEMAS
from tests.conftest import REPO

DOCS = REPO / "docs"
README = REPO / "README.md"
PAGES = [README, *sorted(DOCS.rglob("*.md"))]
PYTHON_EXAMPLE = re.compile(r"\n\n((?:    (?:from|import) reportgen.*\n)(?:    .*\n|\n(?=    ))+)")
MARKER = re.compile(r"^(?P<indent> *)<!-- output of: reportgen (?P<args>[^(]+?) (?:\(.*\) )?-->\n\n"
                    r"(?P<block>(?:(?P=indent)    .*\n)+)", re.M)
EXAMPLE_PAGES = ("api.md", "briefings.md", "engine.md")
"""The pages with Python examples, in the order they are run (a later one uses what an earlier
one made)."""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                          str(REPO / "mkdocs.yml"), "-d", str(folder)],
                         capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert run.returncode == 0, run.stderr
    return folder


def page_text(site: Path, page: str) -> str:
    html = (site / page / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser").get_text(" ")


def test_the_site_loads_nothing_from_elsewhere(site):
    """No page fetches a font, a style or a script from another host (Material's default
    fonts come from Google unless `font: false`): the site reads offline and tells no one."""
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        tags = soup.select("script[src], link[href], img[src]")
        fetched = [tag.get("src") or tag.get("href") for tag in tags
                   if tag.name != "link" or set(tag.get("rel", [])) & {"stylesheet", "preconnect", "preload"}]
        assert [url for url in fetched if re.match(r"(https?:)?//", url or "")] == [], page


HTML_TAG_NAMES = """a abbr article aside b blockquote body br button caption code col colgroup
dd del details div dl dt em figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html i
img input kbd label li link main mark meta nav ol option p path pre s script section select small
span strong style sub summary sup svg table tbody td textarea tfoot th thead title tr u ul"""
HTML_TAGS = frozenset(HTML_TAG_NAMES.split())


def test_no_page_holds_a_tag_html_does_not_know(site):
    """A placeholder such as `<report-id>` written bare in generated text (a docstring, a
    command's help) becomes a tag that hides what follows it: every tag must be HTML's."""
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        found = {tag.name for tag in soup.find_all(True)}
        assert found <= HTML_TAGS, f"{page.relative_to(site)}: {sorted(found - HTML_TAGS)}"


def test_every_page_is_in_the_navigation():
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    listed = set(re.findall(r"[\w/-]+\.md", str(config["nav"])))
    assert {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")} == listed


def commands(group: click.Group, prefix: str) -> list[tuple[str, click.Command]]:
    """(full name, command) of every command and subcommand."""
    context = click.Context(group)
    found = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        found.append((f"{prefix} {name}", command))
        if isinstance(command, click.Group):
            found += commands(command, f"{prefix} {name}")
    return found


def test_every_command_and_option_is_in_the_command_line_reference(site):
    text = page_text(site, "reference/cli")
    every = commands(main, "reportgen")
    assert len(every) >= 12
    for name, command in every:
        assert name in text, name
        for parameter in command.params:
            for option in parameter.opts if isinstance(parameter, click.Option) else []:
                assert option in text, f"{name} {option}"


def model_keys(model: type[BaseModel], seen: frozenset = frozenset()) -> set[str]:
    """Every key a file of this model may hold, nested ones too (by the models, not the schema)."""
    keys = set()
    for name, field in model.model_fields.items():
        keys.add(field.alias or name)
        for inner in nested_models(field.annotation):
            if inner not in seen:
                keys |= model_keys(inner, seen | {inner})
    return keys


def nested_models(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for argument in getattr(annotation, "__args__", ()) for m in nested_models(argument)]


def test_every_key_of_every_file_is_in_the_configuration_reference(site):
    html = (site / "reference/configuration" / "index.html").read_text(encoding="utf-8")
    documented = {cell.get_text().rsplit(".", 1)[-1].removesuffix("[]").removesuffix("{}")
                  for row in BeautifulSoup(html, "html.parser").select("tr")
                  for cell in row.select("td:first-child code")}
    for name, model in SCHEMAS.items():
        missing = model_keys(model) - documented
        assert not missing, f"{name}: {sorted(missing)}"


def test_every_module_is_named_on_the_internals_page(site):
    text = page_text(site, "internals")
    package = REPO / "reportgen"
    for path in package.rglob("*.py"):
        assert path.relative_to(package).as_posix() in text, path


def test_every_sample_output_is_what_the_command_prints():
    found = 0
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        samples = list(MARKER.finditer(text))
        found += len(samples)
        for sample in reversed(samples):
            result = CliRunner().invoke(main, [*shlex.split(sample["args"]), "-C", str(REPO)])
            prefix = sample["indent"] + "    "
            printed = "".join(f"{prefix}{line}\n" for line in result.output.splitlines())
            if os.environ.get("UPDATE_DOCS") == "1":
                text = text[:sample.start("block")] + printed + text[sample.end("block"):]
                continue
            assert sample["block"] == printed, f"{page.name}: sample of `reportgen {sample['args']}` is stale"
        if os.environ.get("UPDATE_DOCS") == "1":
            page.write_text(text, encoding="utf-8")
    assert found, "no `<!-- output of: ... -->` sample found"


ASSERTED = re.compile(r"^ *<!-- output as asserted by: (?P<test>\S+) -->\n\n(?P<block>(?: +.*\n)+)", re.M)
SAID = re.compile(r"^ {4,}\S+: (?:warning|error): .*$", re.M)


def test_every_sample_of_a_problem_is_printed_by_a_command_or_asserted_by_a_test():
    """A line of reportgen's output shown in the documentation is under an `output of:` marker
    (the command is run, above) or an `output as asserted by: TEST` one, whose test asserts the
    line's hint (what the reader is told to do) word for word."""
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        covered = [match.span("block") for match in (*MARKER.finditer(text), *ASSERTED.finditer(text))]
        for line in SAID.finditer(text):
            assert any(start <= line.start() < end for start, end in covered), f"{page.name}: {line[0]}"
        for match in ASSERTED.finditer(text):
            test = (REPO / match["test"]).read_text(encoding="utf-8")
            for line in match["block"].splitlines():
                hint = re.search(r"\([^()]*\)$", line)
                assert hint and hint[0] in test, f"{page.name}: {match['test']} does not say {line.strip()}"


def apt_packages(text: str) -> list[str]:
    command = text.split("apt-get install", 1)[1].split("\n\n", 1)[0]
    return [word for word in command.replace("\\\n", " ").split()
            if not word.startswith("-") and not word.startswith((">", "$")) and word != "\\"]


def test_the_readme_apt_line_is_the_one_ci_runs():
    readme = README.read_text(encoding="utf-8")
    line = readme.split("System packages", 1)[1].split("\n\n", 2)[1]
    assert "apt-get update &&" in line and "apt-get install -y" in line
    assert apt_packages(readme.split("System packages", 1)[1]) == apt_packages(
        (REPO / ".ci" / "run").read_text(encoding="utf-8"))


def test_the_readme_is_a_first_page():
    """About 10 KB at most, and every page it links to exists."""
    readme = README.read_text(encoding="utf-8")
    assert len(readme.encode("utf-8")) <= 10_240
    for link in re.findall(r"\]\((docs/[^)#]+)", readme) + re.findall(r'src="([^"]+)"', readme):
        assert (REPO / link).is_file(), link


@pytest.mark.slow
def test_every_python_example_runs_on_the_example_project(example_project, monkeypatch):
    """Each indented block that starts by importing reportgen, run in order in one namespace,
    in a copy of the example project."""
    blocks = [(page, textwrap.dedent(block)) for page in EXAMPLE_PAGES
              for block in PYTHON_EXAMPLE.findall((DOCS / page).read_text(encoding="utf-8"))]
    every = [page.name for page in PAGES for _ in PYTHON_EXAMPLE.findall(page.read_text(encoding="utf-8"))]
    assert sorted(every) == sorted(page for page, _ in blocks), "a page with examples is not run"
    monkeypatch.chdir(example_project)
    namespace = {"incident_id": "2024-02-07-baghdad-drone-strike"}
    for page, block in blocks:
        exec(compile(block, page, "exec"), namespace)  # noqa: S102 - our own documentation
    assert namespace["pdf"].data.startswith(b"%PDF-")  # the last block ran, and every one before
