"""The decision graph of a scenario: points and endings joined by where choices lead."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from game.engine.scenario.model import Choice, DecisionPoint, Scenario


def destinations(choice: Choice) -> list[str]:
    """Where a choice can lead, without repeats, in file order."""
    targets = [choice.next] if choice.next else [b.next for b in choice.branches]
    return list(dict.fromkeys(targets))


@dataclass(frozen=True)
class Graph:
    """Successors and predecessors of every point and ending of one scenario."""

    scenario: Scenario

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Each node's direct successors (destinations of its choices), without repeats."""
        known = self.nodes
        result: dict[str, list[str]] = {node: [] for node in known}
        for point in self.scenario.points:
            targets = (t for choice in point.choices for t in destinations(choice))
            result[point.id] = [t for t in dict.fromkeys(targets) if t in known]
        return result

    @cached_property
    def predecessors(self) -> dict[str, list[str]]:
        """Each node's direct predecessors."""
        result: dict[str, list[str]] = {node: [] for node in self.nodes}
        for node, targets in self.successors.items():
            for target in targets:
                result[target].append(node)
        return result

    @cached_property
    def nodes(self) -> dict[str, DecisionPoint | None]:
        """Every point id (mapped to its point) and ending id (mapped to None)."""
        result: dict[str, DecisionPoint | None] = {p.id: p for p in self.scenario.points}
        result.update({e.id: None for e in self.scenario.endings})
        return result

    def reachable(self, start: str) -> list[str]:
        """The nodes reachable from ``start``, itself included, in breadth-first order."""
        if start not in self.nodes:
            return []
        seen = {start: None}
        queue = [start]
        for node in queue:
            for target in self.successors[node]:
                if target not in seen:
                    seen[target] = None
                    queue.append(target)
        return queue

    def find_cycle(self) -> list[str] | None:
        """One cycle as ``[a, b, ..., a]``, or ``None`` when the graph has no loops."""
        colour: dict[str, int] = {}
        for root in self.nodes:
            if root in colour:
                continue
            stack: list[tuple[str, Iterator[str]]] = [(root, iter(self.successors[root]))]
            colour[root] = 1
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    colour[node] = 2
                    stack.pop()
                elif colour.get(child) == 1:
                    path = [n for n, _ in stack]
                    return [*path[path.index(child) :], child]
                elif child not in colour:
                    colour[child] = 1
                    stack.append((child, iter(self.successors[child])))
        return None

    def topological_order(self, nodes: Iterable[str] | None = None) -> list[str]:
        """``nodes`` (all by default) so that every node comes before its successors.

        Only meaningful when :meth:`find_cycle` finds none.
        """
        members = set(self.nodes if nodes is None else nodes)
        incoming = {n: sum(1 for p in self.predecessors[n] if p in members) for n in members}
        ready = [n for n in self.nodes if n in members and incoming[n] == 0]
        order: list[str] = []
        while ready:
            node = ready.pop()
            order.append(node)
            for target in self.successors[node]:
                if target in members:
                    incoming[target] -= 1
                    if incoming[target] == 0:
                        ready.append(target)
        return order

    @cached_property
    def _index(self) -> dict[str, int]:
        return {node: n for n, node in enumerate(self.nodes)}

    @cached_property
    def _ancestor_bits(self) -> dict[str, int]:
        index = self._index
        bits: dict[str, int] = {}
        for node in self.topological_order():
            mask = 1 << index[node]
            for parent in self.predecessors[node]:
                mask |= bits.get(parent, 0)
            bits[node] = mask
        return bits

    def comes_before(self, earlier: str, later: str) -> bool:
        """Whether some round can pass ``earlier`` on its way to ``later`` (or they are one)."""
        if earlier not in self.nodes or later not in self.nodes:
            return False
        return bool(self._ancestor_bits.get(later, 0) >> self._index[earlier] & 1)
