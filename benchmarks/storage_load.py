"""A decision kept through each class storage: ``python -m benchmarks.storage_load [N]``.

What a class page's request costs the storage: read a student's save (``rounds.load``) and
write it back with the version read (``rounds.save``), for N students from two threads (each
thread its own connection, as each serve process has), through the class folder and through
PostgreSQL. The save is a real round of the flagship after three decisions. PostgreSQL is the
one the suite starts (tests/pg_server.py: a Unix socket, fsync off) unless ``--database URL``
names another; the class folder is on this machine's disk (fsync on: each save is flushed).
Prints operations per second and the median and 95th percentile of one read-and-write.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

from game.engine.play.session import Session
from game.engine.records import catalog
from game.engine.records.storage import ClassStorage, open_class

THREADS = 2
ROUNDS_EACH = 5


def _round_data() -> dict[str, object]:
    loaded = catalog.load("iran_pakistan_2024")
    session = Session.start(loaded, "pakistan", "Student")
    for _ in range(3):
        session.choose(session.choices[0].id)
    data = session.to_dict()
    session.close()
    return data


def measure(storage: ClassStorage, students: int) -> dict[str, float]:
    data = _round_data()
    ids = [storage.seats.join(f"Student {n:04d}").student for n in range(students)]
    round_id = str(data["round"])
    for student in ids:
        storage.rounds.save(student, round_id, data)
    latencies: list[float] = []
    lock = threading.Lock()

    def work(part: list[str]) -> None:
        mine = []
        for _ in range(ROUNDS_EACH):
            for student in part:
                started = time.perf_counter()
                saved = storage.rounds.load(student, round_id)
                assert saved is not None
                storage.rounds.save(student, round_id, saved.data, saved.version)
                mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(ids[n::THREADS],)) for n in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "bytes": len(json.dumps(data)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("students", nargs="?", type=int, default=200)
    parser.add_argument("--database", help="a PostgreSQL address (default: start one)")
    args = parser.parse_args()
    server = None
    url = args.database
    if url is None:
        from tests import pg_server

        server = pg_server.start()
        url = server.url
    try:
        with tempfile.TemporaryDirectory() as folder:
            for kind, where in (("class folder", None), ("PostgreSQL", url)):
                storage = open_class(where, Path(folder) / "class", "bench", create=True)
                try:
                    figures = measure(storage, args.students)
                finally:
                    storage.close()
                print(
                    f"{kind:>12}: {args.students} students x {ROUNDS_EACH}, "
                    f"{figures['per_second']:.0f} decisions kept/s, "
                    f"p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms "
                    f"(a save of {figures['bytes'] / 1024:.0f} KiB)"
                )
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
