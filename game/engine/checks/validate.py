"""Checks that go beyond the shape of a scenario: references, reachability, history, sources."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from game.engine.base.problems import Mark, Problems, did_you_mean
from game.engine.checks.context import Context
from game.engine.checks.limits import excesses
from game.engine.checks.validate_history import HistoryChecks
from game.engine.checks.validate_map import MapChecks
from game.engine.checks.validate_match import MatchChecks
from game.engine.checks.validate_sources import SourceChecks, TimeChecks
from game.engine.checks.validate_variants import VariantChecks
from game.engine.scenario.conditions import Condition, can_hold
from game.engine.scenario.graph import Graph
from game.engine.scenario.model import (
    Choice,
    DecisionPoint,
    Event,
    Located,
    Scenario,
)
from game.engine.scenario.sources import SourceTexts

__all__ = ["Checked", "Condition", "can_hold", "validate"]

MIN_CHOICES, MAX_CHOICES = 2, 5
MAX_DISTANCE = 10


@dataclass(frozen=True)
class Checked:
    """A scenario that passed validation, with its compiled conditions."""

    scenario: Scenario
    conditions: dict[str, Condition]
    """Compiled conditions keyed by the condition's text."""
    graph: Graph


class CoreChecks:
    """Ids, references, the shape of points, choices, events and endings, reachability."""

    def __init__(self, ctx: Context, match: MatchChecks, sources: SourceChecks) -> None:
        self.ctx, self.match, self.sources = ctx, match, sources

    def no_loops(self) -> bool:
        """An error, and ``False``, if the points form a loop (a round could go on forever)."""
        cycle = self.ctx.graph.find_cycle()
        if cycle:
            first = self.ctx.scenario.point_by_id[cycle[0]]
            self.ctx.error(
                first,
                None,
                "the scenario loops: " + " -> ".join(cycle),
                "a round must always move towards an ending; point one of these "
                "choices somewhere new",
            )
        return not cycle

    def within_limits(self) -> bool:
        """Whether the scenario is within :mod:`game.engine.checks.limits`; each excess is an
        error."""
        fine = True
        for excess in excesses(self.ctx.scenario):
            self.ctx.error(excess.item, excess.key, excess.message, excess.fix)
            fine = False
        return fine

    def check_unique_ids(self) -> None:
        groups: list[tuple[str, Sequence[Located]]] = [
            ("phase", self.ctx.scenario.phases),
            ("source", self.ctx.scenario.sources),
            ("role", self.ctx.scenario.roles),
            ("indicator", self.ctx.scenario.indicators),
            ("rung", self.ctx.scenario.ladder),
            ("point or ending", (*self.ctx.scenario.points, *self.ctx.scenario.endings)),
            ("event", self.ctx.scenario.events),
            ("contested fact", self.ctx.scenario.contested),
            ("note", self.ctx.scenario.notes),
        ]
        for kind, items in groups:
            self._unique(kind, items)
        for point in self.ctx.scenario.points:
            self._unique(f"choice at '{point.id}'", point.choices)

    def _unique(self, kind: str, items: Iterable[Located]) -> None:
        seen: dict[str, Mark] = {}
        for item in items:
            ident = getattr(item, "id")  # noqa: B009
            if ident in seen:
                self.ctx.error(
                    item,
                    "id",
                    f"{kind} id '{ident}' is used twice",
                    f"it is first used on line {seen[ident].line}; rename one",
                )
            else:
                seen[ident] = item.where("id")

    def check_basics(self) -> None:
        scenario = self.ctx.scenario
        for label, items in (
            ("phases", scenario.phases),
            ("roles", scenario.roles),
            ("ladder", scenario.ladder),
            ("points", scenario.points),
            ("endings", scenario.endings),
        ):
            if not items:
                self.ctx.error(scenario, label, f"'{label}' is empty", "add at least one")
        for indicator in scenario.indicators:
            if not indicator.min < indicator.max:
                self.ctx.error(
                    indicator,
                    "max",
                    f"indicator '{indicator.id}' has max "
                    f"{indicator.max} not above min {indicator.min}",
                )
            elif not indicator.min <= indicator.start <= indicator.max:
                self.ctx.error(
                    indicator,
                    "start",
                    f"indicator '{indicator.id}' starts at "
                    f"{indicator.start}, outside {indicator.min}..{indicator.max}",
                )
        if scenario.minutes <= 0:
            self.ctx.error(scenario, "minutes", "minutes must be above 0")

    def check_point(self, point: DecisionPoint) -> None:
        scenario = self.ctx.scenario
        self.ctx.ref(point, "phase", point.phase, scenario.phase_by_id, "phase")
        self.ctx.ref(point, "role", point.role, scenario.role_by_id, "role")
        for ident in point.contested:
            self.ctx.ref(point, "contested", ident, scenario.contested_by_id, "contested fact")
        count = len(point.choices)
        if not MIN_CHOICES <= count <= MAX_CHOICES:
            self.ctx.error(
                point,
                "choices",
                f"point '{point.id}' has {count} choices",
                f"give {MIN_CHOICES} to {MAX_CHOICES}",
                follows=bool(self.ctx.problems.errors),  # e.g. an item that lost its '- '
            )
        for choice in point.choices:
            self.check_choice(point, choice)
        if point.fallback is not None:
            self.ctx.ref(point, "fallback", point.fallback, [c.id for c in point.choices], "choice")
        history = point.history
        self.sources.check_citations(history.citations)
        if history.choice is None:
            if not point.counterfactual:
                self.ctx.error(
                    point,
                    "history",
                    f"point '{point.id}' matches no historical "
                    "choice, so it needs 'counterfactual:'",
                    "say in one line why this situation is plausible, "
                    "or name the historical choice in history.choice",
                )
            return
        if history.choice not in {c.id for c in point.choices}:
            self.ctx.error(
                history,
                "choice",
                f"history.choice '{history.choice}' is not a choice of point '{point.id}'",
                did_you_mean(history.choice, [c.id for c in point.choices]),
            )
        if not history.citations:
            self.ctx.error(
                history,
                None,
                f"the historical record of '{point.id}' cites nothing",
                "add a citation with a verbatim quote",
            )
        unknown = history.choice not in {c.id for c in point.choices}
        for choice in point.choices:
            if choice.id != history.choice and not choice.counterfactual:
                self.ctx.error(
                    choice,
                    None,
                    f"choice '{choice.id}' did not happen, so it needs 'counterfactual:'",
                    "say in one line why it was plausible",
                    follows=unknown,  # a misspelt history.choice makes every choice look unreal
                )

    def check_choice(self, point: DecisionPoint, choice: Choice) -> None:
        scenario = self.ctx.scenario
        self.ctx.ref(choice, "rung", choice.rung, scenario.rung_index, "rung")
        self._effects(choice, choice.effects)
        matches_only = point.id in self.ctx.matches_only
        if (choice.next is None) == (not choice.branches) and not matches_only:
            self.ctx.error(
                choice,
                None,
                f"choice '{choice.id}' needs exactly one of 'next' or 'branches'",
                "use 'next' for a fixed destination",
                follows=self.ctx.match_broken,  # a point that only a match faces needs neither
            )
        if choice.next is not None:
            self.ctx.ref(choice, "next", choice.next, self.ctx.graph.nodes, "point or ending")
        for position, branch in enumerate(choice.branches):
            self.ctx.ref(branch, "next", branch.next, self.ctx.graph.nodes, "point or ending")
            last = position == len(choice.branches) - 1
            if branch.when is None and not last:
                self.ctx.error(
                    branch,
                    None,
                    "only the last branch may leave out 'when'",
                    "the branches after this one could never be taken",
                )
            elif branch.when is not None and last:
                self.ctx.error(
                    branch,
                    "when",
                    "the last branch must leave out 'when'",
                    "it is taken when no other branch holds, so rounds never stall",
                )
            if branch.when is not None:
                self.ctx.compile(branch, branch.when)

    def check_event(self, event: Event) -> None:
        if event.at is not None:
            self.ctx.ref(event, "at", event.at, self.ctx.graph.nodes, "point or ending")
        elif event.id not in self.ctx.scenario.moved_at:
            self.ctx.error(
                event,
                None,
                f"event '{event.id}' has no 'at' and no choice names it in 'seen_as'",
                "give the point or ending it fires at",
            )
        self._effects(event, event.effects)
        for ident in event.contested:
            self.ctx.ref(
                event, "contested", ident, self.ctx.scenario.contested_by_id, "contested fact"
            )
        if event.rung is not None:
            self.ctx.ref(event, "rung", event.rung, self.ctx.scenario.rung_index, "rung")
        if event.when is not None:
            self.ctx.compile(event, event.when)
        if event.history is not None:
            self.sources.check_citations(event.history.citations)
            if event.counterfactual:
                self.ctx.error(
                    event,
                    "counterfactual",
                    f"event '{event.id}' has both 'history' and 'counterfactual'",
                    "keep the one that is true",
                )
            elif not event.history.citations:
                self.ctx.error(
                    event.history,
                    None,
                    f"the record of event '{event.id}' cites nothing",
                    "add a citation with a verbatim quote",
                )
        elif not event.counterfactual:
            self.ctx.error(
                event,
                None,
                f"event '{event.id}' needs 'history' (it happened) or "
                "'counterfactual' (why it is plausible)",
            )

    def check_endings(self) -> None:
        for ending in self.ctx.scenario.endings:
            if not 0 <= ending.distance <= MAX_DISTANCE:
                self.ctx.error(
                    ending, "distance", f"distance {ending.distance} is outside 0..{MAX_DISTANCE}"
                )
            if ending.distance > 0 and not ending.counterfactual:
                self.ctx.error(
                    ending,
                    None,
                    f"ending '{ending.id}' did not happen, so it needs 'counterfactual:'",
                    "say in one line why it is plausible",
                )

    def check_roles_and_reachability(self) -> None:
        reached: set[str] = set()
        for role in self.ctx.scenario.roles:
            start = self.ctx.scenario.point_by_id.get(role.start)
            if start is None:
                self.ctx.ref(role, "start", role.start, self.ctx.scenario.point_by_id, "point")
                continue
            for node in self.ctx.graph.reachable(role.start):
                reached.add(node)
                point = self.ctx.graph.nodes[node]
                if point is not None and point.role != role.id:
                    self.ctx.error(
                        point,
                        "role",
                        f"point '{point.id}' is decided by "
                        f"'{point.role}' but rounds of role '{role.id}' reach it",
                        "each role's path holds only its own decisions; the other "
                        "side acts through events",
                    )
        broken_links = bool(self.ctx.problems.errors)  # an unknown 'next' cuts paths short
        broken_links |= self.ctx.match_broken  # and a turn without its points, matches
        for point in self.ctx.scenario.points:
            if point.id not in reached and point.id not in self.ctx.matches_only:
                self.ctx.error(
                    point,
                    "id",
                    f"point '{point.id}' cannot be reached from any role's start",
                    "lead a choice to it or remove it",
                    follows=broken_links,
                )
        in_match = self.ctx.match_order.reached  # text only a match shows is not "never shown"
        for ending in self.ctx.scenario.endings:
            if ending.id not in reached and ending.id not in in_match:
                self.ctx.warning(
                    ending,
                    "id",
                    f"ending '{ending.id}' cannot be reached",
                    "lead a choice to it or remove it",
                    follows=broken_links,
                )
        for event in self.ctx.scenario.events:
            if (
                event.at in self.ctx.graph.nodes
                and event.at not in reached
                and event.at in in_match
            ):
                self.match.world_event_listed(event)
            elif event.at in self.ctx.graph.nodes and event.at not in reached:
                self.ctx.warning(
                    event,
                    "at",
                    f"event '{event.id}' can never fire: '{event.at}' cannot be reached",
                    follows=broken_links,
                )

    def check_conditions_can_hold(self) -> None:
        for point in self.ctx.scenario.points:
            for choice in point.choices:
                for branch in choice.branches:
                    if branch.when and not self._possible(branch.when, point.id):
                        self.ctx.warning(
                            branch,
                            "when",
                            f"condition '{branch.when}' can never hold when leaving '{point.id}'",
                            "this branch is never taken; check the bounds and the points it names",
                            follows=self.ctx.match_broken,
                        )
        for event in self.ctx.scenario.events:
            if event.when and event.at and not self._possible(event.when, event.at):
                self.ctx.warning(
                    event,
                    "when",
                    f"condition '{event.when}' can never hold at '{event.at}'",
                    "this event never fires",
                    follows=self.ctx.match_broken,
                )

    def _possible(self, text: str, at: str) -> bool:
        return text not in self.ctx.conditions or can_hold(
            text, at, self.ctx.scenario, self.ctx.order
        )

    def _effects(self, item: Located, effects: Mapping[str, int]) -> None:
        for name in effects:
            self.ctx.ref(item, "effects", name, self.ctx.scenario.indicator_by_id, "indicator")


def validate(scenario: Scenario, texts: SourceTexts, problems: Problems) -> Checked | None:
    """Run every pass over one shared context; the compiled scenario, or ``None`` when there
    are errors."""
    ctx = Context(scenario, texts, problems)
    sources, match = SourceChecks(ctx), MatchChecks(ctx)
    core, time = CoreChecks(ctx, match, sources), TimeChecks(ctx)
    variants, history = VariantChecks(ctx), HistoryChecks(ctx)
    if not core.within_limits():
        return None
    core.check_unique_ids()
    core.check_basics()
    sources.check_sources()
    for point in scenario.points:
        core.check_point(point)
    for event in scenario.events:
        core.check_event(event)
    core.check_endings()
    sources.check_contested_and_notes()
    time.check_not_before_its_time()
    variants.check_variants()
    match.check_head_to_head()
    MapChecks(ctx).check_map_layout()
    if core.no_loops():
        core.check_roles_and_reachability()
        core.check_conditions_can_hold()
        history.check_dates_never_go_back()
        if not problems.errors:  # the walk needs every name and condition to be right
            history.check_history_reaches_its_ending()
        variants.check_variants_can_show(ctx.order, ctx.match_broken)
        sources.check_every_source_cited()
    if problems.errors:
        return None
    return Checked(scenario, ctx.conditions, ctx.graph)
