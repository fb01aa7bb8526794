"""Class-report scaling: aggregating N result records against merely reading them.

    python -m benchmarks.class_report [--count 10000]

Prints, for each size, the time to read and json.loads every file (the floor), the time of
`flashpoint class`'s aggregation over the same files in the same run, their ratio (target:
at most 2x), and the aggregation's peak traced memory (which should not grow with the count).
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from game.engine import classroom, loader
from game.engine.records import iter_record_files
from scripts.make_sample_results import FLAGSHIP, random_round

DISTINCT_ROUNDS = 300


def write_records(folder: Path, count: int) -> None:
    """``count`` records: a few hundred played rounds, copied under distinct round ids."""
    loaded = loader.load(FLAGSHIP)
    rng = random.Random(1)
    rounds = [random_round(loaded, rng, n).to_dict() for n in range(DISTINCT_ROUNDS)]
    for number in range(count):
        data = dict(rounds[number % DISTINCT_ROUNDS], round=f"bench-{number:06d}")
        (folder / f"bench-{number:06d}.json").write_text(json.dumps(data))


def read_all(folder: Path) -> float:
    start = time.perf_counter()
    for path in iter_record_files([folder]):
        json.loads(path.read_text(encoding="utf-8"))
    return time.perf_counter() - start


def aggregate(folder: Path) -> tuple[float, int]:
    start = time.perf_counter()
    report = classroom.build([folder])
    return time.perf_counter() - start, report.total


def peak_memory(folder: Path) -> int:
    """Peak traced memory of one aggregation (traced separately: tracing slows it down)."""
    tracemalloc.start()
    classroom.build([folder])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    print(f"{'records':>8} {'read+json s':>12} {'class s':>9} {'ratio':>6} {'peak MiB':>9}")
    for count in sorted({args.count // 5, args.count}):
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            write_records(folder, count)
            read_all(folder)  # warm the page cache for both measurements
            floor = min(read_all(folder) for _ in range(3))
            elapsed, total = min(aggregate(folder) for _ in range(3))
            assert total == count, (total, count)
            peak = peak_memory(folder)
            print(
                f"{count:>8} {floor:>12.3f} {elapsed:>9.3f} {elapsed / floor:>6.2f} "
                f"{peak / 2**20:>9.2f}"
            )


if __name__ == "__main__":
    main()
