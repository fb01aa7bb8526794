"""The facts of a round advanced by hand: what the validator walks and a match's seats share.

The rules are a round's (``game.engine.session``): effects are added and held within each
indicator's bounds, a choice's rung becomes the crisis's rung, the first branch whose condition
holds is taken, and events fire on arrival when theirs do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.engine.conditions import Condition
from game.engine.model import Choice, DecisionPoint, Located, Scenario


@dataclass
class Walk:
    """A round's facts as conditions read them, advanced by hand (the validator's walks and
    each seat of a head-to-head match)."""

    scenario: Scenario
    conditions: Mapping[str, Condition]
    indicators: dict[str, int]
    rung: str
    chosen: set[tuple[str, str]] = field(default_factory=set)
    seen: set[str] = field(default_factory=set)
    happened: set[str] = field(default_factory=set)

    def indicator(self, name: str) -> int:
        return self.indicators[name]

    def ladder(self) -> int:
        return self.scenario.rung_index[self.rung]

    def chose(self, point: str, choice: str) -> bool:
        return (point, choice) in self.chosen

    def visited(self, point: str) -> bool:
        return point in self.seen

    def fired(self, event: str) -> bool:
        return event in self.happened

    def apply(self, effects: Mapping[str, int], rung: str | None) -> None:
        for name, change in effects.items():
            indicator = self.scenario.indicator_by_id[name]
            self.indicators[name] = indicator.moved(self.indicators[name], change)
        if rung is not None:
            self.rung = rung

    def arrive(self, node: str) -> None:
        self.seen.add(node)
        for event in self.scenario.events_at.get(node, ()):
            if event.when is None or self.holds(event.when):
                self.apply(event.effects, event.rung)
                self.happened.add(event.id)

    def holds(self, when: str) -> bool:
        return self.conditions[when](self)

    def take(self, point: DecisionPoint, choice: Choice) -> tuple[str, Located]:
        """Take ``choice``; where it leads, and what sent it there (the choice, or the branch
        whose condition held)."""
        self.apply(choice.effects, choice.rung)
        self.chosen.add((point.id, choice.id))
        if choice.next is not None:
            return choice.next, choice
        for branch in choice.branches:
            if branch.when is None or self.holds(branch.when):
                return branch.next, branch
        return "", choice

    def values(self) -> str:
        names = {i.id: i.name for i in self.scenario.indicators}
        return ", ".join(f"{names[k]} {v}" for k, v in self.indicators.items())


class Seats:
    """Both seats' facts, as the conditions of a match's routes read them: each call names
    its seat (``iran.chose(...)``); routes never read indicators (the validator makes sure)."""

    def __init__(self, walks: Mapping[str, Walk]) -> None:
        self.walks = walks

    def seat(self, name: str) -> Walk:
        return self.walks[name]

    def indicator(self, name: str) -> int:
        return 0

    def ladder(self) -> int:
        return 0

    def chose(self, point: str, choice: str) -> bool:
        return any(w.chose(point, choice) for w in self.walks.values())

    def visited(self, point: str) -> bool:
        return any(w.visited(point) for w in self.walks.values())

    def fired(self, event: str) -> bool:
        return any(w.fired(event) for w in self.walks.values())
