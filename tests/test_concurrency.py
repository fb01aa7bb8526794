"""Several Flashpoint processes on one data folder: nothing aborted, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINI, ROOT

ROUNDS = 20


def test_twenty_rounds_started_together_on_one_data_folder(tmp_path: Path) -> None:
    env = {**os.environ, "FLASHPOINT_HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "game.cli",
                "play",
                str(MINI),
                "--plain",
                "--role",
                "north",
                "--name",
                f"student {n}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for n in range(ROUNDS)
    ]
    outcomes = [
        p.communicate(f"1 reason {n}\n\n1\n\n", timeout=120) for n, p in enumerate(processes)
    ]
    for process, (_, err) in zip(processes, outcomes, strict=True):
        assert process.returncode == 0, err
        assert "Could not save" not in err and "Traceback" not in err, err
    records = [json.loads(p.read_text()) for p in (tmp_path / "results").glob("*.json")]
    assert sorted(r["player"] for r in records) == sorted(f"student {n}" for n in range(ROUNDS))
    for record in records:
        assert record["status"] == "finished"
        decisions = [e for e in record["entries"] if e["kind"] == "decision"]
        assert decisions and decisions[0]["rationale"] == f"reason {record['player'].split()[1]}"
    assert list((tmp_path / "saves").glob("*.json")) == []
    assert list((tmp_path / "saves").glob(".*.tmp")) == []
