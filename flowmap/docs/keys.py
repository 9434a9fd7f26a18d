"""The keys of a section, read from the JSON Schema the models publish.

Reading the schema rather than the Python annotations means the reference
describes exactly what editors and the loader accept: aliases (`from`),
patterns, defaults and vocabularies included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flowmap.model import entities as model

Schema = dict[str, Any]

#: what a string with one of the models' patterns is called in the reference
PATTERNS = {model.ID_PATTERN: "id", model.CATEGORY_PATTERN: "category",
            model.COUNTRY_PATTERN: "country", model.CODE_PATTERN: "finding code"}


@dataclass(frozen=True)
class Key:
    path: str         # flows.review.code: how notes.MEANINGS names it
    label: str        # review.code: as the reference's table shows it
    value: str        # what it takes
    presence: str     # required, optional, or its default
    description: str  # the model's own words, if any
    #: an empty list is the default (not a value that says "none", as a scope's can)
    empty_by_default: bool = False
    #: the default, as the schema gives it (None when there is none)
    default: Any = None


def keys_of(section: str, schema: Schema, root: Schema) -> list[Key]:
    """The keys of a section: an item's keys for a list of items or a block, else the
    section itself as one key."""
    model_schema = _model(schema, root)
    if model_schema is None:
        return [Key(section, section, value(schema, root), "optional",
                    schema.get("description", ""))]
    return _keys(section, "", model_schema, root)


def _keys(path: str, prefix: str, schema: Schema, root: Schema) -> list[Key]:
    required = set(schema.get("required", ()))
    found = []
    for name, prop in schema.get("properties", {}).items():
        found.append(Key(f"{path}.{name}", prefix + name, value(prop, root),
                         "required" if name in required else _default(prop),
                         prop.get("description", ""), prop.get("default") == [],
                         prop.get("default")))
        inner = _model(prop, root)
        if inner is not None:
            found += _keys(f"{path}.{name}", f"{prefix}{name}.", inner, root)
    return found


def _model(schema: Schema, root: Schema) -> Schema | None:
    """The object schema a key holds, directly, in a list or optionally."""
    if "$ref" in schema:
        resolved: Schema = root["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
        return resolved
    for inner in (*schema.get("anyOf", ()), schema.get("items")):
        if isinstance(inner, dict):
            found = _model(inner, root)
            if found is not None:
                return found
    return None


def value(schema: Schema, root: Schema) -> str:
    """What a key takes, in words."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    if len(options) > 1:
        return " or ".join(value(s, root) for s in options)
    schema = options[0] if options else schema
    if "$ref" in schema:
        return "a mapping (its keys follow)"
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        least = schema.get("minItems")
        more = f" (at least {least})" if least else ""
        items = value(schema.get("items", {}), root)
        return f"list of {'mappings' if items.startswith('a mapping') else items}{more}"
    if kind == "string":
        return _string(schema)
    return {"boolean": "true/false", "integer": "whole number", "number": "number",
            "object": "a mapping"}.get(kind or "", "any value")


def _string(schema: Schema) -> str:
    if schema.get("format") == "date":
        return "date"
    if schema.get("format") == "uri":
        return "URL"
    return PATTERNS.get(schema.get("pattern", ""), "text")


def _default(schema: Schema) -> str:
    if "default" not in schema:
        return "optional"
    default = schema["default"]
    if default is None or default == [] or isinstance(default, dict):
        return "optional"
    return f"default `{json.dumps(default)}`"
