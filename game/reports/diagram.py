"""The decision graph as Mermaid or Graphviz DOT, with the historical path highlighted.

Node names in the output are generated (``n0``, ``n1``...), never taken from the scenario, and
every label is escaped for its language, so no scenario text can add nodes, links, click
handlers or styles to the diagram.

transitions' own GraphMachine draws state and trigger names; a scenario diagram needs the
choices' labels, the historical path and the counterfactual marks, so it is written here.
"""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from dataclasses import dataclass

from game.engine.base.problems import FlashpointError
from game.engine.base.text import day_mon
from game.engine.play.historical import historical_round
from game.engine.scenario.loaded import LoadedScenario
from game.reports.diagram_match import Box, Route, match_parts

MAX_LABEL = 400
"""Labels are shown in full, wrapped; only a label longer than this is cut."""
WRAP = 34
"""Characters per line of a wrapped label."""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    historical: bool
    conditional: bool
    condition: str = ""
    """The branch's condition ('otherwise' for a choice's last, unconditional branch)."""


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _lines(text: str) -> list[str]:
    return textwrap.wrap(_short(text), WRAP) or [""]


def mermaid_label(text: str) -> str:
    """A full label, wrapped, for a quoted Mermaid label: each line escaped, joined by the
    diagram's own line breaks."""
    return "<br/>".join(mermaid_text(line) for line in _lines(text))


def dot_label(text: str) -> str:
    """A full label, wrapped, for a quoted DOT string."""
    return "\\n".join(dot_text(line) for line in _lines(text))


def mermaid_text(text: str) -> str:
    """``text`` safe inside a quoted Mermaid label (entity codes for anything special)."""
    codes = {
        '"': "#quot;",
        "#": "#35;",
        "<": "#lt;",
        ">": "#gt;",
        "&": "#amp;",
        "`": "#96;",
        "|": "#124;",
        "[": "#91;",
        "]": "#93;",
        "{": "#123;",
        "}": "#125;",
        "(": "#40;",
        ")": "#41;",
        ";": "#59;",
        "\\": "#92;",
    }
    return "".join(codes.get(char, char) for char in _short(text) if char.isprintable())


def dot_text(text: str) -> str:
    """``text`` safe inside a quoted DOT string."""
    return "".join("\\" + c if c in '"\\' else c for c in _short(text) if c.isprintable())


def historical_steps(loaded: LoadedScenario) -> set[tuple[str, str, str]]:
    """(point, choice, destination) of every step the historical rounds take."""
    steps = set()
    for role in loaded.scenario.roles:
        session = historical_round(loaded, role.id)
        decisions = session.decisions
        for decision, following in zip(decisions, [*decisions[1:], None], strict=True):
            target = following.point if following else session.node
            steps.add((decision.point, decision.choice, target))
    return steps


def edges(loaded: LoadedScenario, nodes: list[str]) -> list[Edge]:
    """Every choice's destinations among ``nodes``, marking the steps history took."""
    scenario = loaded.scenario
    history = historical_steps(loaded)
    result = []
    members = set(nodes)
    for node in nodes:
        point = scenario.point_by_id.get(node)
        if point is None:
            continue
        for choice in point.choices:
            targets = (
                [(choice.next, "")]
                if choice.next
                else [(b.next, b.when or "otherwise") for b in choice.branches]
            )
            for target, condition in targets:
                if target in members:
                    historical = (node, choice.id, target) in history
                    conditional = condition not in ("", "otherwise")
                    label = f"{choice.label} [if {condition}]" if conditional else choice.label
                    if condition == "otherwise":
                        label = f"{choice.label} [otherwise]"
                    result.append(Edge(node, target, label, historical, conditional, condition))
    return result


def _nodes(loaded: LoadedScenario, role: str | None) -> list[str]:
    scenario = loaded.scenario
    roles = [role] if role else [r.id for r in scenario.roles]
    ordered: dict[str, None] = {}
    for name in roles:
        for node in loaded.graph.reachable(scenario.role_by_id[name].start):
            ordered[node] = None
    return list(ordered)


def _with_match(
    loaded: LoadedScenario, role: str | None
) -> tuple[list[str], dict[str, str], list[Box], list[Route]]:
    """The rounds' nodes, the match's boxes and routes (for the whole scenario, or a role that
    is a seat), the endings only a match reaches added to the nodes, and every node's name."""
    scenario = loaded.scenario
    nodes = _nodes(loaded, role)
    mode = scenario.head_to_head
    drawn = mode is not None and (role is None or role in mode.seats)
    boxes, routes = match_parts(loaded) if drawn else ([], [])
    targets = dict.fromkeys(r.target for r in routes)
    nodes += [t for t in targets if t in scenario.ending_by_id and t not in nodes]
    name = {node: f"n{number}" for number, node in enumerate(nodes)}
    name.update({box.key: f"m{number}" for number, box in enumerate(boxes)})
    return nodes, name, boxes, routes


def to_mermaid(loaded: LoadedScenario, role: str | None = None) -> str:
    """A Mermaid flowchart of the scenario (or one role's part of it), with its head-to-head
    match's turns and routes."""
    scenario = loaded.scenario
    nodes, name, boxes, routes = _with_match(loaded, role)
    lines = ["flowchart TD"]
    for node in nodes:
        point = scenario.point_by_id.get(node)
        if point is None:
            ending = scenario.ending_by_id[node]
            title = _ending_title(ending.title, ending.distance)
            lines.append(f'    {name[node]}(["{mermaid_label(title)}"])')
            kind = "history" if ending.distance == 0 else "ending"
            lines.append(f"    class {name[node]} {kind}")
        else:
            title = f"{day_mon(point.date)} · {point.title}" + _invented(point.counterfactual)
            lines.append(f'    {name[node]}["{mermaid_label(title)}"]')
            if point.history.choice is None:
                lines.append(f"    class {name[node]} counterfactual")
    highlighted = []
    drawn = edges(loaded, nodes)
    for number, edge in enumerate(drawn):
        arrow = "-.->" if edge.conditional else "-->"
        lines.append(
            f'    {name[edge.source]} {arrow}|"{mermaid_label(edge.label)}"| {name[edge.target]}'
        )
        if edge.historical:
            highlighted.append(str(number))
    if boxes:
        lines.append('    subgraph h2h ["Head-to-head match"]')
        for box in boxes:
            label = "<br/>".join(mermaid_label(line) for line in box.lines)
            lines.append(f'        {name[box.key]}["{label}"]')
            lines.append(f"        class {name[box.key]} {'history' if box.historical else 'turn'}")
        lines.append("    end")
    for number, route in enumerate(routes, start=len(drawn)):
        arrow = "-.->" if route.conditional else "-->"
        label = f'|"{mermaid_label(route.label)}"| ' if route.label else " "
        lines.append(f"    {name[route.source]} {arrow}{label}{name[route.target]}")
        if route.historical:
            highlighted.append(str(number))
    lines += [
        "    classDef turn stroke:#555",
        "    classDef history stroke:#1f5fa8,stroke-width:3px",
        "    classDef ending stroke:#888,stroke-dasharray:4 3",
        "    classDef counterfactual fill:#fff7e0,stroke:#c08a00,stroke-dasharray:4 3",
    ]
    if highlighted:
        lines.append(f"    linkStyle {','.join(highlighted)} stroke:#1f5fa8,stroke-width:3px")
    return "\n".join(lines) + "\n"


def to_dot(loaded: LoadedScenario, role: str | None = None) -> str:
    """A Graphviz DOT digraph of the scenario (or one role's part of it), with its
    head-to-head match's turns and routes."""
    scenario = loaded.scenario
    nodes, name, boxes, routes = _with_match(loaded, role)
    lines = [
        f'digraph "{dot_text(scenario.title)}" {{',
        "    rankdir=TB;",
        '    node [shape=box, style="rounded", fontname="Helvetica"];',
    ]
    for node in nodes:
        point = scenario.point_by_id.get(node)
        if point is None:
            ending = scenario.ending_by_id[node]
            colour = "#1f5fa8" if ending.distance == 0 else "#888888"
            label = dot_label(_ending_title(ending.title, ending.distance))
            lines.append(
                f'    {name[node]} [label="{label}", shape=doublecircle, color="{colour}"];'
            )
        else:
            style = ', style="rounded,dashed"' if point.history.choice is None else ""
            label = dot_label(
                f"{day_mon(point.date)} · {point.title}" + _invented(point.counterfactual)
            )
            lines.append(f'    {name[node]} [label="{label}"{style}];')
    lines.extend(_dot_arrow(edge, name) for edge in edges(loaded, nodes))
    if boxes:
        lines.append('    subgraph cluster_match {\n        label="Head-to-head match";')
        for box in boxes:
            label = "\\n".join(dot_label(line) for line in box.lines)
            bold = ', color="#1f5fa8", penwidth=3' if box.historical else ""
            lines.append(f'        {name[box.key]} [label="{label}", shape=box{bold}];')
        lines.append("    }")
    lines.extend(_dot_arrow(route, name) for route in routes)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_arrow(arrow: Edge | Route, name: dict[str, str]) -> str:
    """One DOT edge: a branch of a round or a route of a match, drawn alike."""
    attributes = [f'label="{dot_label(arrow.label)}"']
    if arrow.historical:
        attributes.append('color="#1f5fa8", penwidth=3')
    if arrow.conditional:
        attributes.append("style=dashed")
    return f"    {name[arrow.source]} -> {name[arrow.target]} [{', '.join(attributes)}];"


def _invented(counterfactual: str) -> str:
    return " (not historical)" if counterfactual else ""


def _ending_title(title: str, distance: int) -> str:
    return "End: " + title + ("" if distance == 0 else " (not historical)")


def to_svg(loaded: LoadedScenario, role: str | None = None) -> str:
    """The diagram drawn as SVG by Graphviz's ``dot``, if it is installed."""
    dot = shutil.which("dot")
    if dot is None:
        raise FlashpointError(
            "drawing SVG needs Graphviz's 'dot', which is not installed (on Debian or Ubuntu: "
            "apt install graphviz); or write --format dot and draw it elsewhere"
        )
    done = subprocess.run(
        [dot, "-Tsvg"], input=to_dot(loaded, role), capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise FlashpointError(f"Graphviz could not draw the graph: {done.stderr.strip()}")
    return done.stdout
