"""What the game keeps is its owner's alone: class folders, students' folders, saves, records,
the class code and the match file are created private (folders 0700, files 0600) whatever the
umask, and a file the user asks for by name (``-o``) is written as the shell would."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from game.engine.play.session import Session
from game.engine.records.classfolder import ClassFolder
from game.engine.records.matches import MatchStore
from game.engine.scenario.loaded import LoadedScenario
from tests.conftest import MINI, run_flashpoint


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask, under which a file made with the default mode is world-readable."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def modes(root: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_a_class_folder_and_everything_in_it_is_private(
    mini: LoadedScenario, tmp_path: Path, open_umask: None
) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "lesson" / "class", ("strait.yaml",), None)
    student = folder.join("Ana Lima")
    student.store.prepare()
    session = Session.start(mini, "north")
    session.choose(mini.scenario.point_by_id[session.point.id].choices[0].id)  # type: ignore[union-attr]
    student.store.save(session)
    student.store.lease(session.round_id).release()
    matches = MatchStore(folder.path / "matches.sqlite")  # sealed moves, and names
    code = matches.create("strait", "0" * 64, ("north", "south"), 60)
    matches.join(code, "Ana Lima")
    matches.move(code, "north", 1, "escort", "a rationale")
    found = modes(tmp_path / "lesson" / "class")
    matches.close()
    assert {"matches.sqlite", "matches.sqlite-wal", "matches.sqlite-shm"} <= set(found)
    assert {"class.json", "students", f"students/{student.id}/student.json"} <= set(found)
    assert any(name.startswith(f"students/{student.id}/saves/") for name in found)
    for name, mode in found.items():
        assert mode & 0o077 == 0, f"{name} is open to others: {oct(mode)}"


def test_a_class_folder_left_open_by_an_older_version_is_closed(
    tmp_path: Path, open_umask: None
) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (), None)
    folder.path.chmod(0o755)
    ClassFolder.open_or_create(tmp_path / "class", (), None)
    assert stat.S_IMODE(folder.path.stat().st_mode) == 0o700


def test_a_report_asked_for_by_name_is_written_as_the_shell_would(
    tmp_path: Path, open_umask: None
) -> None:
    home = tmp_path / "home"
    run_flashpoint("play", str(MINI), "--plain", "--role", "north", home=home, stdin="1\n\n1\n\n")
    for output in ("out.csv", "out.md"):
        form = output.rsplit(".", 1)[1]
        args = ("class", str(home / "results"), "--format", form, "-o", output)
        result = run_flashpoint(*args, cwd=tmp_path, home=home)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE((tmp_path / output).stat().st_mode) == 0o644
    for name, mode in modes(home).items():
        assert mode & 0o077 == 0, f"{name} is open to others: {oct(mode)}"


def test_a_new_scenario_is_the_authors_to_share(tmp_path: Path, open_umask: None) -> None:
    result = run_flashpoint("new", "crisis.yaml", cwd=tmp_path, home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    for name in ("crisis.yaml", "seeds/example-report.txt"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
