"""The JSON Schema of the scenario format, derived from the model classes.

Editors with a YAML language server use it for completion and checking; ``flashpoint schema``
prints it. The loader stays the authority: it also checks references, history and sources.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from dataclasses import MISSING, fields, is_dataclass
from typing import Annotated, Any, Literal

from game.engine import model
from game.engine.decode import model_fields, unwrap_optional

SCHEMA_ID = "https://flashpoint.invalid/schema/scenario-v1.json"


def _docs(cls: type) -> dict[str, str]:
    return {f.name: f.metadata.get("doc", "") for f in fields(cls)}


def _examples(cls: type) -> dict[str, Any]:
    return {f.name: f.metadata.get("example") for f in fields(cls)}


def type_schema(kind: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema of one field type; dataclasses go into ``definitions``."""
    kind, optional = unwrap_optional(kind)
    schema = _plain_schema(kind, definitions)
    if optional:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _plain_schema(kind: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(kind)
    if origin is Annotated:
        tag = typing.get_args(kind)[1]
        if tag == "id":
            return {"type": "string", "pattern": model.ID_PATTERN}
        return {"type": "string", "minLength": 0 if tag == "expression" else 1}
    if origin is Literal:
        return {"type": "string", "enum": list(typing.get_args(kind))}
    if origin is tuple:
        return {"type": "array", "items": type_schema(typing.get_args(kind)[0], definitions)}
    if origin in (Mapping, dict):
        return {"type": "object", "propertyNames": {"pattern": model.ID_PATTERN},
                "additionalProperties": type_schema(typing.get_args(kind)[1], definitions)}
    if is_dataclass(kind):
        name = kind.__name__
        if name not in definitions:
            definitions[name] = {}
            definitions[name] = class_schema(kind, definitions)
        return {"$ref": f"#/$defs/{name}"}
    if kind is int:
        return {"type": "integer"}
    if kind is dt.date:
        return {"type": "string", "format": "date"}
    return {"type": "string"}


def class_schema(cls: type, definitions: dict[str, Any]) -> dict[str, Any]:
    """The schema of one model class."""
    docs, examples = _docs(cls), _examples(cls)
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, kind, default in model_fields(cls):
        prop = type_schema(kind, definitions)
        prop["description"] = docs[name]
        if examples[name] is not None:
            prop["examples"] = [examples[name]]
        properties[name] = prop
        if default is MISSING:
            required.append(name)
    return {"type": "object", "description": (cls.__doc__ or "").strip(),
            "properties": properties, "required": required, "additionalProperties": False}


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a version-1 scenario file."""
    definitions: dict[str, Any] = {}
    root = class_schema(model.Scenario, definitions)
    root["properties"]["format"]["const"] = model.FORMAT_VERSION
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Flashpoint scenario, format 1", **root, "$defs": definitions}
