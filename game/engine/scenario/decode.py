"""Turns the YAML node tree into model objects, collecting every problem on the way.

The model classes say what each key must hold; this module reads those declarations, so a new
field needs no new reading code. Strings are never resolved to anything but strings.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Hashable, Mapping
from dataclasses import MISSING, fields, is_dataclass
from functools import cache
from types import MappingProxyType
from typing import Annotated, Any, Literal, TypeVar, cast

from game.engine.base.ids import ID_PATTERN
from game.engine.base.problems import Problems, did_you_mean
from game.engine.scenario import model
from game.engine.scenario.safeyaml import Mapping as MapNode
from game.engine.scenario.safeyaml import Node, Scalar, Sequence, describe

T = TypeVar("T")
_ID = re.compile(ID_PATTERN.strip("^$"))  # used with fullmatch: "$" allows a "\n"
_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
MAX_NUMBER_CHARACTERS = 12
"""Longer numbers are refused before conversion: no scenario needs more than a billion."""


class _Invalid(Exception):
    """Raised inside the reader when a value cannot be used; already recorded."""


@cache
def model_fields(cls: type) -> tuple[tuple[str, Any, Any], ...]:
    """``(name, type, default)`` for each field of a model class that the format holds."""
    hints = typing.get_type_hints(cls, include_extras=True)
    result = []
    for item in fields(cls):
        if item.metadata.get("located"):
            continue
        default = item.default
        if item.default_factory is not MISSING:
            default = item.default_factory()
        result.append((item.name, hints[item.name], default))
    return tuple(result)


def unwrap_optional(kind: Any) -> tuple[Any, bool]:
    """``(inner type, True)`` for ``X | None``; ``(kind, False)`` otherwise."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        inner = [a for a in typing.get_args(kind) if a is not type(None)]
        return inner[0], True
    return kind, False


class NodeReader:
    """Reads nodes into values of model types, recording problems against one file."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def fail(self, node: Node, message: str, hint: str = "") -> typing.NoReturn:
        self.problems.error(node.mark, message, hint)
        raise _Invalid

    def read(self, kind: Any, node: Node) -> Any:
        """The value of type ``kind`` in ``node``; raises ``_Invalid`` after recording why."""
        kind, optional = unwrap_optional(kind)
        if optional and isinstance(node, Scalar) and node.kind == "null":
            return None
        origin = typing.get_origin(kind)
        if origin is Annotated:
            _, tag = typing.get_args(kind)
            return self.text(node, tag)
        if origin is Literal:
            return self.choice(node, typing.get_args(kind))
        if origin is tuple:
            return self.sequence(typing.get_args(kind)[0], node)
        if origin in (Mapping, dict):
            return self.mapping(typing.get_args(kind)[1], node)
        if isinstance(kind, type) and is_dataclass(kind):
            return self.record(kind, node)
        readers = {str: lambda n: self.text(n, "text"), int: self.integer, dt.date: self.date}
        return readers[kind](node)

    def scalar(self, node: Node, wanted: str) -> Scalar:
        if isinstance(node, MapNode) and len(node.entries) == 1:
            self.fail(
                node,
                f"expected {wanted}, found a mapping",
                "the text holds ': ', which YAML reads as 'key: value'; put the whole "
                "text in quotes or use '>-' and write it on the next lines",
            )
        if not isinstance(node, Scalar):
            self.fail(node, f"expected {wanted}, found {describe(node)}")
        return node

    def text(self, node: Node, tag: str) -> str:
        scalar = self.scalar(node, "an id" if tag == "id" else "text")
        if scalar.kind != "str":
            self.fail(
                node,
                f"'{scalar.text}' is read as {describe(scalar)}, not text",
                f'put it in quotes: "{scalar.text}"',
            )
        value = scalar.text
        if tag == "id" and not _ID.fullmatch(value):
            suggestion = re.sub(r"[^a-z0-9_]+", "_", value.lower()).strip("_")[:48]
            if not suggestion or not suggestion[0].isalpha():
                suggestion = "x_" + suggestion
            self.fail(
                node,
                f"'{value}' is not a valid id",
                f"use lowercase letters, digits and '_', starting with a letter, "
                f"e.g. '{suggestion}'",
            )
        if tag == "time" and not _TIME.fullmatch(value):
            self.fail(
                node,
                f"'{value}' is not a time of day",
                'write it as HH:MM on the 24-hour clock, in quotes: "22:00"',
            )
        if tag != "expression" and not value.strip():
            self.fail(node, "this text is empty", "write something or leave the key out")
        return value

    def integer(self, node: Node) -> int:
        scalar = self.scalar(node, "a whole number")
        if scalar.kind != "int":
            hint = "write digits only, such as 10 or -5"
            if scalar.text.lower().lstrip("+-") in (".nan", ".inf"):
                hint = "NaN and infinity are not allowed; " + hint
            self.fail(node, f"expected a whole number, found '{scalar.text}'", hint)
        if len(scalar.text) > MAX_NUMBER_CHARACTERS:
            self.fail(
                node,
                f"the number '{scalar.text[:20]}...' is too long",
                f"numbers have at most {MAX_NUMBER_CHARACTERS} characters",
            )
        try:
            return int(scalar.text.replace("_", ""), 0)
        except ValueError:
            self.fail(node, f"'{scalar.text}' is not a whole number", "write digits only")

    def date(self, node: Node) -> dt.date:
        scalar = self.scalar(node, "a date")
        try:
            return dt.date.fromisoformat(scalar.text)
        except ValueError:
            impossible = _impossible_day(scalar.text)
            if impossible:
                self.fail(node, f"{scalar.text} is not a day of the calendar", impossible)
            self.fail(node, f"'{scalar.text}' is not a date", "write it as YYYY-MM-DD")

    def choice(self, node: Node, options: tuple[str, ...]) -> str:
        value = self.text(node, "text")
        if value not in options:
            self.fail(node, f"'{value}' is not allowed here", did_you_mean(value, options))
        return value

    def sequence(self, item_kind: Any, node: Node) -> tuple[Any, ...]:
        if not isinstance(node, Sequence):
            self.fail(
                node,
                f"expected a list, found {describe(node)}",
                "start each item on its own line with '- '",
            )
        items = []
        failed = False
        for child in node.items:
            try:
                items.append(self.read(item_kind, child))
            except _Invalid:
                failed = True
        if failed:
            raise _Invalid
        return tuple(items)

    def mapping(self, value_kind: Any, node: Node) -> Mapping[str, Any]:
        if not isinstance(node, MapNode):
            self.fail(node, f"expected a mapping of names to values, found {describe(node)}")
        result: dict[str, Any] = {}
        failed = False
        for key, (key_node, child) in node.entries.items():
            try:
                self.text(key_node, "id")
                result[key] = self.read(value_kind, child)
            except _Invalid:
                failed = True
        if failed:
            raise _Invalid
        return MappingProxyType(result)

    def record(self, cls: type[T], node: Node) -> T:
        name = cls.__name__
        if not isinstance(node, MapNode):
            self.fail(node, f"expected a mapping ({name}), found {describe(node)}")
        known = {n: (k, d) for n, k, d in model_fields(cast(Hashable, cls))}
        values: dict[str, Any] = {}
        failed = False
        for key, (key_node, child) in node.entries.items():
            if key not in known:
                self.problems.error(
                    key_node.mark, f"unknown key '{key}' in {name}", did_you_mean(key, known)
                )
                failed = True
                continue
            try:
                values[key] = self.read(known[key][0], child)
            except _Invalid:
                failed = True
        for key, (_, default) in known.items():
            if default is MISSING and key not in node.entries:
                self.problems.error(
                    node.mark, f"{name} is missing '{key}'", f"add '{key}:' to this mapping"
                )
                failed = True
        if failed:
            raise _Invalid
        marks = {key: child.mark for key, (_, child) in node.entries.items()}
        for key, (_, child) in node.entries.items():  # a mapping's own keys, as 'KEY.NAME'
            if isinstance(child, MapNode):
                marks.update(
                    (f"{key}.{k}", k_node.mark) for k, (k_node, _) in child.entries.items()
                )
        made: T = cls(**values, mark=node.mark, marks=MappingProxyType(marks))  # type: ignore[call-arg]
        return made


def read_as(cls: type[T], node: Node, problems: Problems) -> T | None:
    """``node`` read as model class ``cls``, or ``None`` with every problem recorded."""
    try:
        return NodeReader(problems).record(cls, node)
    except _Invalid:
        return None


def read_scenario(node: Node, problems: Problems) -> model.Scenario | None:
    """The scenario in ``node``, or ``None`` with every problem recorded."""
    if isinstance(node, MapNode) and "format" in node.entries:
        version_node = node.entries["format"][1]
        if isinstance(version_node, Scalar) and version_node.text != str(model.FORMAT_VERSION):
            problems.error(
                version_node.mark,
                f"format version {version_node.text} is not supported",
                f"this Flashpoint reads format {model.FORMAT_VERSION}",
            )
            return None
    return read_as(model.Scenario, node, problems)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _impossible_day(text: str) -> str:
    """Why a date written as YYYY-MM-DD does not exist (a 30 February, a 13th month), or ''."""
    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not found:
        return ""
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        return f"there is no month {month}; months run from 01 to 12"
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = 29 if month == 2 and leap else _DAYS[month - 1]
    if not 1 <= day <= days:
        return f"{_MONTHS[month - 1]} {year} has {days} days"
    return ""
