"""What a text map names: its title and its places, read the way a screen reader lists them.

A scenario's ``map`` is a drawing in a fixed-width font. :func:`map_names` reads it as a list:
the first words are the title; then each run of words the drawing separates by two spaces or
a rule is one item, and a bracket continued on the lines below (``(a village in ...`` /
``~45 km from the border)``) joins the item it belongs to. The lines, dots, rules and markers
are left out. The plain front end and the class page show this list; a map layout
(:mod:`game.engine.scenario.model_map`) may only name what it holds.
"""

from __future__ import annotations

import re
from dataclasses import replace

from game.engine.scenario.model_map import MapLayout

_DECOR = " .|*-=_+#>"
_RUN = re.compile(r"\S+(?: \S+)*")


def map_names(drawing: str) -> list[str]:
    """The title of a text map, then each place it names with the notes in brackets after
    it; ``[]`` for a drawing without words."""
    items: list[tuple[int, str]] = []  # (column, text)
    last_row: list[int] = []  # the items of the row above
    for row in drawing.splitlines():
        this_row: list[int] = []
        for column, text in _pieces(row):
            unclosed = [i for i, (_, t) in enumerate(items) if t.count("(") > t.count(")")]
            if unclosed and text.count(")") > text.count("("):
                target: int | None = unclosed[-1]
            elif text.startswith("(") and last_row:
                target = min(last_row, key=lambda i: abs(items[i][0] - column))
            else:
                target = None
            if target is None:
                this_row.append(len(items))
                items.append((column, text))
            else:
                items[target] = (items[target][0], f"{items[target][1]} {text}")
        last_row = this_row or last_row
    return [text for _, text in items]


def name_and_notes(item: str) -> tuple[str, str]:
    """An item of :func:`map_names` split into the name and the words in brackets after it:
    ``("Zahedan", "provincial capital")``; ``(item, "")`` when it has no brackets."""
    found = re.fullmatch(r"(.+?) \((.*)\)", item)
    if found is None:
        return item, ""
    return found[1], found[2]


def list_of(drawing: str) -> dict[str, list[str]]:
    """The places a text map names (its title left out), each with the words in brackets
    after it (one entry for each time the map names the place)."""
    found: dict[str, list[str]] = {}
    for item in map_names(drawing)[1:]:
        name, notes = name_and_notes(item)
        found.setdefault(name, []).append(notes)
    return found


def drawn_from(layout: MapLayout, drawing: str) -> MapLayout:
    """What of ``layout`` may be drawn beside the list of ``drawing`` (a text map, its labels
    of places not yet known blanked out): each region, place, line and sea whose name the list
    holds, or that has no name; a place's note only where the brackets after it hold it."""
    names = list_of(drawing)

    def noted(name: str, note: str) -> bool:
        return any(note in notes for notes in names.get(name, ()))

    return replace(
        layout,
        regions=tuple(r for r in layout.regions if r.name in names),
        places=tuple(
            replace(p, note=p.note if noted(p.name, p.note) else "")
            for p in layout.places
            if p.name in names
        ),
        borders=tuple(b for b in layout.borders if not b.name or b.name in names),
        seas=tuple(s for s in layout.seas if not s.name or s.name in names),
    )


def _pieces(row: str) -> list[tuple[int, str]]:
    """The words of a map row, split where the drawing leaves two spaces or a rule, with
    the column each starts at."""
    pieces = []
    for found in _RUN.finditer(row.replace("|", " ")):
        text = re.sub(r"^~{2,}|~{2,}$", "", found.group()).strip(_DECOR)
        if text:
            pieces.append((found.start(), text))
    return pieces
