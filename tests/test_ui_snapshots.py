"""What the main screens look like, at 80×24, 120×40 and 200×50 (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/test_ui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import FLAGSHIP
from tests.ui_helpers import make_app, play_history, screen_lines, until

SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's ``snap_compare`` fixture: the app (or its path), then options."""

SIZES = [(80, 24), (120, 40), (200, 50)]


async def to_reveal(pilot: Pilot[None]) -> None:
    await pilot.press("2", "enter")
    await pilot.pause()


async def to_sources(pilot: Pilot[None]) -> None:
    await to_reveal(pilot)
    await pilot.press("1")
    await pilot.pause()


async def to_debrief(pilot: Pilot[None]) -> None:
    await play_history(pilot, pilot.app)  # type: ignore[arg-type]
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title_screen(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_decision_screen(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path, FLAGSHIP, "pakistan"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reveal_screen(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path, FLAGSHIP, "pakistan"), terminal_size=size, run_before=to_reveal
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_source_viewer(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path, FLAGSHIP, "pakistan"), terminal_size=size, run_before=to_sources
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_debrief_screen(snap_compare: SnapCompare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path, FLAGSHIP, "iran"), terminal_size=size, run_before=to_debrief
    )


def test_too_small_notice(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path, FLAGSHIP, "iran"), terminal_size=(60, 15))


def _match_app(home: Path, **request: object) -> object:
    from game.engine.checks import loader
    from game.engine.records.matches import MatchStore
    from game.engine.records.store import RoundStore
    from game.ui.match_app import MatchApp, MatchRequest

    loaded = loader.load(FLAGSHIP)
    store = MatchStore(home / "matches.sqlite")
    return MatchApp(store, RoundStore(home), MatchRequest(loaded=loaded, **request))  # type: ignore[arg-type]


def test_match_start_screen(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(_match_app(tmp_path), terminal_size=(80, 24))


def test_match_waiting_screen(
    snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from game.engine.records import matches

    monkeypatch.setattr(matches._RANDOM, "choice", lambda letters: letters[0])  # code AAAAAA

    async def seal_a_move(pilot: Pilot[None]) -> None:
        from game.ui.screens.decision import DecisionScreen
        from game.ui.screens.dialogs import ConfirmChoice
        from game.ui.screens.match import BriefingScreen, WaitingScreen

        app = pilot.app
        await until(pilot, lambda: isinstance(app.screen, BriefingScreen))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DecisionScreen))
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, ConfirmChoice))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, WaitingScreen))
        await until(pilot, lambda: "Waiting for the other student" in "".join(screen_lines(app)))

    app = _match_app(tmp_path, name="Ali", seat="pakistan")
    assert snap_compare(app, terminal_size=(80, 24), run_before=seal_a_move)
