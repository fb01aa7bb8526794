"""Checks along paths: history's path reaches history's ending; the calendar never goes back.

The historical walk (:func:`game.engine.checks.walk.walk_round`) follows the rules core's rules, the
ones a round follows; it runs before the state machine exists, on the validator's compiled
conditions, so that ``flashpoint validate`` can say where and why history's path goes astray.
"""

from __future__ import annotations

import datetime as dt

from game.engine.base.text import long_date
from game.engine.checks.context import Context
from game.engine.checks.walk import Walked, values, walk_round
from game.engine.scenario.model import Choice, DecisionPoint, Located


class HistoryChecks:
    """History's path and the order of dates along every path."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def check_history_reaches_its_ending(self) -> None:
        """Each role, taking every historical choice, must end at an ending of distance 0."""
        scenario = self.ctx.scenario
        if not any(e.distance == 0 for e in scenario.endings):
            return
        for role in scenario.roles:
            if role.start not in scenario.point_by_id:
                continue
            for step in walk_round(scenario, self.ctx.conditions, role.start, _historical):
                if not step.after:
                    break
                after = step.after
                ending = scenario.ending_by_id.get(after)
                strayed = (ending is not None and ending.distance > 0) or (
                    after in scenario.point_by_id and scenario.point_by_id[after].counterfactual
                )
                if strayed:
                    self._strayed(role.id, step)
                    break

    def _strayed(self, role: str, step: Walked) -> None:
        point, choice, after, taken = step.point, step.choice, step.after, step.taken
        ending = self.ctx.scenario.ending_by_id.get(after)
        reached = f"ending '{after}' (distance {ending.distance})" if ending else f"'{after}'"
        condition = getattr(taken, "when", None)
        why = f" because '{condition}' held" if condition else ""
        self.ctx.error(
            taken,
            "when" if condition else "next",
            f"role '{role}': history's path leaves history here: the historical choice "
            f"'{choice.id}' at '{point.id}' leads to {reached}{why}",
            f"indicators at that moment: {values(self.ctx.scenario, step.facts)}; change an "
            "effect, a branch condition or the branch order so that history's choices reach the "
            "historical ending",
        )

    def check_dates_never_go_back(self) -> None:
        """A choice may not lead to a decision dated before its own."""
        points = self.ctx.scenario.point_by_id
        for point in self.ctx.scenario.points:
            for choice in point.choices:
                targets: list[tuple[str, Located]] = [(choice.next, choice)] if choice.next else []
                targets += [(b.next, b) for b in choice.branches]
                for target, item in targets:
                    later = points.get(target)
                    if later is None or later.role != point.role or later.date >= point.date:
                        continue
                    self.ctx.error(
                        item,
                        "next",
                        f"'{point.id}' ({_day(point.date)}) leads back in time to "
                        f"'{later.id}' ({_day(later.date)})",
                        "dates never go back along a round: fix one of the two dates",
                    )


def _historical(point: DecisionPoint) -> Choice | None:
    """History's choice at ``point`` (``None`` at a situation that never arose)."""
    return next((c for c in point.choices if c.id == point.history.choice), None)


def _day(day: dt.date) -> str:
    return long_date(day)
