"""The JSON Schema of a map file, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from flowmap.model.entities import MapFile


def map_schema() -> dict[str, Any]:
    schema = MapFile.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_json() -> str:
    return json.dumps(map_schema(), indent=2, sort_keys=True)
