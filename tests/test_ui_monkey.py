"""A "monkey" plays: random keys with no pause, at random sizes; half its bursts hold a choice
and its confirmation, so that it takes decisions too (with the seeds of the default run, 3 of
its 4 games take one; the rest of each round is then played through history's choices).

Whatever is pressed, the game never raises, never shows a screen with no way forward, and
never loses a confirmed decision (the save on disk always holds every decision made).
"""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.command import CommandPalette
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.screen import ModalScreen
from textual.widgets import Footer

from game.ui.app import FlashpointApp
from game.ui.screens.base import GameScreen
from game.ui.screens.decision import DecisionScreen
from tests.conftest import FLAGSHIP, deep_or_ci
from tests.ui_helpers import make_app, play_history

KEYS = [
    *"123456789",
    "enter",
    "escape",
    "up",
    "down",
    "left",
    "right",
    "pagedown",
    "pageup",
    "tab",
    "ctrl+p",
    *"snm?etq",
]
APPS = 4
SEQUENCES_PER_APP = deep_or_ci(50, 16)  # seeded: the default run is the deep run's first 16
KEYS_PER_SEQUENCE = 12
CONFIRMING = 0.5
"""The share of bursts holding a choice then Enter (the confirmation's default button) a moment
later, so that the monkey takes decisions too: keys drawn evenly and sent at once never did
(an Enter sent with the choice's key reaches the screen before the dialog opens)."""


def mash(app: App[None], keys: list[str]) -> None:
    """Send ``keys`` to the app all at once, with no pause between them, as a monkey would
    (Pilot's ``press`` waits for the app to settle after every key)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        name = _character_to_key(key) if len(key) == 1 and not key.isalnum() else key
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(name))
        except KeyError:
            char = name if len(name) == 1 else None
        event = events.Key(name, char)
        event.set_sender(app)
        driver.send_message(event)


def assert_a_way_forward(app: App[None]) -> None:
    """The screen on top can be acted on: a dialog with focus, or a screen whose footer
    offers at least one key of its own (not only the app-wide Ctrl+Q)."""
    screen = app.screen
    assert len(app.screen_stack) > 1, "the blank default screen is showing"
    if isinstance(screen, ModalScreen):
        assert screen.focused is not None or isinstance(screen, CommandPalette)
        return
    assert isinstance(screen, GameScreen), type(screen)
    assert not screen.has_class("-too-small")
    assert screen.query(Footer), f"{type(screen).__name__} has no footer"
    shown = [
        key
        for key, active in screen.active_bindings.items()
        if active.binding.show and active.enabled and key != "ctrl+q"
    ]
    assert shown, f"{type(screen).__name__} offers no key"


def assert_nothing_lost(app: FlashpointApp, home: Path) -> None:
    """Every decision made in the round in play is on disk: in its save or its record."""
    played = app.round
    if played is None:
        return
    folder = "results" if played.is_over else "saves"
    path = home / folder / f"{played.session.round_id}.json"
    data = json.loads(path.read_text())
    on_disk = [(e["point"], e["choice"]) for e in data["entries"] if e["kind"] == "decision"]
    in_play = [(d.point, d.choice) for d in played.session.decisions]
    assert on_disk == in_play


@pytest.mark.parametrize("seed", range(APPS))
async def test_random_keys_never_strand_a_student(home: Path, seed: int) -> None:
    rng = random.Random(seed)
    role = ("iran", "pakistan")[seed % 2]
    app = make_app(home, FLAGSHIP, role)
    size = (80, 24)
    async with app.run_test(size=size) as pilot:
        for _ in range(SEQUENCES_PER_APP):
            size = (rng.randint(80, 200), rng.randint(24, 50))
            await pilot.resize_terminal(*size)
            keys = [rng.choice(KEYS) for _ in range(KEYS_PER_SEQUENCE)]
            at = KEYS_PER_SEQUENCE
            if rng.random() < CONFIRMING:  # a choice, and Enter once its dialog is up
                at = rng.randrange(2, KEYS_PER_SEQUENCE)
                keys[at - 2 : at + 1] = ["escape", rng.choice("123"), "enter"]
            mash(app, keys[:at])
            await pilot.pause()
            mash(app, keys[at:])
            await pilot.pause()
            await pilot.pause()
            if app.return_code is not None:  # the monkey quit (q then a dialog's key)
                break
            assert_a_way_forward(app)
            assert_nothing_lost(app, home)
        if app.return_code is None:
            await pilot.press("escape", "escape")  # close whatever is open
            await pilot.pause()
            while isinstance(app.screen, ModalScreen):
                await pilot.press("escape")
                await pilot.pause()
            if isinstance(app.screen, DecisionScreen):
                await play_history(pilot, app)  # the round can always be finished
            assert_a_way_forward(app)
            assert_nothing_lost(app, home)


PALETTE_KEYS = ["ctrl+p", "pagedown", "pageup", "pagedown", "down", "pageup", "escape"]


@pytest.mark.parametrize("screen", ["title", "decision", "notes", "sources", "map"])
async def test_palette_with_page_keys_never_raises(home: Path, screen: str) -> None:
    """Ctrl+P then PageDown/PageUp at once: Textual 8.2.8's option list raised KeyError
    before the palette's list was laid out, and the game ended (game.ui.widgets.palette)."""
    rng = random.Random(screen)
    on_title = screen == "title"
    app = make_app(home, None if on_title else FLAGSHIP, None if on_title else "pakistan")
    async with app.run_test(size=(80, 24)) as pilot:
        if screen in ("notes", "sources", "map"):
            await pilot.press(screen[0])
            await pilot.pause()
        shown = type(app.screen)
        for _ in range(12):
            keys = PALETTE_KEYS[:1] + [rng.choice(PALETTE_KEYS[1:5]) for _ in range(4)]
            mash(app, [*keys, "escape"])
            await pilot.pause()
            await pilot.pause()
            assert app.return_code is None
            assert type(app.screen) is shown


async def test_enter_then_palette_closes_only_the_palette(home: Path) -> None:
    """Enter, Enter, Ctrl+P in one burst: each Enter that reached the palette once a command
    was chosen closed another screen, down to the blank one beneath the game."""
    app = make_app(home, FLAGSHIP, "pakistan")
    async with app.run_test(size=(80, 24)) as pilot:
        mash(app, ["enter", "enter", "ctrl+p"])
        for _ in range(3):
            await pilot.pause()
        assert any(isinstance(s, DecisionScreen) for s in app.screen_stack)
        assert_a_way_forward(app)
