"""The teacher's pairs for a served class of matches (``serve --matches --pairs``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.base.problems import FlashpointError
from game.engine.checks import loader
from game.engine.records.classfolder import ClassFolder
from game.engine.records.matches import MatchStore
from game.web.pairing import prepare, read_pairs
from tests.conftest import FLAGSHIP


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Ana, Ben\nCleo\n", "pairs.txt:2: write two names separated by a comma"),
        ("Ana, Ben, Cleo\n", "pairs.txt:1: write two names"),
        ("Ana, Ben\nben, Dara\n", "pairs.txt:2: ben is already paired on line 1"),
        ("Ana, \u200b\n", "pairs.txt:1: type your name"),
    ],
)
def test_a_pairs_file_mistake_names_the_file_line_and_fix(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "pairs.txt"
    path.write_text(text)
    with pytest.raises(FlashpointError, match=message):
        read_pairs(path)


def test_each_pair_gets_a_match_that_a_restarted_server_keeps(tmp_path: Path) -> None:
    loaded = loader.load(FLAGSHIP)
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("# period 3\nAna, Ben\nCleo, Dara  # at the back\n")
    seating = prepare(folder, loaded, 120.0, pairs)
    ana = folder.join("Ana")
    ben = folder.join("ben ")  # the same student however typed
    code, seat = seating.assigned[ana.id]
    assert seating.assigned[ben.id] == (code, "iran") and seat == "pakistan"
    argv = seating.argv(folder, ana.id)
    assert argv[argv.index("--join") + 1] == code and argv[argv.index("--seat") + 1] == "pakistan"
    assert "--join" not in seating.argv(folder, folder.join("Eve").id)  # pairs by code
    again = prepare(folder, loaded, 120.0, pairs)
    assert again.assigned == seating.assigned
    assert len(MatchStore(folder.path / "matches.sqlite").summaries()) == 2
    assert "--class-seat" in argv  # the start screen shows the class seat's name, asks none


def test_a_pairs_seats_are_kept_for_its_students(tmp_path: Path) -> None:
    loaded = loader.load(FLAGSHIP)
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("Ana Lima, Ben\n")
    seating = prepare(folder, loaded, 120.0, pairs)
    code, _ = seating.assigned[folder.join("Ana Lima").id]
    store = MatchStore(folder.path / "matches.sqlite")
    with pytest.raises(FlashpointError, match="full"):
        store.join(code, "Eve")  # typed the pair's code before they came
    assert store.join(code, "ana lima", "iran") == "pakistan"  # hers, however she typed it
    assert store.join(code, "Ben") == "iran"
