"""The match file survives what happens to it: a move changed or removed after it was sealed is
named, garbage is found when the file is opened, a file another program holds locked is waited
on briefly and reported as not saved, a read-only file is refused by name (never opened
read-only: no false "too late", no SIGBUS), and a file of the format before digests loads."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine.records import match_file
from game.engine.records.match_file import GIVE_UP_SECONDS, RETRY_SECONDS, Patience
from game.engine.records.matches import MatchBusy, MatchError, MatchStore, StoredMove
from game.engine.records.store import RoundStore
from game.engine.scenario.loaded import LoadedScenario
from game.engine.seats.match_seat import MatchSeat
from tests.conftest import DATA, ROOT

FALLBACKS = {"iran": "hold", "pakistan": "hold"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def seated(path: Path) -> tuple[MatchStore, MatchStore, str]:
    """Two seats' stores on one match file, both seats taken."""
    iran = MatchStore(path, Clock())
    code = iran.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    iran.join(code, "Ana")
    pakistan = MatchStore(path, Clock())
    pakistan.join(code, "Ben")
    return iran, pakistan, code


def tamper(path: Path, statement: str) -> None:
    """What a person with the file and the sqlite3 shell does."""
    with sqlite3.connect(path) as db:
        db.execute(statement)


def test_a_move_changed_between_the_two_reveals_is_named(tmp_path: Path) -> None:
    path = tmp_path / "matches.sqlite"
    iran, pakistan, code = seated(path)
    iran.move(code, "iran", 1, "strike_jaish")
    pakistan.move(code, "pakistan", 1, "protest_only")
    first = iran.resolve(code, 1, FALLBACKS)
    assert first is not None and [m.choice for m in first] == ["strike_jaish", "protest_only"]
    tamper(path, "UPDATE moves SET choice = 'strike_today' WHERE seat = 'pakistan'")
    with pytest.raises(MatchError, match=r"seat 'pakistan' at turn 1 .* changed") as caught:
        pakistan.resolve(code, 1, FALLBACKS)  # the other seat never reveals a different turn
    assert str(path) in str(caught.value)
    with pytest.raises(MatchError, match="seat 'pakistan' at turn 1"):
        MatchStore(path).revealed(code)  # nor does a seat that rejoins


def test_a_sealed_move_changed_before_the_reveal_is_named(tmp_path: Path) -> None:
    path = tmp_path / "matches.sqlite"
    iran, pakistan, code = seated(path)
    iran.move(code, "iran", 1, "strike_jaish", "a reason")
    tamper(path, "UPDATE moves SET choice = 'share_intel' WHERE seat = 'iran'")
    pakistan.move(code, "pakistan", 1, "protest_only")
    with pytest.raises(MatchError, match="seat 'iran' at turn 1"):
        pakistan.resolve(code, 1, FALLBACKS)
    with pytest.raises(MatchError, match="seat 'iran' at turn 1"):
        iran.sealed(code, "iran", 1)


def test_a_move_removed_after_the_reveal_is_named_not_replaced_by_a_fallback(
    tmp_path: Path,
) -> None:
    path = tmp_path / "matches.sqlite"
    iran, pakistan, code = seated(path)
    iran.move(code, "iran", 1, "strike_jaish")
    pakistan.move(code, "pakistan", 1, "protest_only")
    assert iran.resolve(code, 1, FALLBACKS) is not None
    tamper(path, "DELETE FROM moves WHERE seat = 'pakistan'")
    pakistan.clock.now += 3600  # type: ignore[attr-defined]  # past the deadline
    with pytest.raises(MatchError, match=r"turn 1 of match .* removed or changed"):
        pakistan.resolve(code, 1, FALLBACKS)


def test_garbage_in_the_file_is_found_when_it_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "matches.sqlite"
    store = MatchStore(path)
    code = store.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    store.join(code, "Ana")
    for turn in range(1, 200):  # a file of several pages
        store.move(code, "iran", turn, f"a long enough choice name {turn}" * 3)
    store.close()  # the last connection folds the write-ahead log into the file
    data = bytearray(path.read_bytes())
    assert len(data) > 4 * 4096
    data[2 * 4096 : 2 * 4096 + 200] = b"\xde\xad\xbe\xef" * 50
    path.write_bytes(bytes(data))
    with pytest.raises(MatchError, match="damaged") as caught:
        MatchStore(path)
    assert str(path) in str(caught.value)
    other = tmp_path / "notes.sqlite"
    other.write_bytes(b"lesson notes, not a match file\n" * 100)
    with pytest.raises(MatchError, match="not a match file"):
        MatchStore(other)


def test_garbage_written_while_the_seats_play_is_found_before_they_close(
    tmp_path: Path,
) -> None:
    path = tmp_path / "matches.sqlite"
    iran, pakistan, code = seated(path)
    other = iran.create("flagship", "0" * 64, ("iran", "pakistan"), deadline=60)
    iran.join(other, "Cleo")
    for turn in range(1, 300):  # another match's pages, which this match never reads
        iran.move(other, "iran", turn, f"a long enough choice name {turn}" * 3)
    iran.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # its pages are in the file itself
    size = path.stat().st_size
    assert size > 20 * 4096
    with path.open("r+b") as handle:  # garbage over a page near the end
        handle.seek(size - 3 * 4096)
        handle.write(b"\xde\xad\xbe\xef" * 1024)
    pakistan.clock.now += 2  # type: ignore[attr-defined]
    pakistan.heartbeat(code, "pakistan")  # the other seat writes: caches are read again
    iran.checked -= 3600  # as if the seat had played on for an hour
    with pytest.raises(MatchError, match="damaged") as caught:
        iran.resolve(code, 1, FALLBACKS)
    assert str(path) in str(caught.value)


HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2:] == ["readers too"]:  # no other connection may even read
    db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
db.execute("UPDATE matches SET finished = finished")
print("locked", flush=True)
sys.stdin.read()  # until the test closes the pipe
db.execute("ROLLBACK")
"""


@contextlib.contextmanager
def locked(path: Path, *how: str) -> Iterator[None]:
    """Another process holds the match file's write lock (``"readers too"``: every lock)
    until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path), *how],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_a_file_another_program_holds_locked_is_never_said_to_be_sealed(tmp_path: Path) -> None:
    path = tmp_path / "matches.sqlite"
    iran, pakistan, code = seated(path)
    with locked(path):
        with pytest.raises(MatchBusy, match="nothing was saved") as caught:
            iran.move(code, "iran", 1, "strike_jaish")
        assert str(path) in str(caught.value)
        assert iran.sealed(code, "iran", 1) is None  # truthfully: nothing sealed
        assert pakistan.resolve(code, 1, FALLBACKS) is None  # the other seat waits on
    iran.move(code, "iran", 1, "strike_jaish")  # the same move, tried again, is sealed
    assert iran.sealed(code, "iran", 1) == "strike_jaish"


def test_a_read_only_file_is_refused_by_name_in_a_real_process(tmp_path: Path) -> None:
    path = tmp_path / "matches.sqlite"
    iran, _, code = seated(path)
    iran.move(code, "iran", 1, "strike_jaish")  # the seats' -wal and -shm files are there
    for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        name.chmod(0o444)
    prefix: list[str] = []
    if sys.platform.startswith("linux") and shutil.which("setpriv"):  # root reads anything
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]
    command = [sys.executable, "-m", "game.cli", "--data-dir", str(tmp_path / "home"), "match"]
    command += ["--join", code, "--name", "Ben", "--plain", "--store", str(path)]
    result = subprocess.run(
        prefix + command, cwd=ROOT, capture_output=True, text=True, timeout=60, input=""
    )
    assert result.returncode == 1, result.stdout + result.stderr  # not -SIGBUS
    assert "read-only" in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr and "Too late" not in result.stdout


def test_a_match_file_of_the_format_before_digests_loads_and_plays_on(tmp_path: Path) -> None:
    path = tmp_path / "matches.sqlite"
    shutil.copy(DATA / "matches" / "format-0.sqlite", path)
    store = MatchStore(path)
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == match_file.SCHEMA_VERSION
    assert store.info("FMT0AB").seats == {"iran": "Ana Lima", "pakistan": "Ben Okafor"}
    assert store.revealed("FMT0AB") == [
        [
            StoredMove("iran", "strike_jaish", False, "deterrence, said plainly", 12.5),
            StoredMove("pakistan", "strike_today", False, "", 30.25),
        ]
    ]
    assert store.sealed("FMT0AB", "iran", 2) == "hold"
    store.move("FMT0AB", "pakistan", 2, "strike_back")
    moves = store.resolve("FMT0AB", 2, FALLBACKS)
    assert moves is not None and [m.choice for m in moves] == ["hold", "strike_back"]
    store.close()
    tamper(path, "UPDATE moves SET choice = 'strike_again' WHERE seat = 'pakistan' AND turn = 1")
    with pytest.raises(MatchError, match="seat 'pakistan' at turn 1"):
        MatchStore(path).revealed("FMT0AB")  # the migrated moves are chained too


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_seat_keeps_a_move_the_locked_file_refused_and_seals_it_once_free(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    path, ticks = tmp_path / "matches.sqlite", Ticks()
    told: dict[str, list[str]] = {"ali": [], "bea": []}
    ali = MatchSeat.enter(
        MatchStore(path),
        RoundStore(tmp_path / "ali"),
        flagship,
        "Ali",
        "pakistan",
        warn=told["ali"].append,
    )
    bea = MatchSeat.enter(
        MatchStore(path),
        RoundStore(tmp_path / "bea"),
        None,
        "Bea",
        code=ali.code,
        warn=told["bea"].append,
    )
    ali.patience = Patience(ticks)
    try:
        with locked(path):
            assert ali.choose("recall_and_bar", "firm")  # kept: not "too late"
            assert ali.unsaved is not None and ali.sealed() is None  # and not "sealed"
            assert told["ali"] == [
                "Could not save your move; trying again (the match file is busy)."
            ]
            assert ali.poll() is None  # not tried again before its time: the screen stays live
            ticks.now += RETRY_SECONDS
            assert ali.poll() is None and ali.unsaved is not None
        ticks.now += RETRY_SECONDS
        assert ali.poll() is None  # saved now; Iran has not moved
        assert ali.unsaved is None and ali.sealed() == "recall_and_bar"
        assert told["ali"][-1] == "Your move is sealed now."
        assert bea.choose("defend_and_reassure")
        played = [bea.poll(), ali.poll()]
        assert all(p is not None for p in played)
        assert ali.view.decisions[-1].choice == "recall_and_bar"
        assert not any("Too late" in m for m in told["ali"] + told["bea"])
    finally:
        ali.leave()
        bea.leave()


def test_a_seat_stops_truthfully_when_the_file_stays_locked(
    flagship: LoadedScenario, tmp_path: Path
) -> None:
    path, ticks = tmp_path / "matches.sqlite", Ticks()
    ali = MatchSeat.enter(
        MatchStore(path), RoundStore(tmp_path / "ali"), flagship, "Ali", "pakistan"
    )
    ali.patience = Patience(ticks)
    try:
        with locked(path):
            assert ali.choose("recall_and_bar")
            ticks.now += GIVE_UP_SECONDS
            with pytest.raises(MatchError, match="Your move was not saved") as caught:
                ali.poll()
        assert str(path) in str(caught.value) and "Rejoin" in str(caught.value)
        assert ali.sealed() is None
    finally:
        ali.leave()


def test_the_live_view_names_a_damaged_match_file_and_goes_on(tmp_path: Path) -> None:
    from game.engine.classroom.live import Reader
    from game.engine.records.classfolder import ClassFolder
    from tests.conftest import FLAGSHIP
    from tests.pty_helpers import Terminal

    folder = ClassFolder.open_or_create(tmp_path / "class", (str(FLAGSHIP),), None)
    folder.join("Ana Lima")
    (folder.path / "matches.sqlite").write_bytes(b"\x00garbage, not a match file\n" * 200)
    live = Reader(folder).read()
    assert "matches.sqlite is not a match file" in live.match_problem
    assert [p.student.name for p in live.students] == ["Ana Lima"]
    terminal = Terminal(tmp_path / "home", "class", "--live", str(folder.path), size=(240, 40))
    try:
        terminal.wait_for("matches.sqlite is not a match file")
        terminal.wait_for("Ana Lima")
        assert terminal.process.poll() is None  # still showing the class
        assert "Traceback" not in terminal.text()
    finally:
        terminal.close()


def test_two_plain_seats_play_on_through_a_lock_held_by_another_program(tmp_path: Path) -> None:
    from tests.test_match_processes import TIMEOUT, start_match

    store = tmp_path / "matches.sqlite"
    ali, bea, _ = start_match(tmp_path, store)
    try:
        bea.wait_for("Turn 1:")
        with locked(store):
            ali.answer(["1", "firm"])
            ali.wait_for("Could not save your move; trying again")
        ali.wait_for("Your move is sealed now.")
        bea.answer(["1", ""])
        for seat in (ali, bea):
            seat.wait_for("Both moves revealed")
            seat.wait_for("Turn 2:")
        assert "Too late" not in ali.text + bea.text
        assert "cannot" not in ali.text.split("Turn 1:")[1]
    finally:
        for seat in (ali, bea):
            seat.close()
            seat.process.wait(TIMEOUT)


def test_the_live_view_shows_the_matches_as_last_read_while_the_file_is_locked(
    tmp_path: Path,
) -> None:
    from game.engine.classroom.live import Reader
    from game.engine.records.classfolder import ClassFolder

    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    seated(folder.path / "matches.sqlite")
    reader = Reader(folder)
    first = reader.read()
    assert [m.seats for m in first.matches] == [{"iran": "Ana", "pakistan": "Ben"}]
    with locked(folder.path / "matches.sqlite", "readers too"):
        with pytest.raises(MatchBusy):
            MatchStore(folder.path / "matches.sqlite").summaries()
        again = reader.read()
    assert again.matches == first.matches and not again.match_problem
