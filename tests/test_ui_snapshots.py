"""What the main screens look like, at 80×24 and 120×40 (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/test_ui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__/`` before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import FLAGSHIP
from tests.ui_helpers import make_app, play_history

SIZES = [(80, 24), (120, 40)]


async def to_reveal(pilot: Pilot) -> None:
    await pilot.press("2", "enter")
    await pilot.pause()


async def to_sources(pilot: Pilot) -> None:
    await to_reveal(pilot)
    await pilot.press("1")
    await pilot.pause()


async def to_debrief(pilot: Pilot) -> None:
    await play_history(pilot, pilot.app)  # type: ignore[arg-type]
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_title_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_decision_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path, FLAGSHIP, "pakistan"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reveal_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path, FLAGSHIP, "pakistan"), terminal_size=size, run_before=to_reveal
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_source_viewer(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path, FLAGSHIP, "pakistan"), terminal_size=size, run_before=to_sources
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_debrief_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(tmp_path, FLAGSHIP, "iran"), terminal_size=size, run_before=to_debrief
    )


def test_too_small_notice(snap_compare, tmp_path: Path) -> None:
    assert snap_compare(make_app(tmp_path, FLAGSHIP, "iran"), terminal_size=(60, 15))
