"""Shared fixtures: a generated project, the example project, and system-tool requirements."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from reportgen.layout import CONFIG_FILE, REGISTRY_FILES
from reportgen.make.tuning import collect_less
from tests.support import REPO  # noqa: F401 - re-exported for the tests
from tests.support.synthetic import write_corpus

collect_less()  # the test processes load and render as reportgen processes do

IN_CI = os.environ.get("CI") == "true"
TODAY = dt.date(2026, 11, 23)


def require_tool(name: str) -> str:
    """Path of a system tool; skip without it, but fail under CI=true (CI never passes by skipping)."""
    path = shutil.which(name)
    if path is None:
        message = f"system tool '{name}' is not installed (see README for the Debian packages)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def synthetic_project(tmp_path: Path) -> Path:
    """A small valid generated project (fake names) in a temporary folder."""
    return write_corpus(tmp_path / "project", incidents=40, actors=6, reports=2)


@pytest.fixture
def mail_project(tmp_path: Path) -> Path:
    """Smaller still, for the tests that mail: each one builds or stands in for a PDF."""
    return write_corpus(tmp_path / "project", incidents=8, actors=3, reports=2)


@pytest.fixture
def server():
    """A real SMTP server (aiosmtpd) on 127.0.0.1, stopped after the test."""
    from tests.support.mailserver import start_server  # aiosmtpd: only for the tests that mail

    running = start_server()
    yield running
    running.stop()


def copy_example(target: Path) -> Path:
    """A copy of the repository's example project at `target`."""
    target.mkdir(parents=True)
    for name in (CONFIG_FILE, *REGISTRY_FILES):
        shutil.copy2(REPO / name, target / name)
    for folder in ("incidents", "actors", "templates", "schemas"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.fixture
def example_project(tmp_path: Path) -> Path:
    """A copy of the repository's example project, safe to edit and build."""
    return copy_example(tmp_path / "example")


@pytest.fixture(scope="session")
def example_built(tmp_path_factory) -> Path:
    """A copy of the example project with escalation-brief built as Markdown and HTML, once
    per session (per test process): read it, never change it."""
    from click.testing import CliRunner

    from reportgen.cli import main

    root = copy_example(tmp_path_factory.mktemp("example-built") / "example")
    result = CliRunner().invoke(main, ["build", "escalation-brief", "--format", "md", "--format", "html",
                                       "-C", str(root)])
    assert result.exit_code == 0, result.output
    return root
