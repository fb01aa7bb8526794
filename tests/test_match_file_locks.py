"""A process that opens the match file more than once keeps its SQLite locks (F0 of the
evening's trial): the class server holds a connection while the console, a heartbeat or the
live view open and close others. Nothing may open and close the file itself (a header read
did): closing any descriptor of a file drops every POSIX lock the process holds on it, and the
next program to close the file then deletes the write-ahead log under the server, which
another process then reads as a match without moves, or as damaged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from game.engine.records.matches import MatchError, MatchStore

OTHER_PROCESS = """
import sys
from pathlib import Path
from game.engine.records.matches import MatchStore
store = MatchStore(Path(sys.argv[1]))
print(store.info(sys.argv[2]).seats)
store.close()
"""


def other_process(path: Path, code: str) -> str:
    """What another program (a second server, the live view) reads of match ``code``."""
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(path), code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_opening_the_file_again_in_the_process_keeps_the_server_s_write_ahead_log(
    tmp_path: Path,
) -> None:
    path = tmp_path / "matches.sqlite"
    server = MatchStore(path)
    try:
        code = server.create("iran_pakistan_2024", "0" * 64, ["pakistan", "iran"], 300.0)
        server.join(code, "Ana", "pakistan")
        console = MatchStore(path)  # the console's poll, a heartbeat: the same process
        console.close()
        assert "Ana" in other_process(path, code)  # the live view opens and closes it
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()  # still the server's, not deleted under it
        server.join(code, "Ben", "iran")  # written after the other program closed the file
        seen = other_process(path, code)
        assert "Ana" in seen and "Ben" in seen
    finally:
        server.close()


@pytest.mark.parametrize("content", [b"x", b"lesson notes\n", b"\x00" * 511])
def test_a_short_file_that_is_no_database_is_refused_and_left_as_it_was(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    with pytest.raises(MatchError, match="is not a match file"):
        MatchStore(path)
    assert path.read_bytes() == content  # SQLite would have taken it for an empty database
