"""A map drawn for the class page: a schematic layout of what the text map names.

Part of the scenario model (:mod:`game.engine.scenario.model` re-exports these classes). The
layout holds positions on a grid and names copied from the text ``map``; the class page draws
it as SVG with its own code (no author markup). Each name must stand in the map's list of
places (:func:`game.engine.scenario.map_text.map_names`), so the drawing names nothing the list
does not, and a place hidden from the list before its ``known_since`` is left off the drawing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from game.engine.base.problems import Mark
from game.engine.scenario.fields import key_marks, located, meta
from game.engine.scenario.model_base import Located, Text

GridPoint = tuple[int, ...]
"""A point of the layout's grid, written ``[x, y]``."""
Side = Literal["right", "left"]

_NAME = "exactly as the map's list of places gives it (the words before any brackets)"


@dataclass(frozen=True, kw_only=True)
class MapRegion(Located):
    """A name written across an area of the drawing: a country, a province."""

    name: Text = meta(f"The area's name, {_NAME}.", example="PAKISTAN")
    x: int = meta("Where the middle of the name stands, from the left.", example=75)
    y: int = meta("Where the name stands, from the top.", example=12)
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class MapMarker(Located):
    """A place the drawing marks with a dot and names beside it."""

    name: Text = meta(f"The place's name, {_NAME}.", example="Zahedan")
    note: Text = meta(
        "Words from the brackets after the name in the map's list, written under it.",
        "",
        example="provincial capital",
    )
    x: int = meta("Where the dot stands, from the left.", example=7)
    y: int = meta("Where the dot stands, from the top.", example=10)
    side: Side = meta("Which side of the dot the name is written on.", "right")
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class MapBorder(Located):
    """A line the drawing draws dashed, such as a border, with its key under the drawing."""

    name: Text = meta(
        f"What the line is, for the key under the drawing, {_NAME}; none for a line without a key.",
        "",
        example="the Iran–Pakistan border, about 900 km long",
    )
    points: tuple[GridPoint, ...] = meta(
        "The line's points in order, each `[x, y]` (2 to 200 points).",
        example=[[31, 2], [31, 34]],
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class MapSea(Located):
    """Water: an area the drawing fills in, with its name written in it."""

    name: Text = meta(f"The sea's name, {_NAME}; none for water without a name.", "")
    x: int = meta("Where the middle of the name stands, from the left.", 0)
    y: int = meta("Where the name stands, from the top.", 0)
    points: tuple[GridPoint, ...] = meta(
        "The outline of the water, each point `[x, y]` (3 to 200 points).",
        example=[[0, 36], [68, 36], [68, 40], [0, 40]],
    )
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()


@dataclass(frozen=True, kw_only=True)
class MapLayout(Located):
    """A drawing of the text `map` for the class page, on a grid of square units (not to
    scale): x runs from 0 at the left to `width`, y from 0 at the top to `height`."""

    width: int = meta("Grid units across (10 to 1000).", example=68)
    height: int = meta("Grid units down (10 to 1000).", example=40)
    regions: tuple[MapRegion, ...] = meta("Names of areas: countries, provinces.", ())
    places: tuple[MapMarker, ...] = meta("Places marked with a dot.", ())
    borders: tuple[MapBorder, ...] = meta("Lines drawn dashed: borders.", ())
    seas: tuple[MapSea, ...] = meta("Water, filled in.", ())
    mark: Mark = located()
    marks: Mapping[str, Mark] = key_marks()
