"""Checks of the map layout (:class:`~game.engine.scenario.model_map.MapLayout`): a grid of a
drawable size, every position on it, lines and seas of a bounded number of points, and every
name copied from the text map's list of places, so that the drawing names nothing the list
(what a screen reader reads) does not. The layout comes from a file: each problem names its
line and the fix, and the class page draws only a layout that passed."""

from __future__ import annotations

from collections.abc import Sequence

from game.engine.base.problems import did_you_mean
from game.engine.checks.context import Context
from game.engine.scenario.map_text import list_of
from game.engine.scenario.model import Located
from game.engine.scenario.model_map import GridPoint, MapLayout

MIN_GRID, MAX_GRID = 10, 1000
"""Grid units across and down: enough for any sketch, few enough to draw at once."""
MAX_TALL = 4
"""How many times taller than wide a grid may be (the drawing is as wide as a phone)."""
MAX_ITEMS = 100
"""Most regions, places, borders or seas in one layout (the flagship has 13 names)."""
MAX_POINTS = 200
"""Most points of one border or sea."""
MAX_WORDS = 200
"""Longest name or note, in characters: a drawing shows no more usefully (the flagship's
longest is 53)."""


class MapChecks:
    """The map layout's grid, positions, sizes and names."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def check_map_layout(self) -> None:
        layout = self.ctx.scenario.map_layout
        if layout is None:
            return
        if not list_of(self.ctx.scenario.map):
            self.ctx.error(
                self.ctx.scenario,
                "map_layout",
                "the map layout draws the places of the text `map`, but the scenario's `map` "
                "names none",
                "write the text `map` first; the layout places what its list names",
            )
            return
        if not self._grid(layout) or not self._sizes(layout):
            return
        for region in layout.regions:
            self._position(layout, region, region.x, region.y)
        for place in layout.places:
            self._position(layout, place, place.x, place.y)
        for border in layout.borders:
            self._points(layout, border, border.points, 2)
        for sea in layout.seas:
            self._points(layout, sea, sea.points, 3)
            if sea.name:
                self._position(layout, sea, sea.x, sea.y)
        self._names(layout)

    def _grid(self, layout: MapLayout) -> bool:
        fine = True
        for key, value in (("width", layout.width), ("height", layout.height)):
            if not MIN_GRID <= value <= MAX_GRID:
                self.ctx.error(
                    layout,
                    key,
                    f"the map layout's {key} is {value}; it must be {MIN_GRID} to {MAX_GRID} "
                    "grid units",
                    "count the grid units of the sketch: one a character across, for instance",
                )
                fine = False
        if fine and layout.height > MAX_TALL * layout.width:
            self.ctx.error(
                layout,
                "height",
                f"the map layout is {layout.height} units tall and {layout.width} wide; a "
                f"drawing at most {MAX_TALL} times as tall as it is wide fits a page",
                "give fewer units a row, or more a column",
            )
            fine = False
        return fine

    def _sizes(self, layout: MapLayout) -> bool:
        fine = True
        for key in ("regions", "places", "borders", "seas"):
            count = len(getattr(layout, key))
            if count > MAX_ITEMS:
                self.ctx.error(
                    layout,
                    key,
                    f"the map layout has {count:,} {key}; at most {MAX_ITEMS} can be drawn",
                    "draw only what the map's list names",
                )
                fine = False
        return fine

    def _position(self, layout: MapLayout, item: Located, x: int, y: int) -> None:
        for key, value, most in (("x", x, layout.width), ("y", y, layout.height)):
            if not 0 <= value <= most:
                self.ctx.error(
                    item,
                    key,
                    f"{key} is {value}, off the map layout's grid: 0 to {most}",
                    f"give a {key} from 0 to {most}, or make the grid "
                    f"{'wider' if key == 'x' else 'taller'}",
                )

    def _points(
        self, layout: MapLayout, item: Located, points: Sequence[GridPoint], least: int
    ) -> None:
        kind = "a line" if least == 2 else "a sea's outline"
        if not least <= len(points) <= MAX_POINTS:
            self.ctx.error(
                item,
                "points",
                f"{kind} has {len(points):,} point{'' if len(points) == 1 else 's'}; it needs "
                f"{least} to {MAX_POINTS}",
                "give each corner once, as [x, y]; a rough outline is enough, the map is not "
                "to scale",
            )
            return
        for number, point in enumerate(points, 1):
            if len(point) != 2:
                problem = f"point {number} of {kind} has {len(point)} numbers, not 2"
            elif not (0 <= point[0] <= layout.width and 0 <= point[1] <= layout.height):
                problem = (
                    f"point {number} of {kind}, [{point[0]}, {point[1]}], is off the map "
                    f"layout's grid (x 0 to {layout.width}, y 0 to {layout.height})"
                )
            else:
                continue
            self.ctx.error(item, "points", problem, "write each point as [x, y] on the grid")
            return  # one error a line: a broken list of thousands says it once

    def _names(self, layout: MapLayout) -> None:
        listed = list_of(self.ctx.scenario.map)
        named: set[str] = set()
        drawn: list[tuple[Located, str, str]] = [
            *((r, "region", r.name) for r in layout.regions),
            *((p, "place", p.name) for p in layout.places),
            *((b, "border", b.name) for b in layout.borders if b.name),
            *((s, "sea", s.name) for s in layout.seas if s.name),
        ]
        written = [(p, "note", p.note) for p in layout.places]
        for item, key, text in [*((i, "name", n) for i, _, n in drawn), *written]:
            if len(text) > MAX_WORDS:
                self.ctx.error(
                    item,
                    key,
                    f"the {key} '{text[:40]}...' has {len(text):,} characters; at most "
                    f"{MAX_WORDS} fit on the drawing",
                    "shorten it on the map and in the layout, or leave it to the list",
                )
        for item, kind, name in drawn:
            named.add(name)
            if name not in listed:
                self.ctx.error(
                    item,
                    "name",
                    f"the {kind} '{name}' is not on the map's list of places, so the drawing "
                    "would name what a screen reader's list does not",
                    "copy the name exactly as the list gives it, the words before any "
                    f"brackets; {did_you_mean(name, listed)}",
                )
        for place in layout.places:
            notes = listed.get(place.name, [])
            if place.note and notes and not any(place.note in n for n in notes):
                self.ctx.error(
                    place,
                    "note",
                    f"the note of '{place.name}' is not in the brackets after it on the map's "
                    f"list: {'; '.join(repr(n) for n in notes if n) or 'it has none'}",
                    "copy words from those brackets, or leave the note out",
                )
        for name in listed:
            if name not in named:
                self.ctx.warning(
                    layout,
                    None,
                    f"the map layout does not draw '{name}', which the map's list names",
                    "add it under regions, places, borders or seas, so that the drawing and "
                    "the list show the same places",
                )
