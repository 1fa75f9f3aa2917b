"""The README cannot drift: the tour's sample output is what the command prints on this
repository, its Python examples run, and the apt line is the one CI runs.

Each sample is marked `<!-- output of: reportgen ARGS ... -->` and is the indented block that
follows. After an intended change, `UPDATE_README=1 .venv/bin/pytest tests/end_to_end/test_readme.py`
writes the real output in; review the diff."""

from __future__ import annotations

import os
import re
import shlex
import textwrap

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from tests.conftest import REPO

PYTHON_EXAMPLE = re.compile(r"\n\n((?:    (?:from|import) reportgen.*\n)(?:    .*\n|\n(?=    ))+)")

README = REPO / "README.md"
MARKER = re.compile(r"^(?P<indent> *)<!-- output of: reportgen (?P<args>[^(]+?) (?:\(.*\) )?-->\n\n"
                    r"(?P<block>(?:(?P=indent)    .*\n)+)", re.M)


def test_every_sample_output_is_what_the_command_prints():
    text = README.read_text(encoding="utf-8")
    samples = list(MARKER.finditer(text))
    assert samples, "no `<!-- output of: ... -->` sample found in the README"
    for sample in reversed(samples):
        result = CliRunner().invoke(main, [*shlex.split(sample["args"]), "-C", str(REPO)])
        prefix = sample["indent"] + "    "
        printed = "".join(f"{prefix}{line}\n" for line in result.output.splitlines())
        if os.environ.get("UPDATE_README") == "1":
            text = text[:sample.start("block")] + printed + text[sample.end("block"):]
            continue
        assert sample["block"] == printed, f"README's sample of `reportgen {sample['args']}` is stale"
    if os.environ.get("UPDATE_README") == "1":
        README.write_text(text, encoding="utf-8")


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


@pytest.mark.slow
def test_every_python_example_runs_on_the_example_project(example_project, monkeypatch):
    """Each indented block that starts by importing reportgen, run in order in one namespace
    (a later block uses what an earlier one made), in a copy of the example project."""
    blocks = [textwrap.dedent(block) for block in PYTHON_EXAMPLE.findall(README.read_text())]
    assert len(blocks) >= 3
    monkeypatch.chdir(example_project)
    namespace = {"incident_id": "2024-02-07-baghdad-drone-strike"}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert namespace["pdf"].data.startswith(b"%PDF-")  # the last block ran, and every one before
