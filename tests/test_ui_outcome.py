"""Reading at 80×24 without scrolling: the outcome of a decision (its verdict, the game's
consequence and what actually happened) for every decision of both roles, on the historical
path and every invented one; and each situation down to its last sentence (rendered by
Textual, read off the screen)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from textual.app import App
from textual.containers import VerticalScroll

from game.engine.checks import loader
from game.engine.play.session import Session, Step
from game.engine.scenario.loaded import LoadedScenario
from game.reports.outcome_blocks import MODEL, VERDICT
from game.ui.app import STYLES
from game.ui.screens.decision import DecisionScreen
from game.ui.screens.outcome import OutcomeScreen
from tests.conftest import FLAGSHIP
from tests.ui_helpers import decide, historical_number, make_app, screen_lines, session_of

SCROLLBAR = re.compile(r"[▁▂▃▄▅▆▇█▔▀▐▌]+")


def every_step(loaded: LoadedScenario, role: str) -> Iterator[tuple[Session, Step]]:
    """Each (point, choice) of ``role`` once, reached by the first path that leads there."""
    seen: set[tuple[str, str]] = set()
    paths: list[list[str]] = [[]]
    while paths:
        path = paths.pop()
        probe = replay(loaded, role, path)
        for choice in probe.offered():
            session = replay(loaded, role, path)
            point = session.node
            step = session.choose(choice)
            if (point, choice) in seen:
                continue
            seen.add((point, choice))
            yield session, step
            if not session.is_over:
                paths.append([*path, choice])


def replay(loaded: LoadedScenario, role: str, path: list[str]) -> Session:
    session = Session.start(loaded, role, clock=lambda: 0.0)
    for choice in path:
        session.choose(choice)
    return session


def flat(text: str) -> str:
    return " ".join(text.split())


def shown_text(rows: list[str]) -> str:
    """The outcome's region (between the heading and the button row) as one line of text."""
    body = [SCROLLBAR.sub("", row) for row in rows[1:-2]]
    return flat(" ".join(body))


class Viewer(App[None]):
    """Shows outcome screens with the game's own styles."""

    CSS_PATH = STYLES / "app.tcss"


async def test_every_outcome_fits_one_screen_at_80x24() -> None:
    loaded = loader.load(FLAGSHIP)
    scenario = loaded.scenario
    app = Viewer()
    checked = 0
    missing: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        for role in scenario.role_by_id:
            for session, step in every_step(loaded, role):
                screen = OutcomeScreen(session, step)
                await app.push_screen(screen)
                await pilot.pause()
                text = shown_text(screen_lines(app))
                where = f"{role}: {step.point.id} -> {step.choice.id}"
                for part in (VERDICT, MODEL + step.choice.consequence, step.point.history.summary):
                    if flat(part) not in text:
                        missing.append(f"{where}: {part[:30]}")
                await app.pop_screen()
                checked += 1
    assert checked >= 40
    assert not missing


async def test_every_situation_shows_its_last_sentence_at_80x24(home: Path) -> None:
    """At 80×24 the situation is whole above the choices, without PageDown, on both roles'
    historical path and the first choice's."""
    for role in ("pakistan", "iran"):
        for pick_history in (True, False):
            app = make_app(home / f"{role}{pick_history}", FLAGSHIP, role)
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                while isinstance(app.screen, DecisionScreen):
                    situation = app.screen.query_one("#situation", VerticalScroll)
                    point = session_of(app).point
                    assert situation.max_scroll_y == 0, (role, point and point.id)
                    await decide(pilot, historical_number(app) if pick_history else 1)
