"""A student's finished rounds, for their home page: read from their result records (the
class folder's files, or the database's rows), the newest first."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Container
from dataclasses import dataclass

from game.engine.play.roundfile import RoundError, read_header
from game.engine.records.storage import StorageError
from game.engine.records.store import MAX_ROUND_BYTES, RoundStore
from game.engine.records.stored_rounds import StoredRounds


@dataclass(frozen=True)
class Finished:
    """A round with a result record, for the student's list."""

    round_id: str
    title: str
    role_name: str
    status: str
    decisions: int


def finished(
    student_id: str, store: RoundStore, scenarios: Container[str], listed: int
) -> list[Finished]:
    """The ``listed`` newest of ``student_id``'s finished rounds of ``scenarios``."""
    if isinstance(store, StoredRounds):
        try:
            records = store.storage.records.of(student_id)
        except StorageError:
            return []
        records.sort(key=lambda r: r.finished or r.started, reverse=True)
        return [
            Finished(r.round_id, r.scenario_title, r.role, r.status, len(r.decisions))
            for r in records[:listed]
            if r.scenario_id in scenarios
        ]
    found: list[Finished] = []
    with contextlib.suppress(OSError):
        paths = sorted(store.results.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in paths[:listed]:
            try:
                if path.stat().st_size > MAX_ROUND_BYTES:
                    continue
                data = json.loads(path.read_text(encoding="utf-8"))
                header = read_header(data)
            except (OSError, ValueError, RecursionError, RoundError):
                continue
            if header["scenario_id"] not in scenarios or header["round"] != path.stem:
                continue
            entries = data.get("entries")
            count = (
                sum(1 for e in entries if isinstance(e, dict) and e.get("kind") == "decision")
                if isinstance(entries, list)
                else 0
            )
            found.append(
                Finished(
                    header["round"],
                    str(data["scenario"].get("title", header["scenario_id"])),
                    str(data.get("role_name", header["role"])),
                    str(data.get("status", "")),
                    count,
                )
            )
    return found
