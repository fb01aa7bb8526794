"""What the validator's passes share: the scenario, its sources, the problems found so far,
the compiled conditions, the days a text names, and what matches reach.

Each pass (:mod:`~game.engine.checks.validate`, :mod:`~game.engine.checks.validate_sources`,
:mod:`~game.engine.checks.validate_variants`, :mod:`~game.engine.checks.validate_history`,
:mod:`~game.engine.checks.validate_match`) is a class holding this context; none inherits
from another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from functools import cached_property

from game.engine.base.problems import Problems, did_you_mean
from game.engine.play.match_order import MatchOrder, Order, match_points
from game.engine.scenario import expr
from game.engine.scenario.conditions import Condition, name_problems
from game.engine.scenario.graph import Graph
from game.engine.scenario.model import Located, Scenario
from game.engine.scenario.sources import SourceTexts

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTH = "|".join(MONTHS)
_DAY_MONTH = re.compile(
    rf"\b(?:(\d{{1,2}})\s+({_MONTH})|({_MONTH})\s+(\d{{1,2}}))\b(?:,?\s+(\d{{4}})\b)?"
)


def dates_named(text: str, near: dt.date) -> Iterator[tuple[dt.date, str]]:
    """Every 'day Month [year]' or 'Month day[, year]' in ``text``, with its words. Without a
    year, the one that puts the date within half a year of ``near``."""
    for found in _DAY_MONTH.finditer(text):
        day, month = (found[1], found[2]) if found[1] else (found[4], found[3])
        with contextlib.suppress(ValueError):
            named = dt.date(int(found[5] or near.year), MONTHS.index(month) + 1, int(day))
            if found[5] is None and named > near + dt.timedelta(days=183):
                named = named.replace(year=near.year - 1)
            yield named, found[0]


class Context:
    """What every pass shares: the scenario, its sources, the problems found, the compiled
    conditions, and what matches reach."""

    def __init__(self, scenario: Scenario, texts: SourceTexts, problems: Problems) -> None:
        self.scenario = scenario
        self.texts = texts
        self.problems = problems
        self.graph = Graph(scenario)
        self.conditions: dict[str, Condition] = {}
        self.cited: set[str] = set()

    def error(
        self, item: Located, key: str | None, message: str, hint: str = "", follows: bool = False
    ) -> None:
        self.problems.error(item.where(key), message, hint, follows)

    def warning(
        self, item: Located, key: str | None, message: str, hint: str = "", follows: bool = False
    ) -> None:
        self.problems.warning(item.where(key), message, hint, follows)

    def ref(self, item: Located, key: str, value: str, known: Iterable[str], kind: str) -> None:
        """An error if ``value`` is not among ``known`` (with the nearest name as the fix)."""
        if value not in known:
            self.error(item, key, f"unknown {kind} '{value}'", did_you_mean(value, known))

    def compile(self, item: Located, text: str) -> None:
        if text in self.conditions:
            return
        try:
            tree = expr.parse(text)
        except expr.ExprError as error:
            self.error(
                item,
                "when",
                f"condition '{text}': {error.message} (at character {error.position + 1})",
                error.hint,
            )
            return
        if self._names_known(item, tree):
            try:
                self.conditions[text] = expr.compile_condition(tree, dict(self.scenario.rung_index))
            except expr.ExprError as error:
                self.error(item, "when", f"condition '{text}': {error.message}", error.hint)

    def _names_known(self, item: Located, tree: expr.Expr) -> bool:
        found = name_problems(tree, self.scenario)
        for message, hint in found:
            self.error(item, "when", message, hint)
        return not found

    def later_dates(
        self,
        item: Located,
        key: str,
        text: str,
        day: dt.date,
        when: str,
        hint: str = "say it in the debrief (history, an ending) or show it from a later point",
    ) -> None:
        for named, words in dates_named(text, day):
            if named > day:
                self.error(
                    item,
                    key,
                    f"'{words}' is after {day.isoformat()}, the day this text {when}; it would "
                    "tell students what had not happened yet",
                    hint,
                )
                return

    @cached_property
    def match_order(self) -> MatchOrder:
        """What matches reach, and in what order each seat passes it."""
        return MatchOrder(self.scenario)

    @cached_property
    def order(self) -> Order:
        """Where rounds of one student or matches pass (what conditions are judged against)."""
        return Order(self.graph, self.match_order)

    @cached_property
    def match_broken(self) -> bool:
        """Whether a turn names no point, or an unknown one, for a seat (or the opening an
        unknown point): what matches reach is then not known, so every problem found from
        it may follow from that one."""
        mode, points = self.scenario.head_to_head, self.scenario.point_by_id
        if mode is None:
            return False
        return any(p not in points for p in mode.opening) or any(
            set(turn.points) != set(mode.seats)
            or any(p not in points for p in turn.points.values())
            for turn in mode.turns
        )

    @cached_property
    def matches_only(self) -> set[str]:
        """Points a match can face that no round of one student reaches (need no 'next')."""
        alone = {n for r in self.scenario.roles for n in self.graph.reachable(r.start)}
        return match_points(self.scenario.head_to_head) - alone
