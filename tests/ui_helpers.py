"""Driving the Textual app in tests: keys only, as a student would."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot

from game.engine.play.session import Session
from game.engine.records.store import RoundStore
from game.engine.scenario.model import Reveal
from game.ui.app import FlashpointApp
from game.ui.screens.decision import DecisionScreen
from game.ui.start import StartRequest


def make_app(
    home: Path,
    scenario: Path | None = None,
    role: str | None = None,
    reveal: Reveal | None = None,
) -> FlashpointApp:
    """The app over a private data folder."""
    return FlashpointApp(
        RoundStore(home), StartRequest(scenario=scenario, role=role, reveal=reveal)
    )


def session_of(app: FlashpointApp) -> Session:
    """The session on the decision screen under whatever is on top."""
    assert app.round is not None
    return app.round.session


async def decide(pilot: Pilot[None], number: int, rationale: str = "") -> None:
    """Press a choice's number, type a rationale, confirm, and continue past the outcome."""
    await pilot.press(str(number))
    await pilot.pause()
    if rationale:
        await pilot.press(*rationale)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def historical_number(app: FlashpointApp) -> int:
    """The key of the historical choice at the current point (the first if there is none)."""
    point = session_of(app).point
    assert point is not None
    wanted = point.history.choice or point.choices[0].id
    return [c.id for c in point.choices].index(wanted) + 1


async def play_history(pilot: Pilot[None], app: FlashpointApp) -> None:
    """Take the historical choice at every decision until the round ends."""
    while isinstance(app.screen, DecisionScreen):
        await decide(pilot, historical_number(app), "ok")


def screen_lines(app: App[None]) -> list[str]:
    """The rows of text the terminal shows now, as a person would read them."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False).splitlines()[:height]


def squeezed(text: str) -> str:
    """Text with all white space folded, to compare wrapped text with its source."""
    return " ".join(text.split())


async def until(pilot: Pilot[None], holds: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until ``holds()`` is true (a worker or timer has done its part); fail
    after ``timeout`` seconds. Returns as soon as it holds: no fixed sleep."""
    deadline = time.monotonic() + timeout
    while not holds():
        assert time.monotonic() < deadline, "the app never reached the expected state"
        await pilot.pause(0.01)
