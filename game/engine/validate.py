"""Checks that go beyond the shape of a scenario: references, reachability, history, sources."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from game.engine import expr
from game.engine.graph import Graph
from game.engine.model import (
    Choice,
    Citation,
    DecisionPoint,
    Event,
    Located,
    Scenario,
)
from game.engine.problems import Mark, Problems, did_you_mean
from game.engine.sources import SourceTexts

MIN_CHOICES, MAX_CHOICES = 2, 5
MAX_QUOTE = 300
MAX_DISTANCE = 10

Condition = Callable[[expr.Facts], bool]


@dataclass(frozen=True)
class Checked:
    """A scenario that passed validation, with its compiled conditions."""

    scenario: Scenario
    conditions: dict[str, Condition]
    """Compiled conditions keyed by the condition's text."""
    graph: Graph


class _Validator:
    def __init__(self, scenario: Scenario, texts: SourceTexts, problems: Problems) -> None:
        self.scenario = scenario
        self.texts = texts
        self.problems = problems
        self.graph = Graph(scenario)
        self.conditions: dict[str, Condition] = {}
        self.cited: set[str] = set()

    def error(self, item: Located, key: str | None, message: str, hint: str = "") -> None:
        self.problems.error(item.where(key), message, hint)

    def warning(self, item: Located, key: str | None, message: str, hint: str = "") -> None:
        self.problems.warning(item.where(key), message, hint)

    def run(self) -> None:
        self.check_unique_ids()
        self.check_basics()
        self.check_sources()
        for point in self.scenario.points:
            self.check_point(point)
        for event in self.scenario.events:
            self.check_event(event)
        self.check_endings()
        self.check_contested_and_notes()
        cycle = self.graph.find_cycle()
        if cycle:
            first = self.scenario.point_by_id[cycle[0]]
            self.error(
                first,
                None,
                "the scenario loops: " + " -> ".join(cycle),
                "a round must always move towards an ending; point one of these "
                "choices somewhere new",
            )
            return
        self.check_roles_and_reachability()
        self.check_conditions_can_hold()
        for source in self.scenario.sources:
            if source.id not in self.cited:
                self.warning(
                    source, None, f"source '{source.id}' is never cited", "cite it or remove it"
                )

    def check_unique_ids(self) -> None:
        groups: list[tuple[str, Sequence[Located]]] = [
            ("phase", self.scenario.phases),
            ("source", self.scenario.sources),
            ("role", self.scenario.roles),
            ("indicator", self.scenario.indicators),
            ("rung", self.scenario.ladder),
            ("point or ending", (*self.scenario.points, *self.scenario.endings)),
            ("event", self.scenario.events),
            ("contested fact", self.scenario.contested),
            ("note", self.scenario.notes),
        ]
        for kind, items in groups:
            self._unique(kind, items)
        for point in self.scenario.points:
            self._unique(f"choice at '{point.id}'", point.choices)

    def _unique(self, kind: str, items: Iterable[Located]) -> None:
        seen: dict[str, Mark] = {}
        for item in items:
            ident = getattr(item, "id")  # noqa: B009
            if ident in seen:
                self.error(
                    item,
                    "id",
                    f"{kind} id '{ident}' is used twice",
                    f"it is first used on line {seen[ident].line}; rename one",
                )
            else:
                seen[ident] = item.where("id")

    def check_basics(self) -> None:
        scenario = self.scenario
        for label, items in (
            ("phases", scenario.phases),
            ("roles", scenario.roles),
            ("ladder", scenario.ladder),
            ("points", scenario.points),
            ("endings", scenario.endings),
        ):
            if not items:
                self.error(scenario, label, f"'{label}' is empty", "add at least one")
        for indicator in scenario.indicators:
            if not indicator.min < indicator.max:
                self.error(
                    indicator,
                    "max",
                    f"indicator '{indicator.id}' has max "
                    f"{indicator.max} not above min {indicator.min}",
                )
            elif not indicator.min <= indicator.start <= indicator.max:
                self.error(
                    indicator,
                    "start",
                    f"indicator '{indicator.id}' starts at "
                    f"{indicator.start}, outside {indicator.min}..{indicator.max}",
                )
        if scenario.minutes <= 0:
            self.error(scenario, "minutes", "minutes must be above 0")

    def check_sources(self) -> None:
        for source in self.scenario.sources:
            try:
                self.texts.text(source.file)
            except ValueError as error:
                self.error(source, "file", f"source file '{source.file}' is refused: {error}")
            except OSError as error:
                self.error(
                    source,
                    "file",
                    f"cannot read source file '{source.file}' in "
                    f"{self.texts.folder}: {error.strerror or error}",
                    "put the document in the seeds folder or fix the path",
                )
            except UnicodeDecodeError:
                self.error(
                    source,
                    "file",
                    f"source file '{source.file}' is not UTF-8 text",
                    "save it as UTF-8",
                )

    def check_citation(self, citation: Citation) -> None:
        source = self.scenario.source_by_id.get(citation.source)
        if source is None:
            self.error(
                citation,
                "source",
                f"unknown source '{citation.source}'",
                did_you_mean(citation.source, self.scenario.source_by_id),
            )
            return
        self.cited.add(source.id)
        if len(citation.quote) > MAX_QUOTE:
            self.warning(
                citation,
                "quote",
                f"the quote is {len(citation.quote)} characters "
                f"long; quotes should be short (at most {MAX_QUOTE})",
                "quote the key words and summarise the rest in your own words",
            )
        try:
            found = self.texts.find(source.file, citation.quote)
        except (OSError, ValueError):
            return  # already reported against the source
        if found is None:
            self.error(
                citation,
                "quote",
                f"the quote is not in source '{source.id}' ({source.file})",
                "copy the words exactly from the document; "
                "spacing and curly quote marks may differ",
            )

    def check_citations(self, citations: Iterable[Citation]) -> None:
        for citation in citations:
            self.check_citation(citation)

    def check_point(self, point: DecisionPoint) -> None:
        scenario = self.scenario
        self._ref(point, "phase", point.phase, scenario.phase_by_id, "phase")
        self._ref(point, "role", point.role, scenario.role_by_id, "role")
        for ident in point.contested:
            self._ref(point, "contested", ident, scenario.contested_by_id, "contested fact")
        count = len(point.choices)
        if not MIN_CHOICES <= count <= MAX_CHOICES:
            self.error(
                point,
                "choices",
                f"point '{point.id}' has {count} choices",
                f"give {MIN_CHOICES} to {MAX_CHOICES}",
            )
        for choice in point.choices:
            self.check_choice(point, choice)
        history = point.history
        self.check_citations(history.citations)
        if history.choice is None:
            if not point.counterfactual:
                self.error(
                    point,
                    "history",
                    f"point '{point.id}' matches no historical "
                    "choice, so it needs 'counterfactual:'",
                    "say in one line why this situation is plausible, "
                    "or name the historical choice in history.choice",
                )
            return
        if history.choice not in {c.id for c in point.choices}:
            self.error(
                history,
                "choice",
                f"history.choice '{history.choice}' is not a choice of point '{point.id}'",
                did_you_mean(history.choice, [c.id for c in point.choices]),
            )
        if not history.citations:
            self.error(
                history,
                None,
                f"the historical record of '{point.id}' cites nothing",
                "add a citation with a verbatim quote",
            )
        for choice in point.choices:
            if choice.id != history.choice and not choice.counterfactual:
                self.error(
                    choice,
                    None,
                    f"choice '{choice.id}' did not happen, so it needs 'counterfactual:'",
                    "say in one line why it was plausible",
                )

    def check_choice(self, point: DecisionPoint, choice: Choice) -> None:
        scenario = self.scenario
        self._ref(choice, "rung", choice.rung, scenario.rung_index, "rung")
        self._effects(choice, choice.effects)
        if (choice.next is None) == (not choice.branches):
            self.error(
                choice,
                None,
                f"choice '{choice.id}' needs exactly one of 'next' or 'branches'",
                "use 'next' for a fixed destination",
            )
        if choice.next is not None:
            self._ref(choice, "next", choice.next, self.graph.nodes, "point or ending")
        for position, branch in enumerate(choice.branches):
            self._ref(branch, "next", branch.next, self.graph.nodes, "point or ending")
            last = position == len(choice.branches) - 1
            if branch.when is None and not last:
                self.error(
                    branch,
                    None,
                    "only the last branch may leave out 'when'",
                    "the branches after this one could never be taken",
                )
            elif branch.when is not None and last:
                self.error(
                    branch,
                    "when",
                    "the last branch must leave out 'when'",
                    "it is taken when no other branch holds, so rounds never stall",
                )
            if branch.when is not None:
                self.compile(branch, branch.when)

    def check_event(self, event: Event) -> None:
        self._ref(event, "at", event.at, self.graph.nodes, "point or ending")
        self._effects(event, event.effects)
        if event.rung is not None:
            self._ref(event, "rung", event.rung, self.scenario.rung_index, "rung")
        if event.when is not None:
            self.compile(event, event.when)
        if event.history is not None:
            self.check_citations(event.history.citations)
            if event.counterfactual:
                self.error(
                    event,
                    "counterfactual",
                    f"event '{event.id}' has both 'history' and 'counterfactual'",
                    "keep the one that is true",
                )
            elif not event.history.citations:
                self.error(
                    event.history,
                    None,
                    f"the record of event '{event.id}' cites nothing",
                    "add a citation with a verbatim quote",
                )
        elif not event.counterfactual:
            self.error(
                event,
                None,
                f"event '{event.id}' needs 'history' (it happened) or "
                "'counterfactual' (why it is plausible)",
            )

    def check_endings(self) -> None:
        for ending in self.scenario.endings:
            if not 0 <= ending.distance <= MAX_DISTANCE:
                self.error(
                    ending, "distance", f"distance {ending.distance} is outside 0..{MAX_DISTANCE}"
                )
            if ending.distance > 0 and not ending.counterfactual:
                self.error(
                    ending,
                    None,
                    f"ending '{ending.id}' did not happen, so it needs 'counterfactual:'",
                    "say in one line why it is plausible",
                )

    def check_contested_and_notes(self) -> None:
        for fact in self.scenario.contested:
            if len(fact.versions) < 2:
                self.error(
                    fact,
                    "versions",
                    f"contested fact '{fact.id}' needs at least two versions",
                    "or state the fact plainly where it is used",
                )
            for version in fact.versions:
                self.check_citation(
                    Citation(
                        source=version.source,
                        quote=version.quote,
                        mark=version.mark,
                        marks=version.marks,
                    )
                )
            if len({v.source for v in fact.versions}) == 1 and len(fact.versions) > 1:
                self.warning(
                    fact,
                    "versions",
                    f"every version of '{fact.id}' comes from one source",
                    "a disagreement is between sources",
                )
        for note in self.scenario.notes:
            self.check_citations(note.citations)

    def check_roles_and_reachability(self) -> None:
        reached: set[str] = set()
        for role in self.scenario.roles:
            start = self.scenario.point_by_id.get(role.start)
            if start is None:
                self._ref(role, "start", role.start, self.scenario.point_by_id, "point")
                continue
            for node in self.graph.reachable(role.start):
                reached.add(node)
                point = self.graph.nodes[node]
                if point is not None and point.role != role.id:
                    self.error(
                        point,
                        "role",
                        f"point '{point.id}' is decided by "
                        f"'{point.role}' but rounds of role '{role.id}' reach it",
                        "each role's path holds only its own decisions; the other "
                        "side acts through events",
                    )
        for point in self.scenario.points:
            if point.id not in reached:
                self.error(
                    point,
                    "id",
                    f"point '{point.id}' cannot be reached from any role's start",
                    "lead a choice to it or remove it",
                )
        for ending in self.scenario.endings:
            if ending.id not in reached:
                self.warning(
                    ending,
                    "id",
                    f"ending '{ending.id}' cannot be reached",
                    "lead a choice to it or remove it",
                )
        for event in self.scenario.events:
            if event.at in self.graph.nodes and event.at not in reached:
                self.warning(
                    event,
                    "at",
                    f"event '{event.id}' can never fire: '{event.at}' cannot be reached",
                )

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
        fine = True
        for node in expr.walk(tree):
            problem = ("", "")
            if isinstance(node, expr.Compare):
                problem = self._compare_problem(node)
            elif isinstance(node, expr.Call):
                problem = self._call_problem(node)
            if problem[0]:
                self.error(item, "when", *problem)
                fine = False
        return fine

    def _compare_problem(self, node: expr.Compare) -> tuple[str, str]:
        rungs, indicators = self.scenario.rung_index, self.scenario.indicator_by_id
        names = [s.name for s in (node.left, node.right) if isinstance(s, expr.Name)]
        with_ladder = "ladder" in names
        known = [*rungs] if with_ladder else [*indicators, "ladder"]
        for name in names:
            if name != "ladder" and name not in known:
                kind = "rung" if with_ladder else "indicator"
                return (
                    f"unknown {kind} '{name}' in a condition",
                    did_you_mean(name, known) or f"no {kind}s are declared",
                )
        return "", ""

    def _call_problem(self, node: expr.Call) -> tuple[str, str]:
        scenario = self.scenario
        if node.function == "fired":
            events = [e.id for e in scenario.events]
            if node.target not in events:
                return (f"fired({node.target}): unknown event", did_you_mean(node.target, events))
            return "", ""
        point_id, _, choice_id = node.target.partition(".")
        point = scenario.point_by_id.get(point_id)
        if point is None:
            return (
                f"{node.function}({point_id}): unknown decision point",
                did_you_mean(point_id, scenario.point_by_id),
            )
        if node.function == "visited":
            if choice_id:
                return (
                    f"visited({node.target}) takes a point, not a choice",
                    f"write visited({point_id}) or chose({node.target})",
                )
            return "", ""
        choices = [c.id for c in point.choices]
        if not choice_id:
            return f"chose({point_id}) needs a choice", f"write chose({point_id}.{choices[0]})"
        if choice_id not in choices:
            return (
                f"chose({node.target}): '{choice_id}' is not a choice of '{point_id}'",
                did_you_mean(choice_id, choices),
            )
        return "", ""

    def check_conditions_can_hold(self) -> None:
        for point in self.scenario.points:
            for choice in point.choices:
                for branch in choice.branches:
                    if branch.when and not self._possible(branch.when, point.id):
                        self.warning(
                            branch,
                            "when",
                            f"condition '{branch.when}' can never hold when leaving '{point.id}'",
                            "this branch is never taken; check the bounds and the points it names",
                        )
        for event in self.scenario.events:
            if event.when and not self._possible(event.when, event.at):
                self.warning(
                    event,
                    "when",
                    f"condition '{event.when}' can never hold at '{event.at}'",
                    "this event never fires",
                )

    def _possible(self, text: str, at: str) -> bool:
        return text not in self.conditions or can_hold(text, at, self.scenario, self.graph)

    def _ref(self, item: Located, key: str, value: str, known: Iterable[str], kind: str) -> None:
        if value not in known:
            self.error(item, key, f"unknown {kind} '{value}'", did_you_mean(value, known))

    def _effects(self, item: Located, effects: dict[str, int] | object) -> None:
        for name in effects:  # type: ignore[attr-defined]
            self._ref(item, "effects", name, self.scenario.indicator_by_id, "indicator")


def can_hold(condition: str, at: str, scenario: Scenario, graph: Graph) -> bool:
    """Whether ``condition`` (already known to compile) can hold when asked at ``at``.

    Comparisons are judged against the indicators' and the ladder's bounds; ``chose``,
    ``visited`` and ``fired`` only against whether their point can come before ``at``.
    """
    both = frozenset((True, False))
    events = {e.id: e.at for e in scenario.events}

    def values(node: expr.Expr) -> frozenset[bool]:
        if isinstance(node, expr.Call):
            target = node.target.partition(".")[0]
            origin = events.get(target, target) if node.function == "fired" else target
            return both if graph.comes_before(origin, at) else frozenset((False,))
        if isinstance(node, expr.Compare):
            return compare_values(node, scenario)
        return both

    return True in possible_values(expr.parse(condition), values)


def compare_values(node: expr.Compare, scenario: Scenario) -> frozenset[bool]:
    """Which truth values a comparison can take, given each side's possible range."""

    def bounds(side: expr.Number | expr.Name) -> tuple[int, int]:
        if isinstance(side, expr.Number):
            return side.value, side.value
        if side.name == "ladder":
            return 0, len(scenario.ladder) - 1
        if side.name in scenario.rung_index:
            spot = scenario.rung_index[side.name]
            return spot, spot
        indicator = scenario.indicator_by_id[side.name]
        return indicator.min, indicator.max

    (a_low, a_high), (b_low, b_high) = bounds(node.left), bounds(node.right)
    can = {
        "<": (a_low < b_high, a_high >= b_low),
        "<=": (a_low <= b_high, a_high > b_low),
        ">": (a_high > b_low, a_low <= b_high),
        ">=": (a_high >= b_low, a_low < b_high),
        "==": (a_low <= b_high and b_low <= a_high, not (a_low == a_high == b_low == b_high)),
        "!=": (not (a_low == a_high == b_low == b_high), a_low <= b_high and b_low <= a_high),
    }[node.op]
    return frozenset(value for value, possible in zip((True, False), can, strict=True) if possible)


def possible_values(
    tree: expr.Expr, atom: Callable[[expr.Expr], frozenset[bool]]
) -> frozenset[bool]:
    """Which truth values ``tree`` can take when each atom can take ``atom(node)``."""
    if isinstance(tree, expr.Truth):
        return frozenset((tree.value,))
    if isinstance(tree, expr.Not):
        return frozenset(not v for v in possible_values(tree.operand, atom))
    if isinstance(tree, expr.Logic):
        left = possible_values(tree.left, atom)
        right = possible_values(tree.right, atom)
        combine = (lambda a, b: a and b) if tree.op == "and" else (lambda a, b: a or b)
        return frozenset(combine(a, b) for a in left for b in right)
    return atom(tree)


def validate(scenario: Scenario, texts: SourceTexts, problems: Problems) -> Checked | None:
    """Run every check; the compiled scenario, or ``None`` when there are errors."""
    validator = _Validator(scenario, texts, problems)
    validator.run()
    if problems.errors:
        return None
    return Checked(scenario, validator.conditions, validator.graph)
