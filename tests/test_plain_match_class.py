"""A plain-text match seat in a class (``flashpoint match --plain --class-folder CLASS``, the
screen-reader student's way into a head-to-head lesson) plays in the class (trial 2, F12): its
match is in the class's match file, where a classmate joins it by code and the console lists
it, and its records are in its own student folder of the class, for the class report. Before,
it was in the data folder's match file, outside the class. A name the class page has seated
is another student's and refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from game.engine.records.classfolder import ClassFolder, student_id
from game.engine.records.matches import MatchStore
from game.engine.records.seat_keys import SeatKeys


def _match(class_folder: Path, home: Path, name: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "game", "match", "--seat", "pakistan", "--name", name),
            *("--plain", "--class-folder", str(class_folder)),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "FLASHPOINT_HOME": str(home)},
    )


def test_a_plain_seat_in_a_class_plays_in_the_class(tmp_path: Path) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    seat = _match(folder.path, tmp_path / "home", "Ivy")
    try:
        assert seat.stdout is not None
        code = ""
        for _, line in zip(range(200), seat.stdout, strict=False):
            if line.startswith("Match code: "):
                code = line.removeprefix("Match code: ").split(".")[0].strip()
                break
        assert code, "the seat printed no match code"
        store = MatchStore(folder.path / "matches.sqlite")
        try:
            assert store.info(code).scenario  # a classmate joins it by code
        finally:
            store.close()
        assert folder.student(folder.students_folder / student_id("Ivy")) is not None
        assert not (tmp_path / "home" / "matches.sqlite").exists()
    finally:
        seat.kill()
        seat.communicate(timeout=30)


def test_a_name_seated_on_the_class_page_is_refused(tmp_path: Path) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    SeatKeys(folder).issue(folder.join("Jon").id)
    seat = _match(folder.path, tmp_path / "home", "Jon")
    out, _ = seat.communicate(timeout=60)
    assert seat.returncode != 0
    assert "classmate's seat on the class page" in out and "Traceback" not in out
