"""How model fields are declared: each carries its documentation, and objects remember where
their values stood in the scenario file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, field
from types import MappingProxyType
from typing import Any

from game.engine.base.problems import Mark

NO_MARKS: Mapping[str, Mark] = MappingProxyType({})


def meta(doc: str, default: Any = MISSING, *, example: Any = None) -> Any:
    """A dataclass field with its documentation (and an example for the docs and schema)."""
    info = {"doc": doc, "example": example}
    if default is MISSING:
        return field(metadata=info)
    if isinstance(default, MappingProxyType):
        return field(default_factory=lambda: default, metadata=info)
    return field(default=default, metadata=info)


def located() -> Any:
    """The field that records where an object starts in its file (not read from YAML)."""
    return field(default=Mark(), compare=False, repr=False, metadata={"located": True})


def key_marks() -> Any:
    """The field that records where each key's value starts (not read from YAML)."""
    return field(
        default_factory=lambda: NO_MARKS, compare=False, repr=False, metadata={"located": True}
    )
