"""The synthetic project built once per module; each test changes its own up-to-date copy.

Report 0 of the synthetic project selects every incident; report 1 only those in Syria (SY):
incident 1 is in Syria, incident 3 in Iraq, and no other incident links to either."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.builds import built_corpus, copy_built


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """The synthetic project, built once for the module (the tests change their own copies)."""
    return built_corpus(tmp_path_factory.mktemp("built"), incidents=40, actors=6, reports=2,
                        formats=("md", "html"))


@pytest.fixture
def built(built_once: Path, tmp_path: Path) -> Path:
    """A copy of the built project, its files' sizes and mtimes as built: up to date."""
    return copy_built(built_once, tmp_path)
