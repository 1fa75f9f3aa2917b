"""The JSON Schemas under schemas/ are generated from the models and must not drift."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.model.json_schema import SCHEMAS, schema_json
from tests.conftest import REPO


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_matches_the_models(name: str):
    committed = (REPO / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(name), "run: reportgen schema --write schemas"


def test_schema_command_prints_valid_json_schema():
    result = CliRunner().invoke(main, ["schema", "incident"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert set(schema["required"]) >= {"id", "title", "date", "location", "type", "actors", "sources"}
    assert schema["properties"]["marking"]["anyOf"][0]["$ref"].endswith("Marking")
    assert "TLP:AMBER+STRICT" in schema["$defs"]["Marking"]["enum"]


def test_example_files_point_editors_at_the_schemas():
    files = [*REPO.glob("incidents/**/*.yaml"), *REPO.glob("actors/*.yaml"), REPO / "reportgen.yaml"]
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target} does not exist"
