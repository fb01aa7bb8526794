"""Every performance target, measured on whole processes of the installed command.

    python -m benchmarks [--runs 7] [--quick]

Each line is the game's median against a floor's median measured in the same run, the two
alternated (docs/performance.md says how each floor is made). Screens are measured in a real
pseudo-terminal of 100x30: the clock stops when the marker text is drawn.
"""

from __future__ import annotations

import argparse
import itertools
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.harness import (
    FLASHPOINT,
    FLOORS,
    PYTHON,
    ROOT,
    Measure,
    Terminal,
    alternate,
    environment,
    run,
    verdict,
)

FLAGSHIP = ROOT / "scenarios" / "iran-pakistan-2024.yaml"
HISTORY = (
    ("2", "Whether to use force"),
    ("3", "The day after"),
    ("2", "Repairing the"),
    ("3", "Debrief:"),
)
"""The Pakistan role's historical choices (the key of each) and what the next screen shows."""
PAUSE = 0.2
"""Seconds a simulated player waits before each key (not measured), as a reader would."""


@dataclass
class Line:
    """One target: what is measured, the game's and the floor's figures, their ratio."""

    name: str
    game: str
    floor: str
    ratio: float
    target: float | None

    def row(self) -> str:
        return (
            f"| {self.name} | {self.game} | {self.floor} | {self.ratio:.2f}× | "
            f"{verdict(self.ratio, self.target)} |"
        )


def _screen(argv: list[str], marker: str, env: dict[str, str]) -> Callable[[], float]:
    def measure() -> float:
        terminal = Terminal(argv, env)
        drawn = terminal.wait_for(marker)
        terminal.close()
        return drawn - terminal.started

    return measure


def _process(argv: list[str], env: dict[str, str]) -> Callable[[], float]:
    return lambda: run(argv, env).elapsed


def _compare(
    name: str,
    game: Callable[[], float],
    floor: Callable[[], float],
    floor_name: str,
    runs: int,
    target: float | None,
) -> Line:
    results = alternate(runs, {"game": game, "floor": floor})
    ratio = results["game"].median / results["floor"].median
    return Line(
        name, results["game"].spread(), f"{results['floor'].spread()} ({floor_name})", ratio, target
    )


def _round_keys(env: dict[str, str]) -> tuple[list[float], int]:
    """Play the Pakistan role's historical round by keys; each Enter-to-next-decision latency
    and the peak memory of the whole round (KiB)."""
    terminal = Terminal([FLASHPOINT, "play", "iran_pakistan_2024", "--role", "pakistan"], env)
    terminal.wait_for("Answering the strike")
    latencies = []
    for digit, following in HISTORY:
        time.sleep(PAUSE)
        terminal.press(digit)
        time.sleep(PAUSE)
        terminal.press("\r")
        terminal.wait_for("What followed")
        time.sleep(PAUSE)
        sent = terminal.press("\r")
        latencies.append(terminal.wait_for(following) - sent)
    return latencies[:-1], terminal.close()  # the last leads to the debrief, not a decision


def _switches(env: dict[str, str], count: int = 3) -> tuple[list[float], int]:
    terminal = Terminal([PYTHON, str(FLOORS / "two_screens.py")], env)
    terminal.wait_for("Alpha")
    latencies = []
    for word in ("Bravo", "Charlie", "Delta", "Echo", "Foxtrot")[:count]:
        time.sleep(PAUSE)
        sent = terminal.press("x")
        latencies.append(terminal.wait_for(word) - sent)
    return latencies, terminal.close()


def _minimal_rss(env: dict[str, str]) -> int:
    terminal = Terminal([PYTHON, str(FLOORS / "minimal_app.py")], env)
    terminal.wait_for("Floor ready")
    time.sleep(PAUSE)
    return terminal.close()


def ui_lines(runs: int, env: dict[str, str]) -> list[Line]:
    """Start-up, responsiveness and memory of the full-screen game."""
    minimal = _screen([PYTHON, str(FLOORS / "minimal_app.py")], "Floor ready", env)
    lines = [
        _compare(
            "title screen drawn",
            _screen([FLASHPOINT], "Border Strikes", env),
            minimal,
            "minimal app",
            runs,
            1.3,
        ),
        _compare(
            "straight into a decision (`play iran_pakistan_2024 --role pakistan`)",
            _screen(
                [FLASHPOINT, "play", "iran_pakistan_2024", "--role", "pakistan"],
                "Answering the strike",
                env,
            ),
            minimal,
            "minimal app",
            runs,
            None,
        ),
    ]
    game_keys, floor_keys, game_rss, floor_rss = Measure(), Measure(), Measure(), Measure()
    for _ in range(max(2, runs // 2)):
        latencies, peak = _round_keys(env)
        game_keys.values.extend(latencies)
        game_rss.values.append(peak / 1024)
        latencies, _ = _switches(env)
        floor_keys.values.extend(latencies)
        floor_rss.values.append(_minimal_rss(env) / 1024)
    lines.append(
        Line(
            "key press to the next decision drawn",
            game_keys.spread("ms", 1000, 1),
            f"{floor_keys.spread('ms', 1000, 1)} (switch to a trivial screen)",
            game_keys.median / floor_keys.median,
            3.0,
        )
    )
    lines.append(
        Line(
            "peak memory of a whole round in the full-screen game",
            game_rss.spread("MiB", 1, 1),
            f"{floor_rss.spread('MiB', 1, 1)} (minimal app)",
            game_rss.median / floor_rss.median,
            1.5,
        )
    )
    return lines


def command_lines(runs: int, env: dict[str, str], folder: Path, quick: bool) -> list[Line]:
    """validate, explore and class as whole commands."""
    from scripts.generate_scenario import generate
    from scripts.make_sample_results import write_records

    lines = [
        _compare(
            "`flashpoint validate` the flagship",
            _process([FLASHPOINT, "validate", str(FLAGSHIP)], env),
            _process([PYTHON, "-c", "import yaml, transitions"], env),
            "`python -c 'import yaml, transitions'`",
            runs,
            1.5,
        )
    ]
    generated = {}
    for points in (100, 1000, 3000):
        generated[points] = folder / f"generated-{points}.yaml"
        generated[points].write_text(generate(points))
    big = generated[1000]
    lines.append(
        _compare(
            "`flashpoint validate` a generated 1,000-point scenario",
            _process([FLASHPOINT, "validate", str(big)], env),
            _process([PYTHON, str(FLOORS / "yaml_load.py"), str(big)], env),
            "libyaml safe load of the file",
            runs,
            1.5,
        )
    )
    lines.append(
        _compare(
            "`flashpoint explore` the 1,000-point scenario",
            _process([FLASHPOINT, "explore", str(big)], env),
            _process([FLASHPOINT, "validate", str(big)], env),
            "`flashpoint validate` of the same file",
            runs,
            1.5,
        )
    )
    own = {}
    for points, path in generated.items():
        results = alternate(
            3 * runs,  # a difference of differences: noise adds up, so three times the runs
            {
                "explore": _process([FLASHPOINT, "explore", str(path)], env),
                "validate": _process([FLASHPOINT, "validate", str(path)], env),
            },
        )
        # explore's own cost in each round (the two ran one after the other, so a drift of
        # the machine cancels), then the median of those
        paired = zip(results["explore"].values, results["validate"].values, strict=True)
        own[points] = statistics.median(e - v for e, v in paired)
    sizes = sorted(own)
    marginal = {
        f"{low:,}→{high:,}": (own[high] - own[low]) / (high - low)
        for low, high in itertools.pairwise(sizes)
    }
    flat = max(marginal.values()) / max(min(marginal.values()), 1e-9)
    lines.append(
        Line(
            "explore's cost per added point (explore − validate, between sizes)",
            ", ".join(f"{span}: {v * 1e6:.0f} µs" for span, v in marginal.items()),
            "the lower of the two",
            flat,
            1.5,
        )
    )
    count = 2000 if quick else 10000
    records = folder / "records"
    records.mkdir()
    write_records(records, count, seed=7)
    lines.extend(class_lines(runs, env, folder, records, count))
    return lines


FORMATS = ("text", "md", "html", "csv", "json", "gradebook")
"""Every format of ``flashpoint class``, each measured against the same floor."""


def class_lines(
    runs: int, env: dict[str, str], folder: Path, records: Path, count: int
) -> list[Line]:
    """``flashpoint class`` of ``count`` records in every format, wall and CPU time, against
    reading and parsing every file in one process."""
    names = ("floor", *FORMATS)
    cpu: dict[str, Measure] = {name: Measure() for name in names}

    def timed(name: str, argv: list[str]) -> Callable[[], float]:
        def measure() -> float:
            ran = run(argv, env)
            cpu[name].values.append(ran.cpu)
            return ran.elapsed

        return measure

    measures = {"floor": timed("floor", [PYTHON, str(FLOORS / "read_json.py"), str(records)])}
    for fmt in FORMATS:
        out = folder / f"class.{fmt}"
        measures[fmt] = timed(
            fmt, [FLASHPOINT, "class", str(records), "--format", fmt, "-o", str(out)]
        )
    results = alternate(max(3, runs // 2), measures)
    for measure in cpu.values():
        del measure.values[0]  # the warm-up round's, which alternate does not record either
    floor = "read + `json.loads` of every file, one process"
    lines = []
    for fmt in FORMATS:
        kind = "" if fmt == "text" else f" --format {fmt}"
        for what, measured, target in (("", results, 2.0), (" (CPU time)", cpu, None)):
            lines.append(
                Line(
                    f"`flashpoint class{kind}` of {count:,} records{what}",
                    measured[fmt].spread(),
                    f"{measured['floor'].spread()} ({floor})",
                    measured[fmt].median / measured["floor"].median,
                    target,
                )
            )
    return lines


def machine() -> str:
    """The machine, as the figures' caption."""
    import textual

    cores = len(__import__("os").sched_getaffinity(0))
    return (
        f"{platform.processor() or platform.machine()}, {cores} cores, {platform.system()}, "
        f"Python {platform.python_version()}, Textual {textual.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each measure (median)")
    parser.add_argument("--quick", action="store_true", help="2,000 records instead of 10,000")
    parser.add_argument(
        "--class-only", action="store_true", help="only the class report, in every format"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="flashpoint-bench-"))
    try:
        env = environment(folder / "home")
        run([FLASHPOINT, "--version"], env)  # the installed package's bytecode, warm
        stamp = time.strftime("%Y-%m-%d")
        print(f"Machine: {machine()}; {stamp}; {args.runs} runs, medians (min–max).\n")
        print("| measure | game | floor | ratio | target |")
        print("|---|---|---|---|---|")
        if args.class_only:
            from scripts.make_sample_results import write_records

            count = 2000 if args.quick else 10000
            records = folder / "records"
            records.mkdir()
            write_records(records, count, seed=7)
            lines = class_lines(args.runs, env, folder, records, count)
        else:
            lines = ui_lines(args.runs, env) + command_lines(args.runs, env, folder, args.quick)
        for line in lines:
            print(line.row(), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
