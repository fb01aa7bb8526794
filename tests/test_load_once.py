"""Every command loads (parses and validates) each scenario it uses once, not once per layer."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from game.cli import main
from game.engine.base.problems import Problems
from game.engine.checks import loader
from game.engine.play.session import Session
from tests.conftest import FLAGSHIP


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    seen: list[Path] = []
    check = loader.check

    def counting(path: Path) -> tuple[loader.LoadedScenario | None, Problems]:
        seen.append(Path(path))
        return check(path)

    monkeypatch.setattr(loader, "check", counting)
    return seen


@pytest.fixture
def records(tmp_path: Path, flagship: loader.LoadedScenario) -> Path:
    folder = tmp_path / "results"
    folder.mkdir()
    for number, role in enumerate(("pakistan", "iran", "pakistan")):
        session = Session.start(flagship, role, player=f"P{number}")
        session.choose(session.choices[0].id)
        (folder / f"r{number}.json").write_text(json.dumps(session.to_dict()))
    return folder


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", str(FLAGSHIP)],
        ["explore", str(FLAGSHIP)],
        ["graph", str(FLAGSHIP)],
        ["test", str(FLAGSHIP)],
    ],
    ids=lambda argv: argv[0],
)
def test_authoring_commands_load_the_scenario_once(
    loads: list[Path], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    main(argv)
    capsys.readouterr()
    assert loads == [FLAGSHIP]


def test_reports_load_the_scenario_once(
    loads: list[Path], records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["class", str(records), "-o", str(tmp_path / "class.txt")]) == 0
    assert len(loads) == 1
    loads.clear()
    assert main(["debrief", str(records / "r0.json"), "-o", str(tmp_path / "d.txt")]) == 0
    assert len(loads) == 1
    capsys.readouterr()


def test_playing_by_id_loads_the_scenario_once(
    loads: list[Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n\n"))
    argv = ["--data-dir", str(tmp_path / "home"), "play", "iran_pakistan_2024", "--plain"]
    main([*argv, "--role", "pakistan"])
    capsys.readouterr()
    assert len(loads) == 1
