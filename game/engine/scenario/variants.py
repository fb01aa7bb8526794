"""Text that follows the round: a narrative, choice label, event text, ending text or the title
of a point or event may have variants, each shown when its condition holds (first match
wins), else the plain wording.

The conditions are the scenario's own (the validator compiles them with the branches'), read
against the round's facts at the moment the text is shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from game.engine.scenario.model import Choice, DecisionPoint, Ending, Event, Scenario, Variant

if TYPE_CHECKING:
    from game.engine.scenario.expr import Facts


@dataclass(frozen=True)
class Title:
    """The title of a point or event, worded like its text (``title_variants``):
    ``words(Title(point))``."""

    item: DecisionPoint | Event

    @property
    def id(self) -> str:
        """The titled item's id, marked as its title."""
        return f"{self.item.id} (title)"

    @property
    def variants(self) -> tuple[Variant, ...]:
        """The title's variants."""
        return self.item.title_variants


Worded = DecisionPoint | Choice | Event | Ending | Title
Wording = Callable[[Worded], str]
"""Picks the text of an item for one round at one moment."""


def plain(item: Worded) -> str:
    """The item's plain wording (what a variant replaces)."""
    if isinstance(item, Title):
        return item.item.title
    if isinstance(item, DecisionPoint):
        return item.narrative
    if isinstance(item, Choice):
        return item.label
    return item.text


class InventedText(str):
    """A wording that describes what did not happen, whatever gave it (a match turn's
    situation where the turn is not history's): labelled wherever it is shown."""

    __slots__ = ()


def invented(item: Worded, text: str) -> bool:
    """Whether ``text``, as a round shows ``item``, describes what did not happen (a variant
    with a ``counterfactual``, or an :class:`InventedText`): labelled "Not historical"."""
    if isinstance(text, InventedText):
        return True
    return any(v.counterfactual and v.text == text for v in item.variants)


def wording_for(facts: Facts, conditions: Mapping[str, Callable[[Facts], bool]]) -> Wording:
    """The wording of any item as the round described by ``facts`` shows it now."""

    def word(item: Worded) -> str:
        for variant in item.variants:
            check = conditions.get(variant.when)
            if check is not None and check(facts):
                return variant.text
        return plain(item)

    return word


def worded_items(scenario: Scenario) -> Iterator[tuple[Worded, str]]:
    """Every item that can have variants, with the node at which it is shown."""
    for point in scenario.points:
        yield point, point.id
        yield Title(point), point.id
        for choice in point.choices:
            yield choice, point.id
    for event in scenario.events:
        moved = scenario.moved_at.get(event.id)
        at = event.at or (moved.id if moved else None)
        if at is not None:
            yield event, at
            yield Title(event), at
    for ending in scenario.endings:
        yield ending, ending.id
