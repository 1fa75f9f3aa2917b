"""requirements.lock, which `make` and `make test` install from, agrees with pyproject.toml: every
direct dependency (and test extra) is pinned to one exact version its range allows. Editing
pyproject.toml without `make lock` fails here, not on a newcomer's machine."""

from __future__ import annotations

import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import REPO


def pins() -> dict[str, str]:
    found = {}
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, rest = line.partition("==")
            found[canonicalize_name(name.strip())] = rest.split(";")[0].strip()
    return found


def test_every_dependency_is_pinned_within_its_range():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(text) for text in
              [*project["dependencies"], *project["optional-dependencies"]["test"]]]
    locked = pins()
    for requirement in wanted:
        version = locked.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock pins {requirement.name}=={version}, outside {requirement.specifier}")
    assert all("==" not in v and v for v in locked.values())
