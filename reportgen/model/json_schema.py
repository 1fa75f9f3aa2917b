"""JSON Schemas for editors, generated from the models (never written by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, NoDefault

from reportgen.model import Actor, Incident, ProjectConfig, SourcesRegistry
from reportgen.model.tally import TalliesFile
from reportgen.write.atomic import write_atomic

SCHEMAS: dict[str, type[BaseModel]] = {
    "incident": Incident,
    "actor": Actor,
    "config": ProjectConfig,
    "sources": SourcesRegistry,
    "tallies": TalliesFile,
}


class EditorSchema(GenerateJsonSchema):
    """Shows the value a field gets when left out, when the models give it by factory
    (`Field(default_factory=list)`, `default_factory=lambda: ["pdf"]`), which pydantic does not
    call for a schema; a plain mutable default would be deep-copied on every record validated.
    The factories are the models' own and take nothing: calling one has no effect but its value."""

    def get_default_value(self, schema):
        factory = schema.get("default_factory")
        if callable(factory) and not schema.get("default_factory_takes_data"):
            return factory()
        return schema.get("default", NoDefault)


def schema_json(name: str) -> str:
    schema = SCHEMAS[name].model_json_schema(by_alias=True, schema_generator=EditorSchema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{name}.schema.json"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMAS:
        path = folder / f"{name}.schema.json"
        written.append(write_atomic(path, schema_json(name)))
    return written
