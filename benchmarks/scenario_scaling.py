"""Validate and explore scenarios of 100, 1,000 and 10,000 decision points.

    python -m benchmarks.scenario_scaling [--sizes 100 1000 10000]

Each figure is a ratio to a bare ``yaml.load`` of the same file with libyaml's safe loader,
measured in the same run: what the hardening, the model, the validator and the explorer cost
on top of merely parsing the YAML.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from game.engine import loader
from game.engine.explore import explore
from scripts.generate_scenario import generate


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``action``, in seconds."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def measure(points: int, folder: Path) -> tuple[int, float, float, float, int]:
    path = folder / f"generated-{points}.yaml"
    path.write_text(generate(points))
    runs = 3 if points <= 1000 else 1
    text = path.read_text()
    floor = best_of(runs, lambda: yaml.load(text, Loader=yaml.CSafeLoader))
    validate = best_of(runs, lambda: loader.load(path))
    loaded = loader.load(path)
    explore_time = best_of(runs, lambda: explore(loaded))
    paths = explore(loaded).roles[0].paths
    return path.stat().st_size, floor, validate, explore_time, len(str(paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000])
    args = parser.parse_args()
    print(
        f"{'points':>7} {'bytes':>10} {'yaml s':>8} {'validate s':>11} {'ratio':>6} "
        f"{'explore s':>10} {'ratio':>6} {'path digits':>12}"
    )
    with tempfile.TemporaryDirectory() as name:
        for points in args.sizes:
            size, floor, validate, explored, digits = measure(points, Path(name))
            print(
                f"{points:>7} {size:>10,} {floor:>8.3f} {validate:>11.3f} "
                f"{validate / floor:>6.2f} {explored:>10.3f} {explored / floor:>6.2f} "
                f"{digits:>12}"
            )


if __name__ == "__main__":
    main()
