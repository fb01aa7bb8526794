"""Hostile scenario and student text is shown literally on every screen and does nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Static, TextArea

from game.engine.play.session import Session
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.notes import NotesScreen
from game.ui.screens.outcome import OutcomeScreen
from game.ui.screens.role import RoleScreen
from game.ui.screens.sources import SourceViewer
from tests.conftest import DATA
from tests.ui_helpers import make_app, until

HOSTILE = DATA / "hostile" / "hostile.yaml"
ACTION = "[@click=app.quit]Quit[/]"
RATIONALE = "[@click=app.quit]why[/] <script>alert(1)</script> [b]x[/i] \\"


def shown(app: App[None]) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_hostile_text_is_inert_on_every_screen(home: Path, tmp_path: Path) -> None:
    screenshot = Path("/tmp/owned.svg")
    screenshot.unlink(missing_ok=True)
    app = make_app(home, HOSTILE)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, RoleScreen)
        assert ACTION in shown(app)
        for offset in range(0, 60, 6):
            await pilot.click("#briefing", offset=(offset, 2))
        assert app.is_running
        app.screen.query_one("#roles").focus()
        await pilot.press("enter")
        await pilot.pause()
        session = app.round.session if app.round else None
        assert isinstance(session, Session)
        assert ACTION in shown(app)
        assert "\u200f" in shown(app)  # right-to-left mark kept, shown as typed
        await pilot.press("n")
        assert isinstance(app.screen, NotesScreen)
        assert ACTION in shown(app)
        await pilot.press("escape", "m")
        assert ACTION in shown(app)
        await pilot.press("escape", "s")
        assert isinstance(app.screen, SourceViewer)
        text = app.screen.query_one(TextArea).text
        assert "\x1b" not in text and "\x07" not in text
        assert "[@click=app.quit]a link[/]" in text
        await pilot.press("escape", "1")
        await pilot.pause()
        app.screen.query_one("Input", Input).value = RATIONALE
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert ACTION in shown(app)
        await pilot.click("#continue")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        page = shown(app)
        assert ACTION in page and RATIONALE in page
        for size in ((300, 100), (40, 10), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
        assert app.is_running
    assert not screenshot.exists()


async def test_markup_in_an_error_toast_is_shown_literally(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save whose file name carries markup (a click action, a bare closing tag) cannot be
    continued; the error toast names it literally, and clicking the toast does nothing."""
    import json

    from game.engine.checks import loader
    from game.engine.records.store import RoundStore
    from game.ui.screens.title import TitleScreen
    from tests.conftest import FLAGSHIP

    store = RoundStore(home)
    store.prepare()
    session = Session.start(loader.load(FLAGSHIP), "iran")
    data = session.to_dict()
    monkeypatch.chdir(tmp_path)
    name = "[@click=app.screenshot('pwned.svg')]x[b]y"  # a file name has no '/'
    (store.saves / f"{name}.json").write_text(json.dumps(data))
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("down", "enter")
        await until(pilot, lambda: any(name in n.message for n in app._notifications))
        shown = [n for n in app._notifications if name in n.message]
        assert shown and "does not match its file name" in shown[0].message
        assert not any(n.markup for n in app._notifications)  # shown as written, never run
        for row in range(2, 40, 3):  # click all over, toast included
            await pilot.click(offset=(100, row))
        await pilot.pause()
        assert app.is_running
    assert list(tmp_path.glob("*.svg")) == []
