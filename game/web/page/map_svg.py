"""The class page's map drawn as SVG from the scenario's map layout, by this code alone.

The layout (:class:`~game.engine.scenario.model_map.MapLayout`) holds grid positions and names
copied from the text map, already cut to what the student may see
(:func:`~game.engine.scenario.known.layout_known_at`). This module turns it into shapes and
lines of words in the SVG's own units; the template ``map_svg.html`` writes them out with
Jinja2's escaping, so no author text is ever read as markup. The drawing is
``VIEW_WIDTH`` units wide and shown at most that many CSS pixels wide: on a 360-pixel phone
its names are still about 13 pixels, its notes 12. Long names wrap to the room beside them.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from game.engine.scenario.model_map import GridPoint, MapLayout

VIEW_WIDTH = 480
MARGIN = 12
NAME_SIZE, NOTE_SIZE = 20, 18
LEADING = 1.2
GLYPH = 0.5
"""The average width of a character, in ems, of the page's sans-serif fonts (for wrapping)."""
CAPITALS = 0.72
"""The same for a region's name, written in capitals and spaced out."""
DOT_GAP = 10
KEY_LINE = 32
"""How long the sample of a line is in the key under the drawing."""


@dataclass(frozen=True)
class Words:
    """Lines of text at one spot: ``x``, the first baseline ``y``, anchored start or middle
    or end; ``kind`` names its class in page.css."""

    x: float
    y: float
    anchor: str
    kind: str
    lines: tuple[str, ...]
    size: int

    @property
    def rows(self) -> tuple[tuple[str, float], ...]:
        """Each line with its baseline."""
        return tuple((line, self.y + i * self.size * LEADING) for i, line in enumerate(self.lines))

    @property
    def bottom(self) -> float:
        return self.y + (len(self.lines) - 1) * self.size * LEADING + self.size * 0.3


@dataclass(frozen=True)
class Drawing:
    """What the template draws, in the SVG's units."""

    width: int
    height: int
    seas: tuple[str, ...]
    borders: tuple[str, ...]
    dots: tuple[tuple[float, float], ...]
    words: tuple[Words, ...]
    key: tuple[tuple[float, Words], ...]
    """Each line of the key: the height of its sample line and its words."""
    places: tuple[str, ...]
    """The names the drawing shows, in the order of the layout, for its description."""
    key_from: int = MARGIN
    key_to: int = MARGIN + KEY_LINE


def drawing(layout: MapLayout) -> Drawing:
    """``layout`` as shapes and words, scaled to ``VIEW_WIDTH``."""
    scale = (VIEW_WIDTH - 2 * MARGIN) / layout.width

    def at(x: float, y: float) -> tuple[float, float]:
        return MARGIN + x * scale, MARGIN + y * scale

    def points(found: tuple[GridPoint, ...]) -> str:
        return " ".join("{:.1f},{:.1f}".format(*at(p[0], p[1])) for p in found)

    words: list[Words] = []
    dots: list[tuple[float, float]] = []
    for region in layout.regions:
        words.append(_centred(*at(region.x, region.y), region.name, "map-region", CAPITALS))
    for sea in layout.seas:
        if sea.name:
            words.append(_centred(*at(sea.x, sea.y), sea.name, "map-sea-name", GLYPH))
    for place in layout.places:
        x, y = at(place.x, place.y)
        dots.append((round(x, 1), round(y, 1)))
        words.extend(_beside(x, y, place.name, place.note, place.side))
    bottom = max([MARGIN + layout.height * scale, *(w.bottom for w in words)])
    key: list[tuple[float, Words]] = []
    for border in layout.borders:
        if border.name:
            room = _chars(VIEW_WIDTH - 2 * MARGIN - KEY_LINE - DOT_GAP, NOTE_SIZE, GLYPH)
            first = bottom + NOTE_SIZE * 1.6
            lines = tuple(textwrap.wrap(border.name, room)) or (border.name,)
            found = Words(MARGIN + KEY_LINE + DOT_GAP, first, "start", "map-key", lines, NOTE_SIZE)
            key.append((round(first - NOTE_SIZE * 0.35, 1), found))
            bottom = found.bottom
    return Drawing(
        width=VIEW_WIDTH,
        height=round(bottom + MARGIN),
        seas=tuple(points(sea.points) for sea in layout.seas),
        borders=tuple(points(border.points) for border in layout.borders),
        dots=tuple(dots),
        words=tuple(words),
        key=tuple(key),
        places=tuple(
            [r.name for r in layout.regions]
            + [p.name for p in layout.places]
            + [s.name for s in layout.seas if s.name]
        ),
    )


def _chars(room: float, size: int, glyph: float) -> int:
    """How many characters fit in ``room`` units at ``size`` (never fewer than 8)."""
    return max(8, int(room / (size * glyph)))


def _centred(x: float, y: float, text: str, kind: str, glyph: float) -> Words:
    """A name written with its middle at ``x``, its lines around ``y``."""
    room = 2 * min(x - MARGIN, VIEW_WIDTH - MARGIN - x)
    lines = tuple(textwrap.wrap(text, _chars(room, NAME_SIZE, glyph))) or (text,)
    first = y + NAME_SIZE * 0.35 - (len(lines) - 1) * NAME_SIZE * LEADING / 2
    return Words(round(x, 1), round(first, 1), "middle", kind, lines, NAME_SIZE)


def _beside(x: float, y: float, name: str, note: str, side: str) -> list[Words]:
    """A place's name beside its dot, level with it, and its note under the name."""
    right = side == "right"
    tx = x + DOT_GAP if right else x - DOT_GAP
    room = (VIEW_WIDTH - MARGIN - tx) if right else (tx - MARGIN)
    anchor = "start" if right else "end"
    lines = tuple(textwrap.wrap(name, _chars(room, NAME_SIZE, GLYPH))) or (name,)
    found = [
        Words(round(tx, 1), round(y + NAME_SIZE * 0.35, 1), anchor, "map-name", lines, NAME_SIZE)
    ]
    if note:
        below = found[0].bottom + NOTE_SIZE
        notes = tuple(textwrap.wrap(note, _chars(room, NOTE_SIZE, GLYPH))) or (note,)
        found.append(Words(round(tx, 1), round(below, 1), anchor, "map-note", notes, NOTE_SIZE))
    return found
