"""The live view's refresh timer can tick once more while the app is closing, when its widgets
or its screen are already gone: it must do nothing (it raised NoMatches for '#summary' at exit,
which failed test_serve_database under load)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from game.engine.records.classfolder import ClassFolder
from game.ui.live import LiveApp
from tests.conftest import MINI


async def test_a_last_tick_while_the_live_view_closes_does_nothing(tmp_path: Path) -> None:
    folder = ClassFolder.open_or_create(tmp_path / "class", (str(MINI),), None)
    folder.join("Dana")
    app = LiveApp(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.query_one("#students", DataTable).row_count == 1
        await app.screen.query("*").remove()  # what closing does before the last tick
        app.action_refresh_now()
    assert not app.screen_stack
    app.action_refresh_now()  # the tick that comes after the last screen has gone
