"""Checks along paths: history's path reaches history's ending; the calendar never goes back.

The historical walk follows the same rules as a round (``game.engine.session``): effects are
added and held within each indicator's bounds, a choice's rung becomes the crisis's rung,
the first branch whose condition holds is taken, and events fire on arrival when theirs do.
It runs before the state machine exists, on the validator's compiled conditions, so that
``flashpoint validate`` can say where and why history's path goes astray.
"""

from __future__ import annotations

import datetime as dt

from game.engine.model import Choice, DecisionPoint, Located
from game.engine.text import long_date
from game.engine.validate_sources import Checker
from game.engine.walk import Walk


class HistoryChecks(Checker):
    """History's path and the order of dates along every path."""

    def check_history_reaches_its_ending(self) -> None:
        """Each role, taking every historical choice, must end at an ending of distance 0."""
        scenario = self.scenario
        if not any(e.distance == 0 for e in scenario.endings):
            return
        for role in scenario.roles:
            if role.start not in scenario.point_by_id:
                continue
            walk = Walk(
                scenario,
                self.conditions,
                {i.id: i.start for i in scenario.indicators},
                scenario.ladder[0].id,
            )
            walk.arrive(role.start)
            node = role.start
            while node in scenario.point_by_id:
                point = scenario.point_by_id[node]
                real = next((c for c in point.choices if c.id == point.history.choice), None)
                if real is None:
                    break  # history's path has reached a situation that never arose
                after, taken = walk.take(point, real)
                if not after:
                    break
                walk.arrive(after)
                ending = scenario.ending_by_id.get(after)
                strayed = (ending is not None and ending.distance > 0) or (
                    after in scenario.point_by_id and scenario.point_by_id[after].counterfactual
                )
                if strayed:
                    self._strayed(role.id, point, real, after, taken, walk)
                    break
                node = after

    def _strayed(
        self,
        role: str,
        point: DecisionPoint,
        choice: Choice,
        after: str,
        taken: Located,
        walk: Walk,
    ) -> None:
        ending = self.scenario.ending_by_id.get(after)
        reached = f"ending '{after}' (distance {ending.distance})" if ending else f"'{after}'"
        condition = getattr(taken, "when", None)
        why = f" because '{condition}' held" if condition else ""
        self.error(
            taken,
            "when" if condition else "next",
            f"role '{role}': history's path leaves history here: the historical choice "
            f"'{choice.id}' at '{point.id}' leads to {reached}{why}",
            f"indicators at that moment: {walk.values()}; change an effect, a branch condition "
            "or the branch order so that history's choices reach the historical ending",
        )

    def check_dates_never_go_back(self) -> None:
        """A choice may not lead to a decision dated before its own."""
        points = self.scenario.point_by_id
        for point in self.scenario.points:
            for choice in point.choices:
                targets: list[tuple[str, Located]] = [(choice.next, choice)] if choice.next else []
                targets += [(b.next, b) for b in choice.branches]
                for target, item in targets:
                    later = points.get(target)
                    if later is None or later.role != point.role or later.date >= point.date:
                        continue
                    self.error(
                        item,
                        "next",
                        f"'{point.id}' ({_day(point.date)}) leads back in time to "
                        f"'{later.id}' ({_day(later.date)})",
                        "dates never go back along a round: fix one of the two dates",
                    )


def _day(day: dt.date) -> str:
    return long_date(day)
