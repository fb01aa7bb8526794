"""How much a scenario may hold: far above any real crisis, low enough that the largest
accepted scenario validates in a few seconds (docs/performance.md) and that every screen of it
draws at once.

A choice's label is a line on a button; the events that fire on arrival at one point are read
on one screen. Beyond :data:`MAX_LABEL` characters or :data:`MAX_EVENTS_AT` events no screen
shows them usefully (a 1 MB label took 28 s to draw, 10,000 events at one point 10 s), so the
validator refuses them, at the line where the excess is, before anything is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from game.engine.scenario.model import Located, Scenario

LIMITS = {
    "points": 5000,
    "events": 20000,
    "endings": 500,
    "sources": 500,
    "notes": 500,
    "contested": 500,
    "roles": 20,
    "indicators": 50,
    "ladder": 50,
}
"""The most of each kind a scenario may hold."""
MAX_LABEL = 400
"""Longest choice label (and each of its variants), in characters: the flagship's longest is
under 160."""
MAX_EVENTS_AT = 100
"""Most events that may fire on arrival at one point or ending: the flagship's most is 5."""


class Excess(NamedTuple):
    """One limit passed: where (an item and its key), what, and how to fix it."""

    item: Located
    key: str | None
    message: str
    fix: str


def excesses(scenario: Scenario) -> Iterator[Excess]:
    """Every limit ``scenario`` passes."""
    for name, limit in LIMITS.items():
        count = len(getattr(scenario, name))
        if count > limit:
            yield Excess(
                scenario,
                name,
                f"the scenario has {count:,} {name}; at most {limit:,} are allowed",
                "split it into several scenarios",
            )
    for point in scenario.points:
        for choice in point.choices:
            for item, text in ((choice, choice.label), *((v, v.text) for v in choice.variants)):
                if len(text) > MAX_LABEL:
                    yield Excess(
                        item,
                        "label" if item is choice else "text",
                        f"the label of choice '{choice.id}' at '{point.id}' has {len(text):,} "
                        f"characters; at most {MAX_LABEL} fit on its button",
                        "shorten it; what follows from it belongs in 'consequence'",
                    )
    arriving: dict[str, int] = {}
    for event in scenario.events:
        if event.at is None:
            continue
        arriving[event.at] = arriving.get(event.at, 0) + 1
        if arriving[event.at] == MAX_EVENTS_AT + 1:
            total = sum(1 for e in scenario.events if e.at == event.at)
            yield Excess(
                event,
                "at",
                f"{total:,} events fire at '{event.at}'; at most {MAX_EVENTS_AT} can be read "
                "on arrival at one point or ending",
                "merge them, or spread them over the points before it",
            )
