"""Checks of the head-to-head mode: turns, seats, moves seen by the other seat, routes, history.

Every turn has a point for both seats, dated as the turn; every choice at those points names
the event the other seat is shown, labelled as history only when the choice is history's;
routes read the seats' moves and always lead somewhere; and both seats playing history reach
the historical ending, through points that each have a historical choice.
"""

from __future__ import annotations

from game.engine.base.problems import did_you_mean
from game.engine.base.text import long_date
from game.engine.checks.context import Context
from game.engine.checks.walk import history_move, walk_match
from game.engine.play.match_order import match_points
from game.engine.play.rules import route_targets
from game.engine.scenario import expr
from game.engine.scenario.conditions import name_problems
from game.engine.scenario.model import DecisionPoint, Event, Located
from game.engine.scenario.model_match import HeadToHead, Turn


class MatchChecks:
    """The scenario's ``head_to_head`` section."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def world_event_listed(self, event: Event) -> None:
        """An event at a point only a match faces fires only when ``world_events`` lists it."""
        mode = self.ctx.scenario.head_to_head
        if mode is not None and event.id not in mode.world_events:
            self.ctx.warning(
                event,
                "at",
                f"event '{event.id}' can never fire: '{event.at}' is faced only in a match, "
                "and a match fires only the events listed in 'world_events'",
                f"add '{event.id}' to head_to_head.world_events, or remove the event",
                follows=self.ctx.match_broken,
            )

    def check_head_to_head(self) -> None:
        mode = self.ctx.scenario.head_to_head
        if mode is None:
            return
        roles = self.ctx.scenario.role_by_id
        if len(mode.seats) != 2 or len(set(mode.seats)) != 2:
            self.ctx.error(
                mode, "seats", "a match has exactly two seats", "name two different roles"
            )
            return
        for seat in mode.seats:
            self.ctx.ref(mode, "seats", seat, roles, "role")
        self._seat_keys(mode, "briefings", "briefings")
        for turn in mode.turns:
            for field in ("situations", "fallbacks"):
                self._seat_keys(turn, field, f"turn '{turn.id}': {field}")
        self._check_opening(mode)
        self._check_match_texts(mode)
        for event_id in mode.world_events:
            event = next((e for e in self.ctx.scenario.events if e.id == event_id), None)
            if event is None or event.at is None:
                self.ctx.error(
                    mode,
                    "world_events",
                    f"world event '{event_id}' is not an event that fires at a point",
                    did_you_mean(event_id, [e.id for e in self.ctx.scenario.events if e.at]),
                )
            elif (
                self.ctx.match_order.turns_reached and event.at not in self.ctx.match_order.reached
            ):
                self.ctx.warning(
                    mode,
                    "world_events",
                    f"world event '{event_id}' never fires in a match: no seat faces "
                    f"'{event.at}' in a turn a match reaches",
                    "put its point in a turn, or take it out of 'world_events'",
                    follows=self.ctx.match_broken,
                )
        if not mode.turns:
            self.ctx.error(mode, "turns", "'turns' is empty", "add at least one turn")
            return
        seen: set[str] = set()
        for position, turn in enumerate(mode.turns):
            if turn.id in seen or turn.id in self.ctx.scenario.ending_by_id:
                self.ctx.error(
                    turn,
                    "id",
                    f"turn id '{turn.id}' is used twice (by another turn or an ending)",
                    "give every turn an id of its own",
                )
            seen.add(turn.id)
            self._check_turn(mode, turn, position == len(mode.turns) - 1)
        played = match_points(mode)
        for point in self.ctx.scenario.points:
            if point.id not in played:
                for choice in point.choices:
                    if choice.in_match:
                        self.ctx.warning(
                            choice,
                            "in_match",
                            f"'{point.id}' is not played in a match, so 'in_match' is never shown",
                            "remove it, or put the point in a turn",
                            follows=self.ctx.match_broken,
                        )
        if not self.ctx.problems.errors:
            self._check_order(mode)
        if not self.ctx.problems.errors:
            self._check_history(mode)

    def _check_match_texts(self, mode: HeadToHead) -> None:
        """Text only a match shows names no day after the day it is read on."""
        if not mode.turns:
            return
        first = mode.turns[0].date
        self.ctx.later_dates(mode, "summary", mode.summary, first, "is shown when a match begins")
        for seat, text in mode.briefings.items():
            self.ctx.later_dates(mode, f"briefings.{seat}", text, first, "is read before turn 1")
        for turn in mode.turns:
            for seat, text in turn.situations.items():
                self.ctx.later_dates(
                    turn, f"situations.{seat}", text, turn.date, "is shown at the turn"
                )

    def _seat_keys(self, item: HeadToHead | Turn, field: str, label: str) -> None:
        """Every key of ``item``'s mapping ``field`` is a seat; a typo is reported at itself."""
        seats = self.ctx.scenario.head_to_head.seats if self.ctx.scenario.head_to_head else ()
        for key in getattr(item, field):
            if key not in seats:
                self.ctx.error(
                    item,
                    f"{field}.{key}",
                    f"{label}: '{key}' is not a seat",
                    _seat_hint(key, seats),
                )

    def _check_opening(self, mode: HeadToHead) -> None:
        for point_id in mode.opening:
            point = self.ctx.scenario.point_by_id.get(point_id)
            if point is None:
                self.ctx.ref(mode, "opening", point_id, self.ctx.scenario.point_by_id, "point")
            elif point.role not in mode.seats or point.history.choice is None:
                self.ctx.error(
                    mode,
                    "opening",
                    f"opening point '{point_id}' must be a seat's point with a historical choice",
                    "the match begins with history's moves; open with points that have one",
                )
            else:
                self._check_moves(point, only_history=True)

    def _check_turn(self, mode: HeadToHead, turn: Turn, last: bool) -> None:
        points = self.ctx.scenario.point_by_id
        for seat in mode.seats:
            if seat not in turn.points:
                self.ctx.error(
                    turn,
                    "points",
                    f"turn '{turn.id}' has no point for seat '{seat}'",
                    "every turn has a decision point for both seats",
                )
        for seat, point_id in turn.points.items():
            point = points.get(point_id)
            if seat not in mode.seats:
                self.ctx.error(
                    turn,
                    f"points.{seat}",
                    f"turn '{turn.id}': points: '{seat}' is not a seat",
                    _seat_hint(seat, mode.seats),
                )
            elif point is None:
                self.ctx.ref(turn, "points", point_id, points, "point")
            elif point.role != seat:
                self.ctx.error(
                    turn,
                    "points",
                    f"turn '{turn.id}': '{point_id}' is decided by '{point.role}', not '{seat}'",
                    "give each seat a point of its own role",
                )
            elif point.date != turn.date:
                self.ctx.error(
                    turn,
                    "date",
                    f"turn '{turn.id}' is dated {long_date(turn.date)} but its point "
                    f"'{point_id}' is dated {long_date(point.date)}",
                    "both seats decide on the turn's date; make the dates agree",
                )
            else:
                self._check_moves(point)
                self._check_fallback(turn, seat, point)
        self._check_routes(mode, turn, last)

    def _check_moves(self, point: DecisionPoint, only_history: bool = False) -> None:
        events = {e.id: e for e in self.ctx.scenario.events}
        for choice in point.choices:
            if only_history and choice.id != point.history.choice:
                continue
            if choice.seen_as is None and only_history:
                self.ctx.error(
                    choice,
                    None,
                    f"choice '{point.id}.{choice.id}' has no 'seen_as' event: '{point.id}' is "
                    "decided before the match (opening), but the other seat is still shown "
                    "history's move there",
                    "name the event that shows it in 'seen_as'",
                )
                continue
            if choice.seen_as is None:
                self.ctx.error(
                    choice,
                    None,
                    f"choice '{point.id}.{choice.id}' has no 'seen_as' event for the other seat",
                    "in a match each move reaches the other seat as an event; name it in 'seen_as'",
                )
                continue
            event = events.get(choice.seen_as)
            if event is None:
                self.ctx.ref(choice, "seen_as", choice.seen_as, events, "event")
            elif choice.id == point.history.choice and event.history is None:
                self.ctx.error(
                    choice,
                    "seen_as",
                    f"'{point.id}.{choice.id}' is history's choice but its event "
                    f"'{event.id}' has no 'history'",
                    "show the historical move with its record and citations",
                )
            elif choice.id != point.history.choice and event.history is not None:
                self.ctx.error(
                    choice,
                    "seen_as",
                    f"'{point.id}.{choice.id}' did not happen but its event '{event.id}' is "
                    "labelled as history",
                    "give the other seat an event with 'counterfactual:' for this move",
                )

    def _check_fallback(self, turn: Turn, seat: str, point: DecisionPoint) -> None:
        fallback = turn.fallbacks.get(seat)
        if fallback is None and point.history.choice is None:
            self.ctx.error(
                turn,
                "fallbacks",
                f"turn '{turn.id}': '{point.id}' has no historical choice, so seat '{seat}' "
                "needs a fallback move",
                f"add fallbacks: {{{seat}: {point.choices[0].id}}}",
            )
        elif fallback is not None and fallback not in self.ctx.scenario.choice_ids[point.id]:
            self.ctx.ref(
                turn, "fallbacks", fallback, self.ctx.scenario.choice_ids[point.id], "choice"
            )

    def _check_routes(self, mode: HeadToHead, turn: Turn, last: bool) -> None:
        known = [*mode.turn_by_id, *self.ctx.scenario.ending_by_id]
        if not turn.routes and last:
            self.ctx.error(
                turn,
                None,
                f"turn '{turn.id}' is the last in the list but has no routes",
                "lead it to an ending with a route",
            )
        for position, route in enumerate(turn.routes):
            self.ctx.ref(route, "next", route.next, known, "turn or ending")
            final = position == len(turn.routes) - 1
            if route.when is None and not final:
                self.ctx.error(route, None, "only the last route may leave out 'when'")
            elif route.when is not None and final:
                self.ctx.error(
                    route,
                    "when",
                    "the last route must leave out 'when'",
                    "it is taken when no other route holds, so every pair of moves leads on",
                )
            if route.when is not None:
                self._compile_route(mode, route, route.when)

    def _compile_route(self, mode: HeadToHead, route: Located, text: str) -> None:
        """Compile a route's condition: every call names a seat and a point of that seat."""
        try:
            tree = expr.parse(text)
        except expr.ExprError as error:
            self.ctx.error(route, "when", f"condition '{text}': {error.message}", error.hint)
            return
        problems: list[tuple[str, str]] = []
        for node in expr.walk(tree):
            if isinstance(node, expr.Compare | expr.Name):
                problems.append(("routes read the seats' moves, not indicators or the ladder", ""))
            elif isinstance(node, expr.Call) and node.function == "fired":
                problems.append(("routes read the seats' moves: use chose() or visited()", ""))
            elif isinstance(node, expr.Call) and node.seat not in mode.seats:
                problems.append(self._whose(mode, node))
            elif isinstance(node, expr.Call):
                own = expr.Call(node.function, node.target, node.position)
                problems += name_problems(own, self.ctx.scenario)
                point = self.ctx.scenario.point_by_id.get(node.target.partition(".")[0])
                if point and point.role != node.seat:
                    problems.append(
                        (f"'{point.id}' is decided by '{point.role}', not '{node.seat}'", "")
                    )
        for message, hint in problems:
            self.ctx.error(route, "when", f"condition '{text}': {message}", hint)
        if not problems:
            self.ctx.conditions[text] = expr.compile_condition(
                tree, dict(self.ctx.scenario.rung_index)
            )

    def _whose(self, mode: HeadToHead, node: expr.Call) -> tuple[str, str]:
        """A call that names no seat, or an unknown one: the message, and a valid example
        (the seat whose point the call names)."""
        point = self.ctx.scenario.point_by_id.get(node.target.partition(".")[0])
        owner = point.role if point is not None and point.role in mode.seats else mode.seats[0]
        example = f"write {owner}.{node.function}({node.target})"
        if not node.seat:
            return "say whose move", example
        return f"unknown seat '{node.seat}' ({_seat_hint(node.seat, mode.seats)})", example

    def _check_order(self, mode: HeadToHead) -> None:
        """Turns never loop, dates never go back, and every turn can be reached."""
        first = mode.turns[0].id
        order = {t.id: n for n, t in enumerate(mode.turns)}
        reached = {first}
        for turn in mode.turns:
            for position, target in enumerate(route_targets(mode, turn)):
                later = mode.turn_by_id.get(target)
                if later is None:
                    continue
                # the route that names it (a turn without routes goes on to the next turn)
                route: Located = turn.routes[position] if turn.routes else turn
                if order[target] <= order[turn.id]:
                    self.ctx.error(
                        route,
                        "next",
                        f"turn '{turn.id}' leads back to '{target}', "
                        f"{'itself' if target == turn.id else 'an earlier turn in the list'}",
                        "list turns in the order they are played; a match never goes back",
                    )
                elif later.date < turn.date:
                    self.ctx.error(
                        route,
                        "next",
                        f"turn '{turn.id}' ({long_date(turn.date)}) leads back in time to "
                        f"'{target}' ({long_date(later.date)})",
                        f"a match moves forward in time: date '{target}' on or after "
                        f"{long_date(turn.date)}, or route to a later turn",
                    )
                if turn.id in reached:
                    reached.add(target)
        for turn in mode.turns:
            if turn.id not in reached:
                self.ctx.warning(turn, "id", f"turn '{turn.id}' cannot be reached", "route to it")

    def _check_history(self, mode: HeadToHead) -> None:
        """Both seats playing history reach an ending of distance 0."""
        scenario = self.ctx.scenario
        _, node, stopped = walk_match(scenario, self.ctx.conditions, mode, history_move)
        if stopped is not None:
            self.ctx.error(
                stopped.turn,
                "points",
                f"history's path reaches turn '{stopped.turn.id}', where '{stopped.point.id}' "
                f"({stopped.seat}) has no historical choice",
                "both seats playing history must reproduce history",
            )
            return
        ending = scenario.ending_by_id.get(node)
        if ending is not None and ending.distance > 0:
            self.ctx.error(
                mode,
                "turns",
                f"both seats playing history reach ending '{node}' (distance {ending.distance})",
                "order the routes so that history's moves reach the historical ending",
            )


def _seat_hint(word: str, seats: tuple[str, ...]) -> str:
    """Did you mean the nearest seat, or which the seats are."""
    close = did_you_mean(word, seats)
    return close if close.startswith("did you") else f"the seats are {', '.join(seats)}"
