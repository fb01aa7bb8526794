"""Hostile inputs, one case per file (tests/hostile/*.yaml), each run as a real command.

Beyond each case's own expectations, every case must: exit non-zero (unless the case says
otherwise), print no traceback, write nothing outside the data folder but its declared
outputs, and leave an existing save and result byte-for-byte intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from game.engine.play.session import Session
from game.engine.records.store import RoundStore
from tests.conftest import DATA, FLAGSHIP, MINI, ROOT, run_flashpoint

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CASES = sorted((ROOT / "tests" / "hostile").glob("*.yaml"))
BROKEN = sorted((DATA / "broken").glob("*.yaml"))


def make_file(path: Path, spec: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if "fifo" in spec:
        os.mkfifo(path)
    elif "symlink" in spec:
        path.symlink_to(spec["symlink"])
    elif "copy" in spec:
        path.write_bytes((ROOT / spec["copy"]).read_bytes())
    elif "bytes" in spec:
        path.write_bytes(spec["bytes"].encode("latin-1").decode("unicode_escape").encode("latin-1"))
    elif "text_repeat" in spec:
        head, first, count, second, times = spec["text_repeat"]
        path.write_text(head + first * count + second * times)
    else:
        path.write_text(spec["text"])


def seed_home(home: Path) -> dict[str, str]:
    """A good save and a good result; returns their digests."""
    from game.engine.checks import loader

    rounds = RoundStore(home)
    rounds.prepare()
    loaded = loader.load(FLAGSHIP)  # another scenario than the cases play, so never continued
    playing = Session.start(loaded, "iran")
    playing.round_id = "aa-good-save"
    playing.choose("strike_jaish")
    rounds.save(playing)
    finished = Session.start(loaded, "pakistan")
    finished.round_id = "aa-good-result"
    finished.choose("strike_today")
    finished.choose("strike_again")
    finished.choose("strike_back")
    rounds.record(finished)
    return digests(home, ("saves/aa-good-save.json", "results/aa-good-result.json"))


def digests(root: Path, names: Iterable[str]) -> dict[str, str]:
    return {n: hashlib.sha256((root / n).read_bytes()).hexdigest() for n in names}


def snapshot(folder: Path, skip: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and skip not in p.parents
    }


@pytest.mark.parametrize("case_file", CASES, ids=lambda p: p.stem)
def test_hostile_case(case_file: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(case_file.read_text())
    home = tmp_path / "home"
    good = seed_home(home)
    for name, spec in case.get("files", {}).items():
        make_file(tmp_path / name, spec)
    for name, spec in case.get("home", {}).items():
        make_file(home / name, spec)
    before = snapshot(tmp_path, home)
    args = [a.format(flagship=FLAGSHIP, mini=MINI) for a in case["run"]]
    result = run_flashpoint(*args, cwd=tmp_path, home=home, stdin=case.get("stdin", ""))
    output = result.stdout + result.stderr
    expect = case.get("expect", {})
    assert not CONTROL.search(output), f"a control character reached the terminal: {output!r}"
    assert result.returncode == expect.get("exit", 1), output
    assert "Traceback" not in output
    for text in expect.get("output", []):
        assert text in output, f"{text!r} not in:\n{output}"
    for text in expect.get("no_output", []):
        assert text not in output
    for name in expect.get("absent", []):
        assert not (tmp_path / name).exists()
    for name, checks in expect.get("files", {}).items():
        text = (tmp_path / name).read_text()
        for wanted in checks.get("contains", []):
            assert wanted in text, f"{wanted!r} not in {name}"
        for unwanted in checks.get("lacks", []):
            assert unwanted not in text, f"{unwanted!r} in {name}"
    declared = {a for a in args if (tmp_path / a).suffix in (".html", ".md", ".csv", ".txt")}
    assert snapshot(tmp_path, home) - before <= declared
    assert digests(home, good) == good


@pytest.mark.parametrize("scenario", BROKEN, ids=lambda p: p.stem)
def test_broken_scenarios_fail_cleanly_when_played(
    scenario: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from game.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    home = tmp_path / "home"
    good = seed_home(home)
    first_line = scenario.read_bytes().split(b"\n", 1)[0]
    errors = b"# expect: error" in first_line or scenario.name == "empty.yaml"
    code = main(["--data-dir", str(home), "play", str(scenario), "--plain", "--role", "north"])
    captured = capsys.readouterr()
    if errors:
        assert code == 1
        assert str(scenario) in captured.err
    assert digests(home, good) == good


def test_results_are_never_written_outside_the_data_folder(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_flashpoint(
        "play", str(MINI), "--plain", "--role", "north", cwd=tmp_path, home=home, stdin="1\n\n1\n\n"
    )
    assert result.returncode == 0
    written = {str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file()}
    assert all(name.startswith("home/") for name in written), written
    assert json.loads(next((home / "results").glob("*.json")).read_text())["status"] == "finished"
