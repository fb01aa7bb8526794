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

from game.engine.base.ids import ID_PATTERN
from game.engine.scenario import model
from game.engine.scenario.decode import model_fields, unwrap_optional

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
            return {"type": "string", "pattern": ID_PATTERN}
        if tag == "time":
            return {"type": "string", "pattern": r"^(?:[01]\d|2[0-3]):[0-5]\d$"}
        return {"type": "string", "minLength": 0 if tag == "expression" else 1}
    if origin is Literal:
        return {"type": "string", "enum": list(typing.get_args(kind))}
    if origin is tuple:
        return {"type": "array", "items": type_schema(typing.get_args(kind)[0], definitions)}
    if origin in (Mapping, dict):
        return {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": type_schema(typing.get_args(kind)[1], definitions),
        }
    if isinstance(kind, type) and is_dataclass(kind):
        name = kind.__name__
        if name not in definitions:
            definitions[name] = {}
            definitions[name] = class_schema(kind, definitions)
        return {"$ref": f"#/$defs/{name}"}
    if kind is int:
        return {"type": "integer"}
    if kind is dt.date:
        return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
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
    return {
        "type": "object",
        "description": (cls.__doc__ or "").strip(),
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a version-1 scenario file."""
    definitions: dict[str, Any] = {}
    root = class_schema(model.Scenario, definitions)
    root["properties"]["format"]["const"] = model.FORMAT_VERSION
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Flashpoint scenario, format 1",
        **root,
        "$defs": definitions,
    }


def _type_name(kind: Any) -> str:
    kind, optional = unwrap_optional(kind)
    origin = typing.get_origin(kind)
    if origin is Annotated:
        name = {
            "id": "id",
            "text": "text",
            "expression": "condition",
            "file": "file path",
            "time": "time (HH:MM)",
        }[typing.get_args(kind)[1]]
    elif origin is Literal:
        name = " \\| ".join(f"`{v}`" for v in typing.get_args(kind))
    elif origin is tuple:
        name = f"list of {_type_name(typing.get_args(kind)[0])}"
    elif origin in (Mapping, dict):
        value = typing.get_args(kind)[1]
        if value is int:
            name = "mapping of indicator id to whole number"
        else:  # a head-to-head mapping: seat to its text or its point's or choice's id
            name = f"mapping of seat to {_type_name(value)}"
    elif isinstance(kind, type) and is_dataclass(kind):
        name = f"[{kind.__name__}](#{kind.__name__.lower()})"
    else:
        name = {int: "whole number", dt.date: "date (YYYY-MM-DD)"}.get(kind, "text")
    return f"{name} or null" if optional else name


def _model_classes() -> list[type]:
    found: list[type] = []
    pending: list[type] = [model.Scenario]
    while pending:
        cls = pending.pop(0)
        if cls in found:
            continue
        found.append(cls)
        for _, kind, _ in model_fields(cls):
            for inner in (unwrap_optional(kind)[0], *typing.get_args(unwrap_optional(kind)[0])):
                if isinstance(inner, type) and is_dataclass(inner):
                    pending.append(inner)
    return found


def field_reference() -> str:
    """A Markdown table of every field of every model class, for docs/scenario-format.md."""
    sections = []
    for cls in _model_classes():
        docs = _docs(cls)
        rows = ["| key | type | required | meaning |", "|---|---|---|---|"]
        for name, kind, default in model_fields(cls):
            required = "yes" if default is MISSING else f"no (default `{_default(default)}`)"
            meaning = docs[name].replace("|", "\\|")
            rows.append(f"| `{name}` | {_type_name(kind)} | {required} | {meaning} |")
        doc = (cls.__doc__ or "").strip()
        sections.append(f"### {cls.__name__}\n\n{doc}\n\n" + "\n".join(rows))
    return "\n\n".join(sections) + "\n"


def _default(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, tuple | Mapping) and not value:
        return "[]" if isinstance(value, tuple) else "{}"
    return '""' if value == "" else str(value)
