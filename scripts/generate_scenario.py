"""Generate large layered scenarios for tests and benchmarks.

    python scripts/generate_scenario.py OUT.yaml --points 1000 [--width 4] [--choices 3]

One role starts at a single point; then layers of ``width`` points follow, each point's
choices leading to different points of the next layer, so the number of distinct paths grows
as ``choices ** layers`` (a 1,000-point scenario of width 4 has about 10^119 paths). Every
few points a choice branches on a condition, and events fire along the way, so the validator
and the explorer see the scenario's full language.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

HEADER = """\
format: 1
id: generated_{points}
title: Generated scenario ({points} points)
summary: A layered scenario generated for tests and benchmarks.
authors: [Flashpoint generator]
reading_level: Machines
minutes: 1
phases: [{{id: only, name: Only phase}}]
sources: []
roles: [{{id: solo, name: Solo, briefing: Decide., start: p0}}]
indicators:
  - {{id: tension, name: Tension, start: 50, min: 0, max: 100}}
  - {{id: standing, name: Standing, start: 50, min: 0, max: 100}}
ladder: [{{id: low, name: Low}}, {{id: mid, name: Mid}}, {{id: high, name: High}}]
endings:
  - {{id: calm, title: Calm, text: It ends calmly., assessment: Fine., distance: 0}}
  - {{id: storm, title: Storm, text: It ends badly., assessment: Poor., distance: 8,
     counterfactual: Generated.}}
points:
"""

POINT = """\
  - id: {id}
    phase: only
    date: {date}
    role: solo
    title: Decision {id}
    narrative: A generated decision with several options that lead onwards.
    counterfactual: Generated.
    history: {{summary: Generated.}}
    choices:
"""

RUNGS = ("low", "mid", "high")
FIRST_DAY = dt.date(2024, 1, 1)
"""The first layer's date; each layer is a day later (dates never go back along a path)."""


def layer_sizes(points: int, width: int) -> list[int]:
    """The number of points in each layer: one start point, then layers of ``width``."""
    sizes = [1]
    remaining = points - 1
    while remaining > 0:
        sizes.append(min(width, remaining))
        remaining -= sizes[-1]
    return sizes


def generate(points: int, width: int = 4, choices: int = 3) -> str:
    """The YAML text of a layered scenario with ``points`` decision points."""
    sizes = layer_sizes(points, width)
    names: list[list[str]] = []
    counter = 0
    for size in sizes:
        names.append([f"p{counter + n}" for n in range(size)])
        counter += size
    parts = [HEADER.format(points=points)]
    for depth, layer in enumerate(names):
        following = names[depth + 1] if depth + 1 < len(names) else ["calm", "storm"]
        for position, point in enumerate(layer):
            parts.append(POINT.format(id=point, date=FIRST_DAY + dt.timedelta(days=depth)))
            for option in range(choices):
                target = following[(position + option) % len(following)]
                other = following[(position + option + 1) % len(following)]
                effect = (option - 1) * 3
                parts.append(
                    f"      - {{id: c{option}, label: Option {option}, consequence: "
                    f"Things move., rung: {RUNGS[option % 3]}, effects: "
                    f"{{tension: {effect}, standing: {-effect}}}"
                )
                if option == choices - 1 and (depth + position) % 5 == 0 and other != target:
                    parts.append(
                        f', branches: [{{when: "tension >= 60", next: {other}}}, '
                        f"{{next: {target}}}]}}\n"
                    )
                else:
                    parts.append(f", next: {target}}}\n")
    events = []
    for depth, layer in enumerate(names[1:], start=1):
        if depth % 7 == 0:
            events.append(
                f"  - {{id: e{depth}, at: {layer[0]}, actor: World, title: News, "
                f'text: Something happens., when: "standing < 50", '
                f"effects: {{tension: 5}}, counterfactual: Generated.}}\n"
            )
    parts.append("events:\n" + "".join(events) if events else "events: []\n")
    return "".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--width", type=int, default=4)
    parser.add_argument("--choices", type=int, default=3)
    args = parser.parse_args()
    args.output.write_text(generate(args.points, args.width, args.choices))


if __name__ == "__main__":
    main()
