"""The public API: what `reportgen` exports is what the docs teach, and every error that can
reach a caller is a ReportgenError carrying located problems and an exit code."""

from __future__ import annotations

import ast
import builtins
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import reportgen
from reportgen.layout import OutsideBuild
from reportgen.make.lock import LockBusy
from reportgen.make.targets import UnknownTarget
from reportgen.problems import ReportgenError
from tests.support import REPO

INTERNAL_SIGNALS = {
    "Damaged": "make/state.py and write/damage.py turn it into a warning and a rebuild",
    "FetchRefused": "pdf/fetcher.py hands WeasyPrint the refusal; the PDF stage locates it",
    "RowError": "exchange/importing.py turns it into a located problem of the row",
    "NotAFile": "an OSError, said by the command line as a problem of the file",
}
"""Exceptions that never leave reportgen: each is caught where it is raised, and why."""


@pytest.mark.parametrize("name", sorted(set(reportgen.__all__) - {"__version__"}))
def test_each_public_name_is_its_homes_own(name):
    value = getattr(reportgen, name)
    home = importlib.import_module(value.__module__)
    assert getattr(home, name) is value
    from_import = {}
    exec(f"from reportgen import {name} as found", from_import)  # noqa: S102 - the import a reader writes
    assert from_import["found"] is value


def test_importing_reportgen_loads_nothing_heavy():
    script = ("import sys, reportgen; print(sorted(m for m in sys.modules if m.startswith('reportgen')"
              " or m in ('yaml', 'pydantic', 'jinja2')))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          check=True)
    assert done.stdout.strip() == "['reportgen']"


def exception_classes() -> dict[str, list[str]]:
    """Every exception class reportgen defines, not private: name -> its bases as written. A
    class is one when a base is a built-in exception or another of them."""
    classes = {}
    for path in (REPO / "reportgen").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                classes[node.name] = [ast.unparse(base).rpartition(".")[2] for base in node.bases]

    def is_exception(bases: list[str]) -> bool:
        built_in = [getattr(builtins, b, None) for b in bases]
        return (any(isinstance(b, type) and issubclass(b, BaseException) for b in built_in)
                or any(b in classes and is_exception(classes[b]) for b in bases))

    return {name: bases for name, bases in classes.items()
            if not name.startswith("_") and is_exception(bases)}


def test_every_error_that_reaches_a_caller_is_a_reportgen_error():
    classes = exception_classes()
    assert {"UnknownTarget", "LockBusy", "OutsideBuild", "ReportgenError"} <= classes.keys()
    for name, bases in classes.items():
        if name in INTERNAL_SIGNALS or name == "ReportgenError":
            continue
        assert any("ReportgenError" in b for b in bases), f"{name}({', '.join(bases)})"


@pytest.mark.parametrize(("error", "code"), [
    (UnknownTarget("no target 'x'"), 2),
    (OutsideBuild("'/etc' is not a path under build/"), 1),
    (LockBusy(Path("build/.reportgen.lock"), "pid 1"), 1),
])
def test_errors_carry_located_problems_and_an_exit_code(error, code):
    assert isinstance(error, ReportgenError) and error.exit_code == code
    assert error.problems and error.message
