"""Crash-safe saves and result records in the data folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from game.engine.play.session import Session
from game.engine.records.store import RoundStore, StoreError, atomic_write, default_home
from game.engine.scenario.loaded import LoadedScenario


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "round.json"
    atomic_write(target, "first")
    atomic_write(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["round.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "round.json"
    atomic_write(target, "good")

    def broken_fsync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("game.engine.records.store.os.fsync", broken_fsync)
    with pytest.raises(StoreError, match="No space left on device"):
        atomic_write(target, "half")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["round.json"]


def test_leftover_temp_files_are_removed_on_prepare(tmp_path: Path) -> None:
    rounds = RoundStore(tmp_path)
    rounds.prepare()
    leftover = rounds.saves / ".x.json.123-456.tmp"
    leftover.write_text("{")
    notes = rounds.prepare()
    assert not leftover.exists()
    assert notes == [f"removed an unfinished write: {leftover.name}"]


def test_save_list_and_load(mini: LoadedScenario, tmp_path: Path) -> None:
    rounds = RoundStore(tmp_path)
    session = Session.start(mini, "north", "Ada")
    session.choose("escort")
    path = rounds.save(session)
    found, warnings = rounds.saved_rounds()
    assert warnings == []
    assert [(r.round_id, r.role, r.player, r.decisions) for r in found] == [
        (session.round_id, "north", "Ada", 1)
    ]
    assert Session.resume(mini, rounds.load(path)).to_dict() == session.to_dict()


def test_finished_round_writes_a_result_and_drops_its_save(
    mini: LoadedScenario, tmp_path: Path
) -> None:
    rounds = RoundStore(tmp_path)
    session = Session.start(mini, "north")
    rounds.save(session)
    session.choose("withdraw")
    result = rounds.record(session)
    assert json.loads(result.read_text())["status"] == "finished"
    assert not rounds.save_path(session).exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b'{"format": "flashpoint-round"',
        b"\xff\xfe",
        b"[1, 2, 3]",
        b'{"format": "flashpoint-round", "version": 99}',
    ],
)
def test_corrupt_saves_are_set_aside_and_reported(
    mini: LoadedScenario, tmp_path: Path, content: bytes
) -> None:
    rounds = RoundStore(tmp_path)
    rounds.prepare()
    good = Session.start(mini, "north")
    rounds.save(good)
    bad = rounds.saves / "bad.json"
    bad.write_bytes(content)
    found, warnings = rounds.saved_rounds()
    assert [r.round_id for r in found] == [good.round_id]
    assert len(warnings) == 1 and warnings[0].startswith(f"{bad}: ")
    if b"99" in content:  # from a newer Flashpoint: reported, but left for that version
        assert "newer Flashpoint" in warnings[0] and bad.read_bytes() == content
        return
    assert "moved to bad.json.corrupt" in warnings[0]
    assert (rounds.saves / "bad.json.corrupt").read_bytes() == content
    bad.write_bytes(content)
    rounds.saved_rounds()
    assert (rounds.saves / "bad.json.corrupt1").read_bytes() == content


def test_unwritable_data_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="set FLASHPOINT_HOME or --data-dir"):
        RoundStore(blocker / "home").prepare()


def test_read_only_data_folder_is_reported(
    mini: LoadedScenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rounds = RoundStore(tmp_path)
    rounds.prepare()
    real_open = os.open

    def read_only_open(path: str, flags: int, *args: int) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args)

    monkeypatch.setattr("game.engine.records.store.os.open", read_only_open)
    with pytest.raises(StoreError, match=r"cannot write .*Permission denied"):
        rounds.save(Session.start(mini, "north"))
    assert list(rounds.saves.iterdir()) == []


def test_home_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FLASHPOINT_HOME", str(tmp_path / "x"))
    assert default_home() == tmp_path / "x"
    monkeypatch.delenv("FLASHPOINT_HOME")
    assert default_home().name == "flashpoint"
