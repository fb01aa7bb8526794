"""Start-up, validation, responsiveness and memory of the game against Textual and PyYAML floors.

    python -m benchmarks.app_performance [--runs 7]

Every figure is a ratio measured in the same run:

- start-up to the first interactive screen (title screen; and straight into a decision),
  headless, against a minimal Textual app with one Static widget (target: at most 1.3x);
- `flashpoint validate` on the flagship against `python -c "import yaml, transitions"`
  (target: at most 1.5x);
- the median time from confirming a decision to the next decision being rendered, against
  switching between two trivial screens;
- peak memory (max RSS) of a full headless round against the minimal app (target: at most
  1.5x).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.probes import FLAGSHIP, ROOT, Minimal, Plain

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed game has its bytecode compiled


def run_probe(name: str) -> tuple[float, int]:
    """Wall time of a probe process, and the peak memory it reports, in KiB."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.probes", name],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    peak = int(result.stdout.rsplit("peak_kib=", 1)[1].split()[0])
    return elapsed, peak


def median_times(names: list[str], runs: int) -> dict[str, float]:
    """Median wall time of each probe, runs interleaved so that drift hits all alike."""
    compileall.compile_dir(ROOT / "game", quiet=1)
    for name in names:
        run_probe(name)  # warm the file cache
    timings: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(runs):
        for name in names:
            timings[name].append(run_probe(name)[0])
    return {name: statistics.median(values) for name, values in timings.items()}


def peak_memory(name: str, runs: int) -> int:
    return max(run_probe(name)[1] for _ in range(max(2, runs // 3)))


async def decision_latencies() -> list[float]:
    from game.ui.screens.decision import DecisionScreen
    from game.ui.screens.outcome import OutcomeScreen
    from tests.ui_helpers import historical_number, make_app

    latencies = []
    for role in ("pakistan", "iran"):
        app = make_app(Path(tempfile.mkdtemp()), FLAGSHIP, role)
        async with app.run_test(size=(100, 30)) as pilot:
            while isinstance(app.screen, DecisionScreen):
                await pilot.press(str(historical_number(app)), "enter")
                await pilot.pause()
                assert isinstance(app.screen, OutcomeScreen)
                start = time.perf_counter()
                await pilot.press("enter")
                await pilot.pause()
                latencies.append(time.perf_counter() - start)
    return latencies


async def switch_latencies(count: int) -> list[float]:
    app = Minimal()
    latencies = []
    async with app.run_test(size=(100, 30)) as pilot:
        for number in range(count):
            start = time.perf_counter()
            await app.push_screen(Plain(f"screen {number}"))
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
            latencies.append((time.perf_counter() - start) / 2)
    return latencies


def row(label: str, value: float, floor: float, unit: str, target: float | None) -> str:
    ratio = value / floor
    verdict = "" if target is None else ("  met" if ratio <= target else f"  MISSED ({target}x)")
    return f"{label:<44} {value:>9.3f} {floor:>9.3f} {unit:<4} {ratio:>6.2f}x{verdict}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"{'measure':<44} {'game':>9} {'floor':>9} {'':<4} {'ratio':>7}")
    times = median_times(["minimal", "title", "decision", "imports", "validate"], args.runs)
    print(row("start-up to the title screen", times["title"], times["minimal"], "s", 1.3))
    print(row("start-up straight into a decision", times["decision"], times["minimal"], "s", None))
    print(row("flashpoint validate (flagship)", times["validate"], times["imports"], "s", 1.5))
    decision = statistics.median(asyncio.run(decision_latencies()))
    switch = statistics.median(asyncio.run(switch_latencies(20)))
    print(row("continue to the next decision (median)", decision * 1000, switch * 1000, "ms", None))
    print(
        row(
            "peak memory of a full round",
            peak_memory("round", args.runs) / 1024,
            peak_memory("minimal", args.runs) / 1024,
            "MiB",
            1.5,
        )
    )


if __name__ == "__main__":
    main()
